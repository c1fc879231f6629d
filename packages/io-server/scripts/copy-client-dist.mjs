// Copies @sockwave/io-client's browser bundles into client-dist/, which the server serves under its
// path (socket.io.js, .min.js, .esm.min.js and their maps). io-client is a devDependency, so pnpm builds
// it first; when its bundles are absent the copy is skipped with a warning and the server answers 404.
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
const source = join(root, "..", "io-client", "dist");
const target = join(root, "client-dist");
// The names src/serve-client.ts serves (CLIENT_FILES): each bundle and its source map.
const files = ["socket.io.js", "socket.io.min.js", "socket.io.esm.min.js"].flatMap((bundle) => [bundle, `${bundle}.map`]);

mkdirSync(target, { recursive: true });
// A bundle io-client no longer builds must not be left behind (and published).
for (const file of readdirSync(target)) {
  if (!files.includes(file)) rmSync(join(target, file), { recursive: true, force: true });
}
const missing = [];
for (const file of files) {
  const from = join(source, file);
  if (existsSync(from)) copyFileSync(from, join(target, file));
  else missing.push(file);
}
if (missing.length === files.length) {
  console.warn(
    `io-server: WARNING: no browser bundle found in ${source}; build @sockwave/io-client first. ` +
      "The server will answer 404 for the client files.",
  );
} else if (missing.length > 0) {
  console.warn(`io-server: note: not provided by io-client, answered with 404: ${missing.join(", ")}`);
}
