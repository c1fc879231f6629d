import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server, type ServerOptions, type Socket } from "@sockwave/io-server";
import { io as connect, type Socket as ClientSocket, type ManagerOptions, type SocketOptions } from "socket.io-client";
import * as msgpackParser from "socket.io-msgpack-parser";
import { afterEach, describe, expect, test } from "vitest";

// The official socket.io-client 4.8.4 against our server, for every feature, over each transport setup.

type Transports = { name: string; options: Partial<ManagerOptions & SocketOptions> };
const setups: Transports[] = [
  { name: "polling", options: { transports: ["polling"] } },
  { name: "websocket", options: { transports: ["websocket"] } },
  { name: "polling then upgrade", options: { transports: ["polling", "websocket"] } },
];

const open: Array<{ close(): unknown }> = [];
afterEach(async () => {
  for (const item of open.splice(0).reverse()) await item.close();
});

async function startServer(opts: Partial<ServerOptions> = {}): Promise<{ io: Server; url: string; http: HttpServer }> {
  const http = createServer();
  const io = new Server(http, opts);
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  open.push(io);
  return { io, http, url: `http://127.0.0.1:${(http.address() as AddressInfo).port}` };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any emitter: server, client or engine socket
type AnyEmitter = { once(ev: string, fn: (...args: any[]) => void): unknown };

function next<T extends unknown[] = unknown[]>(emitter: AnyEmitter, ev: string): Promise<T> {
  return new Promise((resolve) => emitter.once(ev, (...args: unknown[]) => resolve(args as T)));
}

for (const { name, options } of setups) {
  describe(`socket.io-client 4.8 over ${name}`, () => {
    function client(url: string, extra: Partial<ManagerOptions & SocketOptions> = {}): ClientSocket {
      const socket = connect(url, { ...options, forceNew: true, reconnection: false, ...extra });
      open.push(socket);
      return socket;
    }

    async function pair(opts: Partial<ServerOptions> = {}, extra: Partial<ManagerOptions & SocketOptions> = {}) {
      const server = await startServer(opts);
      const connection = next<[Socket]>(server.io, "connection");
      const socket = client(server.url, extra);
      const [serverSocket] = await connection;
      if (!socket.connected) await next(socket, "connect");
      return { ...server, socket, serverSocket };
    }

    test("connects with auth and a handshake; ids match; the socket is in its own room", async () => {
      const { socket, serverSocket } = await pair({}, { auth: { token: "abc" }, query: { q: "1" } });
      expect(socket.id).toBe(serverSocket.id);
      expect(serverSocket.handshake.auth).toEqual({ token: "abc" });
      expect(serverSocket.handshake.query.q).toBe("1");
      expect(serverSocket.handshake.address).toMatch(/127\.0\.0\.1/);
      expect(typeof serverSocket.handshake.issued).toBe("number");
      expect(serverSocket.rooms).toEqual(new Set([serverSocket.id]));
      expect(serverSocket.conn.id).not.toBe(serverSocket.id);
    });

    test("events and acknowledgements in both directions, with binary", async () => {
      const { socket, serverSocket } = await pair();
      serverSocket.on("double", (n: number, ack: (v: number) => void) => ack(n * 2));
      serverSocket.on("echo", (data: unknown, ack: (v: unknown) => void) => ack(data));
      expect(await socket.emitWithAck("double", 21)).toBe(42);
      const echoed = (await socket.emitWithAck("echo", { buf: Buffer.from([1, 2, 3]), n: [1, "x"] })) as {
        buf: Buffer;
        n: unknown[];
      };
      expect([...echoed.buf]).toEqual([1, 2, 3]);
      expect(echoed.n).toEqual([1, "x"]);
      socket.on("ask", (q: string, ack: (a: string) => void) => ack(q + "?"));
      expect(await serverSocket.emitWithAck("ask", "why")).toBe("why?");
      expect(await serverSocket.timeout(5000).emitWithAck("ask", "how")).toBe("how?");
      const bin = next(socket, "bin");
      serverSocket.emit("bin", Buffer.from([9]), new Uint8Array([8, 7]));
      const [a, b] = (await bin) as [ArrayBuffer | Buffer, ArrayBuffer | Buffer];
      expect([...new Uint8Array(a as ArrayBuffer)]).toEqual([9]);
      expect([...new Uint8Array(b as ArrayBuffer)]).toEqual([8, 7]);
    });

    test("socket.conn is the engine connection, upgraded when the client asks", async () => {
      const { serverSocket } = await pair();
      const transports = options.transports as string[];
      if (transports.length === 2 && serverSocket.conn.transport.name === "polling") {
        await next(serverSocket.conn, "upgrade");
      }
      expect(serverSocket.conn.transport.name).toBe(transports.at(-1));
      expect(serverSocket.request.url).toMatch(/^\/socket\.io\/\?EIO=4/);
    });

    test("the parser option: socket.io-msgpack-parser on both sides", async () => {
      const { socket, serverSocket } = await pair({ parser: msgpackParser }, { parser: msgpackParser } as never);
      serverSocket.on("echo", (v: unknown, ack: (v: unknown) => void) => ack(v));
      expect(await socket.emitWithAck("echo", { n: 1, list: ["a", 2], bin: Buffer.from([5]) })).toEqual({
        n: 1,
        list: ["a", 2],
        bin: expect.anything(),
      });
    });

    test("an acknowledgement that never comes times out", async () => {
      const { serverSocket } = await pair();
      await expect(serverSocket.timeout(20).emitWithAck("nobody-answers")).rejects.toThrow("operation has timed out");
    });

    test("namespaces, multiplexed over one connection; unknown namespace gets connect_error", async () => {
      const { io, url } = await startServer();
      const adminConnection = next<[Socket]>(io.of("/admin"), "connection");
      const main = client(url);
      await next(main, "connect");
      const admin = main.io.socket("/admin");
      open.push(admin);
      const [adminSocket] = await adminConnection;
      await (admin.connected ? Promise.resolve() : next(admin, "connect"));
      expect(admin.io).toBe(main.io);
      adminSocket.emit("hello", "admin");
      expect(await next(admin, "hello")).toEqual(["admin"]);
      const nowhere = connect(`${url}/nowhere`, { ...options, reconnection: false });
      open.push(nowhere);
      const [err] = (await next(nowhere, "connect_error")) as [Error];
      expect(err.message).toBe("Invalid namespace");
    });

    test("dynamic namespaces from a RegExp and a function", async () => {
      const { io, url } = await startServer();
      const parent = io.of(/^\/dyn-\d+$/);
      const seen: string[] = [];
      parent.use((socket, nextFn) => {
        seen.push(socket.nsp.name);
        nextFn();
      });
      const created = next<[{ name: string }]>(io, "new_namespace");
      const connection = next<[Socket]>(parent, "connection");
      const socket = client(`${url}/dyn-42`);
      const [serverSocket] = await connection;
      expect(serverSocket.nsp.name).toBe("/dyn-42");
      expect((await created)[0].name).toBe("/dyn-42");
      expect(seen).toEqual(["/dyn-42"]);
      await (socket.connected ? Promise.resolve() : next(socket, "connect"));
      const fromParent = next(socket, "all");
      parent.emit("all", 1);
      expect(await fromParent).toEqual([1]);

      io.of((nsp, auth, done) => done(null, nsp === "/fn" && auth.ok === true));
      const allowed = client(`${url}/fn`, { auth: { ok: true } });
      await next(allowed, "connect");
      // Once created, a dynamic namespace is an ordinary one; other names are still checked.
      const refused = client(`${url}/other`, { auth: { ok: true } });
      expect(((await next(refused, "connect_error")) as [Error])[0].message).toBe("Invalid namespace");
    });

    test("a middleware error reaches the client with its data", async () => {
      const { io, url } = await startServer();
      io.use((_socket, nextFn) => nextFn(Object.assign(new Error("denied"), { data: { reason: "token" } })));
      const socket = client(url);
      const [err] = (await next(socket, "connect_error")) as [Error & { data: unknown }];
      expect(err.message).toBe("denied");
      expect(err.data).toEqual({ reason: "token" });
    });

    test("rooms: to, except, broadcast, socketsJoin, fetchSockets, disconnectSockets", async () => {
      const { io, url } = await startServer();
      const sockets: ClientSocket[] = [];
      const serverSockets: Socket[] = [];
      io.on("connection", (s) => serverSockets.push(s));
      for (let i = 0; i < 3; i++) {
        const s = client(url);
        await next(s, "connect");
        sockets.push(s);
      }
      const [s0, s1, s2] = serverSockets as [Socket, Socket, Socket];
      await s0.join("a");
      s1.join(["a", "b"]);
      const joined = await new Promise<Error | null>((resolve) => s2.join("c", resolve));
      expect(joined).toBeNull();
      expect(io.of("/").adapter.rooms.get("a")).toEqual(new Set([s0.id, s1.id]));

      const got: string[] = [];
      const expectOnly = (targets: ClientSocket[], ev: string) =>
        Promise.all(targets.map((t) => next(t, ev).then(() => got.push(`${ev}:${sockets.indexOf(t)}`))));
      let waiting = expectOnly([sockets[0]!, sockets[1]!], "room-a");
      io.to("a").emit("room-a");
      await waiting;
      waiting = expectOnly([sockets[0]!], "except-b");
      io.to("a").except("b").emit("except-b");
      await waiting;
      waiting = expectOnly([sockets[1]!, sockets[2]!], "bcast");
      s0.broadcast.emit("bcast");
      await waiting;
      waiting = expectOnly([sockets[2]!], "to-c");
      s0.to("c").emit("to-c");
      await waiting;
      // Nothing else arrived: an event sent to everyone afterwards is the next thing each client gets.
      const everyone = Promise.all(sockets.map((s) => next(s, "done")));
      io.emit("done");
      await everyone;
      expect(got.sort()).toEqual(["bcast:1", "bcast:2", "except-b:0", "room-a:0", "room-a:1", "to-c:2"]);

      io.in("a").socketsJoin("d");
      expect([...(await io.in("d").fetchSockets()).map((s) => s.id)].sort()).toEqual([s0.id, s1.id].sort());
      io.in("d").socketsLeave("a");
      expect(io.of("/").adapter.rooms.has("a")).toBe(false);
      const fetched = await io.in(s2.id).fetchSockets();
      expect(fetched[0]!.id).toBe(s2.id);
      expect(fetched[0]!.handshake.auth).toEqual({});
      expect(await io.allSockets()).toEqual(new Set([s0.id, s1.id, s2.id]));

      const disconnected = next(sockets[2]!, "disconnect");
      io.in("c").disconnectSockets();
      expect(await disconnected).toEqual(["io server disconnect", undefined]);
    });

    test("broadcast with acknowledgements collects every response", async () => {
      const { io, url } = await startServer();
      for (let i = 0; i < 3; i++) {
        const s = client(url);
        s.on("count", (ack: (n: number) => void) => ack(i));
        await next(s, "connect");
      }
      const responses = (await io.timeout(5000).emitWithAck("count")) as number[];
      expect(responses.sort()).toEqual([0, 1, 2]);
      await expect(io.timeout(20).emitWithAck("unanswered")).rejects.toThrow("operation has timed out");
    });

    test("volatile, compress and local emits are delivered to a ready client", async () => {
      const { io, socket, serverSocket } = await pair();
      const received: unknown[] = [];
      socket.onAny((ev: string) => received.push(ev));
      serverSocket.compress(false).emit("plain");
      io.local.emit("local");
      io.compress(true).emit("compressed");
      const last = next(socket, "last");
      serverSocket.emit("last");
      await last;
      expect(received).toEqual(["plain", "local", "compressed", "last"]);
      // the flags applied to one emit only
      expect(serverSocket.volatile).toBe(serverSocket);
    });

    test("catch-all listeners and packet middlewares", async () => {
      const { socket, serverSocket } = await pair();
      const incoming: unknown[][] = [];
      const outgoing: unknown[][] = [];
      serverSocket.onAny((...args: unknown[]) => incoming.push(args));
      serverSocket.onAnyOutgoing((...args: unknown[]) => outgoing.push(args));
      serverSocket.use(([event], nextFn) => (event === "forbidden" ? nextFn(new Error("not allowed")) : nextFn()));
      const errors: Error[] = [];
      serverSocket.on("error", (err) => errors.push(err));
      const ok = next(serverSocket, "ok");
      socket.emit("forbidden", 1);
      socket.emit("ok", 2);
      expect(await ok).toEqual([2]);
      expect(errors.map((e) => e.message)).toEqual(["not allowed"]);
      expect(incoming).toEqual([["forbidden", 1], ["ok", 2]]);
      const reply = next(socket, "out");
      serverSocket.emit("out", "x");
      await reply;
      expect(outgoing).toEqual([["out", "x"]]);
      expect(serverSocket.listenersAny()).toHaveLength(1);
      serverSocket.offAny();
      expect(serverSocket.listenersAny()).toHaveLength(0);
    });

    test("disconnect reasons on both sides", async () => {
      const { socket, serverSocket } = await pair();
      const serverSide = next(serverSocket, "disconnect");
      const disconnecting = new Promise<Set<string>>((resolve) =>
        serverSocket.on("disconnecting", () => resolve(new Set(serverSocket.rooms))),
      );
      socket.disconnect();
      expect((await serverSide)[0]).toBe("client namespace disconnect");
      expect(await disconnecting).toEqual(new Set([serverSocket.id]));
      expect(serverSocket.rooms.size).toBe(0);

      const second = await pair();
      const clientSide = next(second.socket, "disconnect");
      second.serverSocket.disconnect(true);
      expect((await clientSide)[0]).toBe("io server disconnect");
    });

    test("io.close() disconnects every client with 'server shutting down'", async () => {
      const { io, socket, serverSocket } = await pair();
      const serverSide = next(serverSocket, "disconnect");
      const clientSide = next(socket, "disconnect");
      await io.close();
      expect((await serverSide)[0]).toBe("server shutting down");
      // socket.io 4.8 clients see "transport close"; over polling the GET in flight may also fail first.
      expect((await clientSide)[0]).toMatch(/^transport (close|error)$/);
    });

    test("connection state recovery restores id, rooms, data and missed packets", async () => {
      const { io, url } = await startServer({ connectionStateRecovery: {} });
      const connection = next<[Socket]>(io, "connection");
      const socket = connect(url, { ...options, forceNew: true, reconnectionDelay: 10, reconnectionDelayMax: 10 });
      open.push(socket);
      const [first] = await connection;
      await (socket.connected ? Promise.resolve() : next(socket, "connect"));
      await first.join("room");
      first.data = { user: "u1" };
      expect(first.recovered).toBe(false);
      const offsetSeen = next(socket, "tick");
      io.emit("tick", 1);
      await offsetSeen;
      const reconnection = next<[Socket]>(io, "connection");
      socket.io.engine.close();
      await next(first, "disconnect");
      io.to("room").emit("missed", "while away");
      const missed = next(socket, "missed");
      const [second] = await reconnection;
      expect(second.recovered).toBe(true);
      expect(second.id).toBe(first.id);
      expect(second.rooms.has("room")).toBe(true);
      expect(second.data).toEqual({ user: "u1" });
      // The official client hands the recovery offset to the listener as a last argument.
      expect((await missed)[0]).toBe("while away");
      expect(socket.recovered).toBe(true);
    });

    test("serverSideEmit on a single node reaches nobody and acknowledges with no responses", async () => {
      const { io } = await startServer();
      expect(io.serverSideEmit("ping", 1)).toBe(true);
      expect(await io.serverSideEmitWithAck("ping")).toEqual([]);
      expect(() => io.serverSideEmit("connection" as never)).toThrow('"connection" is a reserved event name');
    });
  });
}
