import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Browser } from "playwright-core";
import { Server } from "@sockwave/io-server";
import { launchChromium } from "./chromium";

// Each browser bundle that io-server serves, loaded by a real Chromium page, over each transport.

type Bundle = "socket.io.js" | "socket.io.min.js" | "socket.io.esm.min.js";
type Transports = "polling" | "websocket" | "upgrade";

interface PageResult {
  transport: string;
  ackText: string;
  ackBytes: number[];
  greeting: string;
}

/** The page connects, waits for the expected transport, then round-trips text and binary with an ack. */
function pageFor(bundle: Bundle, transports: Transports): string {
  const options =
    transports === "upgrade" ? "{}" : `{ transports: [${JSON.stringify(transports)}] }`;
  const script = `
    const socket = io(${options});
    const greeting = new Promise((resolve) => socket.on("greeting", resolve));
    const connected = new Promise((resolve) => socket.on("connect", resolve));
    const upgraded = ${transports === "upgrade"}
      ? new Promise((resolve) => socket.io.engine.once("upgrade", resolve))
      : Promise.resolve();
    window.result = (async () => {
      await connected;
      await upgraded;
      const bytes = new Uint8Array([1, 2, 3, 250]).buffer;
      const reply = await socket.timeout(5000).emitWithAck("echo", { text: "héllo ✓", bytes });
      return {
        transport: socket.io.engine.transport.name,
        ackText: reply.text,
        ackBytes: Array.from(new Uint8Array(reply.bytes)),
        greeting: await greeting,
      };
    })();`;
  const loader =
    bundle === "socket.io.esm.min.js"
      ? `<script type="module">import { io } from "/socket.io/${bundle}"; ${script}</script>`
      : `<script src="/socket.io/${bundle}"></script><script>${script}</script>`;
  return `<!doctype html><meta charset="utf-8"><title>${bundle}</title>${loader}`;
}

let browser: Browser;
let httpServer: HttpServer;
let io: Server;
let origin: string;

beforeAll(async () => {
  httpServer = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const bundle = url.searchParams.get("bundle") as Bundle;
    const transports = url.searchParams.get("transports") as Transports;
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(pageFor(bundle, transports));
  });
  io = new Server(httpServer);
  io.on("connection", (socket) => {
    socket.emit("greeting", `hi ${socket.id.length}`);
    socket.on("echo", (payload: { text: string; bytes: Buffer }, ack: (reply: unknown) => void) => {
      ack({ text: payload.text, bytes: payload.bytes });
    });
  });
  await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => io.close(resolve));
});

const bundles: Bundle[] = ["socket.io.js", "socket.io.min.js", "socket.io.esm.min.js"];
const transportCases: Array<[Transports, string]> = [
  ["polling", "polling"],
  ["websocket", "websocket"],
  ["upgrade", "websocket"],
];

describe.each(bundles)("served bundle %s in Chromium", (bundle) => {
  test.each(transportCases)("over %s: text, binary, acks and server events", async (transports, expected) => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(`${origin}/?bundle=${bundle}&transports=${transports}`);
    const result = (await page.evaluate("window.result")) as PageResult;
    await page.close();
    expect(errors).toEqual([]);
    expect(result).toEqual({
      transport: expected,
      ackText: "héllo ✓",
      ackBytes: [1, 2, 3, 250],
      greeting: "hi 20",
    });
  });
});
