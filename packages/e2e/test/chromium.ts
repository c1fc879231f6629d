import { chromium, type Browser } from "playwright-core";
import { existsSync } from "node:fs";

/**
 * Debian's Chromium, installed by scripts/ensure-browser.mjs (playwright cannot download browsers here).
 * The flags keep it from reaching out to the network at start, which this machine's closed network refuses.
 */
export function launchChromium(): Promise<Browser> {
  const executablePath = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].find(
    (path): path is string => Boolean(path && existsSync(path)),
  );
  if (!executablePath) {
    throw new Error("Chromium not found: run `node scripts/ensure-browser.mjs` or set CHROMIUM_PATH.");
  }
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
