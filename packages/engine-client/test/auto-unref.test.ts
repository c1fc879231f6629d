// autoUnref: a Node process whose only activity is an open connection must be free to exit. Checked in a child
// process running the Node build (bundled from the sources), connected to a server in this process.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attach } from "@sockwave/engine-server";

const source = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

let dir: string;
let http: HttpServer;
let port: number;

beforeAll(async () => {
  // Inside this package's node_modules, so the bundle's external imports resolve as they do here.
  dir = mkdtempSync(join(source("../node_modules"), ".unref-test-"));
  await build({
    entryPoints: [source("../src/index.ts")],
    outfile: join(dir, "engine-client.mjs"),
    bundle: true,
    platform: "node",
    format: "esm",
    // Our packages from their sources; third-party ones (ws, debug) as installed.
    plugins: [
      {
        name: "workspace-sources",
        setup(builder) {
          builder.onResolve({ filter: /^@sockwave\/engine-parser$/ }, () => ({ path: source("../../engine-parser/src/index.ts") }));
        },
      },
    ],
    external: ["ws", "debug", "component-emitter"],
    logLevel: "silent",
  });
  writeFileSync(join(dir, "package.json"), '{"type":"module"}');
  http = createServer();
  attach(http);
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  port = (http.address() as AddressInfo).port;
});

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  http.closeAllConnections();
  await new Promise((resolve) => http.close(resolve));
});

/** Runs a child that opens a connection with `opts` and then does nothing; resolves with its exit code and output. */
function runChild(opts: object): Promise<{ code: number | null; output: string }> {
  const script = `
    import { Socket } from ${JSON.stringify(join(dir, "engine-client.mjs"))};
    // Kept alive until the connection is open: from then on only the connection could keep the process running.
    const keepAlive = setInterval(() => {}, 1000);
    const socket = new Socket("http://127.0.0.1:${port}", ${JSON.stringify(opts)});
    socket.on("open", () => {
      console.log("open " + socket.transport.name);
      clearInterval(keepAlive);
    });
    socket.on("upgrade", () => console.log("upgrade " + socket.transport.name));
  `;
  const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
    cwd: source(".."),
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.on("exit", (code) => resolve({ code, output })));
}

describe("autoUnref", () => {
  it("lets the process exit while a WebSocket connection is open", async () => {
    const { code, output } = await runChild({ autoUnref: true, transports: ["websocket"] });
    expect(output).toContain("open websocket");
    expect(code).toBe(0);
  });

  it("lets the process exit while polling", async () => {
    const { code, output } = await runChild({ autoUnref: true, transports: ["polling"] });
    expect(output).toContain("open polling");
    expect(code).toBe(0);
  });
});
