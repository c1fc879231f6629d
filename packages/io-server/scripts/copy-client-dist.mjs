// Copies @sockwave/io-client's browser bundles into client-dist/, which the server serves under its
// path (socket.io.js, .min.js, .esm.min.js and their maps). io-client is a devDependency, so pnpm builds
// it first; when its bundles are absent the copy is skipped with a warning and the server answers 404.
import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
const source = join(root, "..", "io-client", "dist");
const target = join(root, "client-dist");
const files = [
  "socket.io.js",
  "socket.io.js.map",
  "socket.io.min.js",
  "socket.io.min.js.map",
  "socket.io.esm.min.js",
  "socket.io.esm.min.js.map",
  "socket.io.msgpack.min.js",
  "socket.io.msgpack.min.js.map",
];

mkdirSync(target, { recursive: true });
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
