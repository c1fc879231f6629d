import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Browser, Page } from "playwright-core";
import { createChatServer } from "@sockwave/example-chat";
import { launchChromium } from "./chromium";

// Drives the chat demo (examples/chat) in real headless Chromium, two users side by side.

let browser: Browser;
let chat: ReturnType<typeof createChatServer>;
let url: string;

beforeAll(async () => {
  chat = createChatServer();
  url = await chat.listen(0, "127.0.0.1");
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await chat?.close();
});

async function textOf(page: Page, selector: string): Promise<string> {
  return (await page.locator(selector).textContent()) ?? "";
}

/** Waits until the element's text contains `expected`, then returns the text for the assertion. */
async function waitForText(page: Page, selector: string, expected: string): Promise<string> {
  await page.waitForFunction(
    ([sel, text]) => document.querySelector(sel)?.textContent?.includes(text) ?? false,
    [selector, expected] as const,
    { timeout: 10_000 },
  );
  return textOf(page, selector);
}

async function enter(nickname: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(url);
  await page.fill("#nickname", nickname);
  await page.click("#login button");
  await waitForText(page, "#status", `online as ${nickname}`);
  await waitForText(page, "#room-name", "general");
  return page;
}

describe("chat demo in Chromium", () => {
  test("two users chat in a room with roster, typing indicator and delivery acks", async () => {
    const alice = await enter("alice");
    const bob = await enter("bob");

    expect(await waitForText(alice, "#roster", "bob")).toBe("alicebob");
    expect(await waitForText(alice, "#messages", "bob joined")).toContain("bob joined");

    await alice.locator("#text").pressSequentially("hel");
    expect(await waitForText(bob, "#typing", "alice is typing")).toBe("alice is typing…");

    await alice.fill("#text", "hello bob");
    await alice.click("#composer button");
    expect(await waitForText(bob, "#messages", "hello bob")).toContain("alicehello bob");
    expect(await waitForText(alice, "#messages .mine .state", "delivered")).toBe("delivered ✓");
    await bob.waitForFunction(() => document.querySelector("#typing")?.textContent === "", undefined, { timeout: 10_000 });
    expect(await textOf(bob, "#typing")).toBe("");

    // Bob moves to another room: Alice is told, and no longer receives his messages.
    await bob.fill("#room", "random");
    await bob.click("#room-form button");
    expect(await waitForText(bob, "#room-name", "random")).toBe("random");
    expect(await waitForText(alice, "#messages", "bob left")).toContain("bob left");
    await alice.waitForFunction(() => document.querySelector("#roster")?.textContent === "alice", undefined, { timeout: 10_000 });
    expect(await textOf(alice, "#roster")).toBe("alice");

    await bob.fill("#text", "anyone here?");
    await bob.click("#composer button");
    expect(await waitForText(bob, "#messages .mine .state", "delivered")).toBe("delivered ✓");
    expect(await textOf(alice, "#messages")).not.toContain("anyone here?");

    await bob.close();
    expect(await waitForText(alice, "#messages", "bob left")).toContain("bob left");
    await alice.close();
  });

  test("a nickname the server refuses is reported on the login form", async () => {
    const page = await browser.newPage();
    await page.goto(url);
    await page.fill("#nickname", "<script>");
    await page.click("#login button");
    expect(await waitForText(page, "#login-error", "Choose a nickname")).toMatch(/^Choose a nickname of 1 to 24/);
    expect(await page.locator("#chat").isHidden()).toBe(true);
    await page.close();
  });
});
