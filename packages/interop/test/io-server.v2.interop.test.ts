import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server, type ServerOptions, type Socket } from "@sockwave/io-server";
// @ts-expect-error socket.io-client 2 ships no type declarations
import ioV2 from "socket.io-client-v2";
import { afterEach, describe, expect, test } from "vitest";

// socket.io-client 2.5 (Engine.IO protocol 3) against our server with allowEIO3.

interface V2Socket {
  id: string;
  connected: boolean;
  on(ev: string, fn: (...args: any[]) => void): V2Socket;
  once(ev: string, fn: (...args: any[]) => void): V2Socket;
  emit(ev: string, ...args: unknown[]): V2Socket;
  close(): void;
  io: { engine: { id: string } };
}
const connectV2 = ioV2 as (url: string, opts?: object) => V2Socket;

const open: Array<{ close(): unknown }> = [];
afterEach(async () => {
  for (const item of open.splice(0).reverse()) await item.close();
});

async function startServer(opts: Partial<ServerOptions> = {}) {
  const http = createServer();
  const io = new Server(http, { allowEIO3: true, ...opts });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  open.push(io);
  return { io, url: `http://127.0.0.1:${(http.address() as AddressInfo).port}` };
}

function next<T extends unknown[] = unknown[]>(emitter: { once(ev: string, fn: (...args: any[]) => void): unknown }, ev: string): Promise<T> {
  return new Promise((resolve) => emitter.once(ev, (...args: T) => resolve(args)));
}

for (const transports of [["polling"], ["websocket"], ["polling", "websocket"]]) {
  describe(`socket.io-client 2.x over ${transports.join(" then ")}`, () => {
    function client(url: string, opts: object = {}): V2Socket {
      const socket = connectV2(url, { transports, forceNew: true, reconnection: false, ...opts });
      open.push(socket);
      return socket;
    }

    test("connects to the main namespace; ids follow socket.io 2 (the engine id)", async () => {
      const { io, url } = await startServer();
      const connection = next<[Socket]>(io, "connection");
      const socket = client(url, { query: { token: "t" } });
      const [serverSocket] = await connection;
      await (socket.connected ? Promise.resolve() : next(socket, "connect"));
      expect(serverSocket.id).toBe(socket.id);
      expect(serverSocket.handshake.query.token).toBe("t");
      expect(serverSocket.conn.protocol).toBe(3);
    });

    test("events, acknowledgements both ways and binary", async () => {
      const { io, url } = await startServer();
      const connection = next<[Socket]>(io, "connection");
      const socket = client(url);
      const [serverSocket] = await connection;
      await (socket.connected ? Promise.resolve() : next(socket, "connect"));
      serverSocket.on("echo", (data: unknown, ack: (d: unknown) => void) => ack(data));
      const echoed = await new Promise<any>((resolve) => socket.emit("echo", { b: Buffer.from([1, 2]), s: "x" }, resolve));
      expect([...echoed.b]).toEqual([1, 2]);
      expect(echoed.s).toBe("x");
      socket.on("ask", (n: number, ack: (v: number) => void) => ack(n + 1));
      expect(await serverSocket.emitWithAck("ask", 1)).toBe(2);
      const bin = next(socket, "bin");
      serverSocket.emit("bin", Buffer.from([7]));
      expect([...(await bin)[0] as Buffer]).toEqual([7]);
    });

    test("a custom namespace with a query, and a middleware error as a string", async () => {
      const { io, url } = await startServer();
      const connection = next<[Socket]>(io.of("/chat"), "connection");
      const chat = client(`${url}/chat`, { query: { room: "r1" } });
      const [serverSocket] = await connection;
      expect(serverSocket.id).toBe(`/chat#${serverSocket.conn.id}`);
      expect(serverSocket.handshake.auth).toEqual({ room: "r1" });
      await (chat.connected ? Promise.resolve() : next(chat, "connect"));
      const hello = next(chat, "hello");
      io.of("/chat").emit("hello", "all");
      expect(await hello).toEqual(["all"]);

      io.of("/locked").use((_s, nextFn) => nextFn(Object.assign(new Error("nope"), { data: "details" })));
      const locked = client(`${url}/locked`);
      expect(await next(locked, "error")).toEqual(["details"]);
    });

    test("server disconnect reaches the client", async () => {
      const { io, url } = await startServer();
      const connection = next<[Socket]>(io, "connection");
      const socket = client(url);
      const [serverSocket] = await connection;
      await (socket.connected ? Promise.resolve() : next(socket, "connect"));
      const disconnect = next(socket, "disconnect");
      serverSocket.disconnect();
      expect(await disconnect).toEqual(["io server disconnect"]);
    });
  });
}
