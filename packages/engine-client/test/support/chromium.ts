import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

/**
 * Debian's Chromium (scripts/ensure-browser.mjs installs it; playwright cannot download browsers here), with
 * the flags that keep it off the network at start.
 */
export function launchChromium(): Promise<Browser> {
  const executablePath = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].find(
    (path): path is string => Boolean(path && existsSync(path)),
  );
  if (!executablePath) {
    return Promise.reject(new Error("Chromium not found: run `node scripts/ensure-browser.mjs` or set CHROMIUM_PATH."));
  }
  return chromium.launch({
    executablePath,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}
