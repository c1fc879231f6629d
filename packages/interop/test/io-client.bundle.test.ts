// The minified ES module bundle of @sockwave/io-client (esbuild + debug stripping + uglify-js) still works:
// loaded as is, with its Fetch polling transport (Node has fetch, not XMLHttpRequest), against socket.io 4.8.4.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { Server } from "socket.io";
import type * as IoClient from "@sockwave/io-client";

const bundle = join(import.meta.dirname, "..", "..", "io-client", "dist", "socket.io.esm.min.js");

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
