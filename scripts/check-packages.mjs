// Checks what each published package would ship: publint (package.json, exports, files) and
// @arethetypeswrong/cli (types resolve for node16 ESM, node16 CJS and bundlers).
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "..", "packages");
let failures = 0;
let checked = 0;
for (const folder of readdirSync(root)) {
  const manifestPath = join(root, folder, "package.json");
  if (!existsSync(manifestPath)) continue;
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
  if (manifest.private) continue;
  checked++;
  for (const [tool, args] of [
    ["publint", ["--strict"]],
    ["attw", ["--pack", ".", "--profile", "node16", "--format", "ascii"]],
  ]) {
    const run = spawnSync("pnpm", ["exec", tool, ...args], { cwd: join(root, folder), encoding: "utf8" });
    if (run.status !== 0) {
      failures++;
      console.error(`\n${manifest.name}: ${tool} failed\n${run.stdout}${run.stderr}`);
    }
  }
}
console.log(`packaging: ${checked - failures > 0 ? checked : 0} packages checked, ${failures} problems`);
if (failures > 0) process.exit(1);
