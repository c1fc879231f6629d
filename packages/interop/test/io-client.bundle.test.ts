// The minified bundles of @sockwave/io-client (esbuild + debug stripping + uglify-js) still work against
// socket.io 4.8.4: the ES module with its Fetch polling transport (Node has fetch, not XMLHttpRequest), the
// classic scripts with `ws` standing in for the browser's WebSocket.
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { runInThisContext } from "node:vm";
import { Server } from "socket.io";
import { WebSocket as NodeWebSocket } from "ws";
import type * as IoClient from "@sockwave/io-client";

const dist = join(import.meta.dirname, "..", "..", "io-client", "dist");
const bundle = join(dist, "socket.io.esm.min.js");

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe("io-client dist/socket.io.esm.min.js", () => {
  it("connects, emits with an ack, receives an event and reconnects after a dropped transport", async () => {
    const client = (await import(/* @vite-ignore */ pathToFileURL(bundle).href)) as typeof IoClient;
    expect(client.default).toBe(client.io);
    expect(client.protocol).toBe(5);

    const http = createServer();
    const server = new Server(http);
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    server.on("connection", (peer) => {
      peer.on("double", (n: number, ack: (value: number) => void) => ack(n * 2));
      peer.emit("welcome", peer.id);
    });

    const { port } = http.address() as AddressInfo;
    const socket = client.io(`http://127.0.0.1:${port}`, {
      forceNew: true,
      transports: [client.Fetch] as unknown as string[],
      reconnectionDelay: 10,
      reconnectionDelayMax: 20,
    });
    cleanups.push(() => {
      socket.disconnect();
    });
    const welcome = new Promise<string>((resolve) => socket.once("welcome", resolve));
    expect(await welcome).toBe(socket.id);
    expect(await socket.emitWithAck("double", 21)).toBe(42);

    const reconnected = new Promise<void>((resolve) => socket.io.once("reconnect", () => resolve()));
    for (const peer of server.of("/").sockets.values()) peer.conn.close(); // the transport drops
    await reconnected;
    expect(await socket.emitWithAck("double", 2)).toBe(4);
  });
});

/** Runs a classic bundle as a page would and returns the global `io` it defines. */
function loadClassicBundle(file: string): typeof IoClient.io {
  const global = globalThis as { io?: typeof IoClient.io; WebSocket?: unknown };
  const previous = { io: global.io, WebSocket: global.WebSocket };
  global.WebSocket = NodeWebSocket;
  runInThisContext(readFileSync(join(dist, file), "utf8"), { filename: file });
  const io = global.io!;
  cleanups.push(() => {
    global.io = previous.io;
    global.WebSocket = previous.WebSocket;
  });
  return io;
}

// io-client ships no msgpack bundle (official packages live only here and in packages/bench); our Node client
// with socket.io-msgpack-parser as its `parser` option is covered in io-client.test.ts.
describe("io-client dist/socket.io.min.js", () => {
  it("connects over WebSocket and exchanges events with acks, binary included", async () => {
    const io = loadClassicBundle("socket.io.min.js");
    const http = createServer();
    const server = new Server(http);
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    server.on("connection", (peer) => {
      peer.on("echo", (value: unknown, ack: (value: unknown) => void) => ack(value));
    });
    const { port } = http.address() as AddressInfo;
    const socket = io(`http://127.0.0.1:${port}`, { forceNew: true, transports: ["websocket"] });
    cleanups.push(() => {
      socket.disconnect();
    });
    expect(await socket.emitWithAck("echo", { text: "hi", list: [1, 2] })).toEqual({ text: "hi", list: [1, 2] });
    const bytes = await socket.emitWithAck("echo", new Uint8Array([7, 8, 9]).buffer);
    expect(bytes).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(bytes as ArrayBuffer)]).toEqual([7, 8, 9]);
  });
});
