// Browser tests run in Debian's headless Chromium driven by playwright-core. This makes sure it is
// installed (apt, as the machines here run as root) and tells the tests where it is.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter(Boolean);
const found = () => candidates.find((path) => existsSync(path));

if (!found()) {
  if (process.getuid?.() !== 0) {
    console.error("Browser tests need Chromium: install Debian's `chromium` package or set CHROMIUM_PATH.");
    process.exit(1);
  }
  console.log("Installing Debian's chromium for the browser tests...");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
  const install = spawnSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", "chromium"], { stdio: "inherit", env });
  if (install.status !== 0 || !found()) {
    console.error("Could not install chromium with apt-get; the browser tests cannot run.");
    process.exit(1);
  }
}
console.log(`browser: ${found()}`);
