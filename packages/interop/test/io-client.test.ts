// @sockwave/io-client against the official socket.io 4.8.4 server and against @sockwave/io-server (the same
// scenarios for both): connection over each transport, events and acks both ways, namespaces and multiplexing,
// auth and connect errors, reconnection, connection state recovery, ack timeouts and retries.
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { Server, type Socket as ServerSocket } from "socket.io";
import { Server as SockwaveServer } from "@sockwave/io-server";
import msgpackParser from "socket.io-msgpack-parser";
import { io, Manager, type Socket, type ManagerOptions, type SocketOptions } from "@sockwave/io-client";

type ClientOptions = Partial<ManagerOptions & SocketOptions>;

const cleanups: Array<() => void | Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type ServerOptions = ConstructorParameters<typeof Server>[1];
/** Creates a Socket.IO server; both implementations are driven through the official server's typings. */
type ServerFactory = (http: HttpServer, opts: ServerOptions) => Server;

const implementations: Array<[string, ServerFactory]> = [
  ["socket.io 4.8.4", (http, opts) => new Server(http, opts)],
  ["@sockwave/io-server", (http, opts) => new SockwaveServer(http, opts as object) as unknown as Server],
];

let createIoServer: ServerFactory = implementations[0]![1];

/** A Socket.IO server of the implementation under test on 127.0.0.1:0, closed after the test. */
async function startServer(opts: ServerOptions = {}): Promise<{ server: Server; url: string; http: HttpServer }> {
  const http = createServer();
  const server = createIoServer(http, { pingInterval: 2000, pingTimeout: 2000, ...opts });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const { port } = http.address() as AddressInfo;
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        http.closeAllConnections();
      }),
  );
  return { server, url: `http://127.0.0.1:${port}`, http };
}

/** A client socket closed (with its Manager) after the test. */
function client(uri: string, opts: ClientOptions = {}): Socket {
  const socket = io(uri, { forceNew: true, reconnectionDelay: 20, reconnectionDelayMax: 50, ...opts });
  cleanups.push(() => {
    socket.disconnect();
    socket.io._close();
  });
  return socket;
}

/** Resolves with the arguments of the next `event` on `emitter`. */
function next<T extends unknown[] = unknown[]>(emitter: { once(ev: string, fn: (...args: never[]) => void): unknown }, event: string): Promise<T> {
  return new Promise((resolve) => emitter.once(event, (...args: unknown[]) => resolve(args as T)));
}

/** Resolves with the server socket of the next connection to `nsp`. */
function nextConnection(server: Server, nsp = "/"): Promise<ServerSocket> {
  return new Promise((resolve) => server.of(nsp).once("connection", resolve));
}

describe.each(implementations)("io-client against %s", (_name, factory) => {
  beforeAll(() => {
    createIoServer = factory;
  });

  const transportCases: Array<[string, ClientOptions, string]> = [
    ["polling", { transports: ["polling"] }, "polling"],
    ["websocket", { transports: ["websocket"] }, "websocket"],
    ["polling upgraded to websocket", {}, "websocket"],
  ];

  describe.each(transportCases)("over %s", (_name, transportOpts, finalTransport) => {
    it("connects, exchanges events with acks both ways, and disconnects with the official reasons", async () => {
      const { server, url } = await startServer();
      const serverSide = nextConnection(server);
      const socket = client(url, transportOpts);
      await next(socket, "connect");
      const peer = await serverSide;
      expect(socket.connected).toBe(true);
      expect(socket.disconnected).toBe(false);
      expect(socket.active).toBe(true);
      expect(socket.id).toBe(peer.id);
      expect(socket.recovered).toBe(false);

      if (finalTransport === "websocket" && !transportOpts.transports) {
        // wait for the upgrade to finish before checking the transport
        if (socket.io.engine.transport.name !== "websocket") await next(socket.io.engine, "upgrade");
      }

      // client -> server with ack, including binary and nested data
      peer.on("echo", (...args: unknown[]) => {
        const ack = args.pop() as (...values: unknown[]) => void;
        ack(...args);
      });
      const reply = await new Promise<unknown[]>((resolve) =>
        socket.emit("echo", 1, "two", { three: [3] }, Buffer.from([4, 5]), (...values: unknown[]) => resolve(values)),
      );
      expect(reply[0]).toBe(1);
      expect(reply[1]).toBe("two");
      expect(reply[2]).toEqual({ three: [3] });
      expect(Buffer.from(reply[3] as Uint8Array)).toEqual(Buffer.from([4, 5]));
      expect(await socket.emitWithAck("echo", "promise")).toBe("promise");
      expect(await socket.compress(false).emitWithAck("echo", "uncompressed")).toBe("uncompressed");

      // server -> client with ack
      socket.on("question", (value: number, ack: (answer: number) => void) => ack(value * 2));
      expect(await peer.timeout(5000).emitWithAck("question", 21)).toBe(42);

      // send() is a "message" event
      const message = new Promise<unknown[]>((resolve) => peer.once("message", (...args: unknown[]) => resolve(args)));
      socket.send("hi", 2);
      expect(await message).toEqual(["hi", 2]);

      expect(peer.conn.transport.name).toBe(finalTransport);

      const serverReason = new Promise<string>((resolve) => peer.once("disconnect", resolve));
      const clientReason = next<[string]>(socket, "disconnect");
      socket.disconnect();
      expect((await clientReason)[0]).toBe("io client disconnect");
      expect(await serverReason).toBe("client namespace disconnect");
      expect(socket.active).toBe(false);
      expect(socket.id).toBeUndefined();
    });

    it("is told 'io server disconnect' and stays down when the server disconnects it", async () => {
      const { server, url } = await startServer();
      const serverSide = nextConnection(server);
      const socket = client(url, transportOpts);
      await next(socket, "connect");
      const peer = await serverSide;
      const reason = next<[string]>(socket, "disconnect");
      peer.disconnect();
      expect((await reason)[0]).toBe("io server disconnect");
      expect(socket.active).toBe(false);
      expect(socket.connected).toBe(false);
    });

    it("reconnects after the server drops the transport and sends what was buffered meanwhile", async () => {
      const { server, url } = await startServer();
      const socket = client(url, transportOpts);
      const firstPeer = nextConnection(server);
      await next(socket, "connect");
      const events: string[] = [];
      socket.io.on("reconnect_attempt", () => events.push("reconnect_attempt"));
      socket.io.on("reconnect", () => events.push("reconnect"));

      const reason = next<[string]>(socket, "disconnect");
      (await firstPeer).conn.close(); // the engine connection goes away under the socket
      expect((await reason)[0]).toBe("transport close");
      expect(socket.active).toBe(true);

      // buffered while offline, delivered after the reconnection; volatile ones are dropped
      socket.volatile.emit("lost");
      socket.emit("kept", 1);
      expect(socket.sendBuffer).toHaveLength(1);

      const kept = new Promise<unknown[]>((resolve) =>
        server.once("connection", (peer) => peer.onAny((...args: unknown[]) => resolve(args))),
      );
      await next(socket, "connect");
      expect(await kept).toEqual(["kept", 1]);
      expect(events).toEqual(["reconnect_attempt", "reconnect"]);
      expect(socket.sendBuffer).toHaveLength(0);
    });
  });

  describe("namespaces and multiplexing", () => {
    it("takes the namespace from the path and the query from the URL", async () => {
      const { server, url } = await startServer();
      const serverSide = nextConnection(server, "/admin");
      const socket = client(`${url}/admin?token=abc&x=1`);
      await next(socket, "connect");
      const peer = await serverSide;
      expect(peer.nsp.name).toBe("/admin");
      expect(peer.handshake.query.token).toBe("abc");
      expect(peer.handshake.query.x).toBe("1");
    });

    it("shares one Manager between namespaces, but not with forceNew, multiplex: false or the same namespace twice", async () => {
      const { server, url } = await startServer();
      server.of("/chat");
      server.of("/other");
      const main = io(url, { reconnection: false });
      const chat = io(`${url}/chat`, { reconnection: false });
      const forced = io(`${url}/chat`, { forceNew: true, reconnection: false });
      const unshared = io(`${url}/other`, { multiplex: false, reconnection: false });
      const again = io(url, { reconnection: false });
      const sockets = [main, chat, forced, unshared, again];
      cleanups.push(() => {
        for (const socket of sockets) {
          socket.disconnect();
          socket.io._close();
        }
      });
      expect(chat.io).toBe(main.io);
      expect(forced.io).not.toBe(main.io);
      expect(unshared.io).not.toBe(main.io);
      expect(again.io).not.toBe(main.io);
      await Promise.all(sockets.map((socket) => next(socket, "connect")));
      // one engine connection for / and /chat
      expect(main.io.engine.id).toBe(chat.io.engine.id);
      expect(forced.io.engine.id).not.toBe(main.io.engine.id);
    });

    it("keeps the shared connection while another namespace is active and closes it with the last one", async () => {
      const { server, url } = await startServer();
      server.of("/b");
      const manager = new Manager(url, { reconnection: false });
      cleanups.push(() => manager._close());
      const a = manager.socket("/");
      const b = manager.socket("/b");
      await Promise.all([next(a, "connect"), next(b, "connect")]);
      a.disconnect();
      expect(manager._readyState).toBe("open");
      const closed = next<[string]>(manager, "close");
      b.disconnect();
      expect((await closed)[0]).toBe("forced close");
      expect(manager._readyState).toBe("closed");
    });

    it("reconnects every namespace of a shared connection after the transport drops", async () => {
      const { server, url } = await startServer();
      server.of("/chat");
      const main = client(url);
      const chat = main.io.socket("/chat");
      await Promise.all([main.connected || next(main, "connect"), chat.connected || next(chat, "connect")]);
      const [mainId, chatId] = [main.id, chat.id];
      const reconnected = Promise.all([next(main, "connect"), next(chat, "connect")]);
      for (const peer of server.of("/").sockets.values()) peer.conn.close();
      await reconnected;
      expect(main.connected && chat.connected).toBe(true);
      expect(main.id).not.toBe(mainId);
      expect(chat.id).not.toBe(chatId);
      expect(chat.io).toBe(main.io);
    });

    it("connects again with connect() after disconnect()", async () => {
      const { url } = await startServer();
      const socket = client(url);
      await next(socket, "connect");
      const firstId = socket.id;
      socket.disconnect();
      expect(socket.io._readyState).toBe("closed");
      socket.connect();
      await next(socket, "connect");
      expect(socket.connected).toBe(true);
      expect(socket.id).not.toBe(firstId);
    });

    it("reports an unknown namespace as connect_error and leaves the others connected", async () => {
      const { url } = await startServer();
      const main = client(url);
      const ghost = main.io.socket("/ghost");
      const [err] = await next<[Error]>(ghost, "connect_error");
      expect(err.message).toBe("Invalid namespace");
      expect(ghost.active).toBe(false);
      if (!main.connected) await next(main, "connect");
      expect(main.connected).toBe(true);
    });
  });

  describe("auth, middleware errors, catch-all listeners", () => {
    it("sends auth as an object or asks a function anew on every connection", async () => {
      const { server, url } = await startServer();
      const received: unknown[] = [];
      server.use((peer, nextFn) => {
        received.push(peer.handshake.auth);
        nextFn();
      });
      const objectAuth = client(url, { auth: { token: "static" } });
      await next(objectAuth, "connect");
      let calls = 0;
      const functionAuth = client(url, {
        auth: (cb) => {
          calls++;
          cb({ token: `dynamic-${calls}` });
        },
      });
      await next(functionAuth, "connect");
      expect(received).toEqual([{ token: "static" }, { token: "dynamic-1" }]);
    });

    it("gives connect_error with err.data from the middleware and does not reconnect", async () => {
      const { server, url } = await startServer();
      server.use((_peer, nextFn) => {
        const err = new Error("not authorized") as Error & { data?: unknown };
        err.data = { code: 401, retry: false };
        nextFn(err);
      });
      const socket = client(url);
      const [err] = await next<[Error & { data?: unknown }]>(socket, "connect_error");
      expect(err.message).toBe("not authorized");
      expect(err.data).toEqual({ code: 401, retry: false });
      expect(socket.active).toBe(false);
    });

    it("calls onAny for incoming and onAnyOutgoing for outgoing events, and lets them be removed", async () => {
      const { server, url } = await startServer();
      const serverSide = nextConnection(server);
      const socket = client(url);
      await next(socket, "connect");
      const peer = await serverSide;
      const incoming: unknown[][] = [];
      const outgoing: unknown[][] = [];
      const first = (...args: unknown[]) => incoming.push(["first", ...args]);
      socket.onAny((...args: unknown[]) => incoming.push(args));
      socket.prependAny(first);
      socket.onAnyOutgoing((...args: unknown[]) => outgoing.push(args));
      expect(socket.listenersAny()).toHaveLength(2);
      const arrived = next(socket, "news");
      peer.emit("news", 1);
      await arrived;
      expect(incoming).toEqual([["first", "news", 1], ["news", 1]]);
      socket.offAny(first);
      expect(socket.listenersAny()).toHaveLength(1);
      socket.emit("out", "x");
      expect(outgoing).toEqual([["out", "x"]]);
      socket.offAnyOutgoing();
      expect(socket.listenersAnyOutgoing()).toHaveLength(0);
    });

    it("refuses to emit reserved event names", async () => {
      const { url } = await startServer();
      const socket = client(url, { autoConnect: false });
      expect(() => socket.emit("connect" as string)).toThrow(/reserved event name/);
      expect(() => socket.emit("disconnect" as string)).toThrow(/reserved event name/);
    });
  });

  describe("acks with timeouts and retries", () => {
    it("fails an unanswered ack with 'operation has timed out' (timeout() and ackTimeout)", async () => {
      const { server, url } = await startServer();
      server.on("connection", (peer) => peer.on("silence", () => undefined));
      const socket = client(url);
      await next(socket, "connect");
      const [err] = await new Promise<[Error | null]>((resolve) =>
        socket.timeout(50).emit("silence", (e: Error | null) => resolve([e])),
      );
      expect(err?.message).toBe("operation has timed out");
      await expect(socket.timeout(50).emitWithAck("silence")).rejects.toThrow("operation has timed out");

      const withDefault = client(url, { ackTimeout: 50 });
      await next(withDefault, "connect");
      await expect(withDefault.emitWithAck("silence")).rejects.toThrow("operation has timed out");
    });

    it("fails pending error-first acks on disconnection", async () => {
      const { server, url } = await startServer();
      const serverSide = nextConnection(server);
      const socket = client(url);
      await next(socket, "connect");
      const peer = await serverSide;
      peer.on("never", () => undefined);
      const pending = socket.timeout(60_000).emitWithAck("never");
      await new Promise<void>((resolve) => peer.once("never", () => resolve()));
      peer.disconnect();
      await expect(pending).rejects.toThrow("socket has been disconnected");
    });

    it("retries an emit until acknowledged and delivers queued emits in order", async () => {
      const { server, url } = await startServer();
      const seen: string[] = [];
      server.on("connection", (peer) => {
        let dropped = false;
        peer.on("job", (name: string, ack: (result: string) => void) => {
          seen.push(name);
          // ignore the very first attempt: the client must resend it
          if (!dropped) {
            dropped = true;
            return;
          }
          ack(`done ${name}`);
        });
      });
      const socket = client(url, { retries: 3, ackTimeout: 100 });
      const results = await Promise.all([socket.emitWithAck("job", "a"), socket.emitWithAck("job", "b")]);
      expect(results).toEqual(["done a", "done b"]);
      expect(seen).toEqual(["a", "a", "b"]);
    });

    it("gives up after the retries and reports the timeout", async () => {
      const { server, url } = await startServer();
      let attempts = 0;
      server.on("connection", (peer) => peer.on("job", () => attempts++));
      const socket = client(url, { retries: 2, ackTimeout: 40 });
      await expect(socket.emitWithAck("job")).rejects.toThrow("operation has timed out");
      expect(attempts).toBe(3);
    });
  });

  describe("connection state recovery", () => {
    it("recovers the session and receives the packets missed while the transport was down", async () => {
      const { server, url } = await startServer({ connectionStateRecovery: { maxDisconnectionDuration: 60_000 } });
      const firstPeer = nextConnection(server);
      const socket = client(url);
      const received: unknown[] = [];
      socket.on("tick", (n: number) => received.push(n));
      await next(socket, "connect");
      expect(socket.recovered).toBe(false);
      const peer = await firstPeer;
      const firstId = socket.id;

      server.emit("tick", 1);
      await new Promise<void>((resolve) => socket.once("tick", () => resolve()));

      const down = next(socket, "disconnect");
      peer.conn.close();
      await down;
      server.emit("tick", 2);
      server.emit("tick", 3);

      const secondPeer = nextConnection(server);
      await next(socket, "connect");
      const recoveredPeer = await secondPeer;
      expect(socket.recovered).toBe(true);
      expect(recoveredPeer.recovered).toBe(true);
      expect(socket.id).toBe(firstId);
      if (received.length < 3) await new Promise<void>((resolve) => socket.on("tick", () => received.length === 3 && resolve()));
      expect(received).toEqual([1, 2, 3]);
    });
  });

  describe("Manager", () => {
    it("emits reconnect_attempt, reconnect_error and reconnect_failed when the server is gone", async () => {
      const { url, server } = await startServer();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      const socket = client(url, { reconnectionAttempts: 2, reconnectionDelay: 5, reconnectionDelayMax: 10 });
      const events: string[] = [];
      socket.io.on("reconnect_attempt", (n) => events.push(`attempt ${n}`));
      socket.io.on("reconnect_error", () => events.push("error"));
      const errors: Error[] = [];
      socket.on("connect_error", (err) => errors.push(err));
      await next(socket.io, "reconnect_failed");
      expect(events).toEqual(["attempt 1", "error", "attempt 2", "error"]);
      expect(errors).toHaveLength(3);
      expect(socket.connected).toBe(false);
    });

    it("emits ping for each server heartbeat and packet for each decoded packet", async () => {
      const { server, url } = await startServer({ pingInterval: 30, pingTimeout: 1000 });
      const socket = client(url);
      const packets: number[] = [];
      socket.io.on("packet", (packet) => packets.push(packet.type));
      await next(socket, "connect");
      await next(socket.io, "ping");
      await next(socket.io, "ping");
      expect(socket.connected).toBe(true);
      const news = next(socket, "news");
      server.emit("news");
      await news;
      expect(packets).toEqual([0, 2]); // CONNECT, then EVENT
    });

    it("speaks through a custom parser (socket.io-msgpack-parser) on both sides", async () => {
      const { server, url } = await startServer({ parser: msgpackParser });
      server.on("connection", (peer) => {
        peer.on("sum", (a: number, b: number, ack: (total: number) => void) => ack(a + b));
        peer.on("echo", (value: unknown, ack: (value: unknown) => void) => ack(value));
      });
      const socket = client(url, { parser: msgpackParser });
      await next(socket, "connect");
      expect(await socket.emitWithAck("sum", 2, 3)).toBe(5);
      expect(await socket.emitWithAck("echo", { text: "hi", list: [1, 2] })).toEqual({ text: "hi", list: [1, 2] });
      expect([...(await socket.emitWithAck("echo", Buffer.from([7, 8, 9])) as Uint8Array)]).toEqual([7, 8, 9]);
      const binary = next<[Uint8Array]>(socket, "bytes");
      server.emit("bytes", Buffer.from([1, 2, 3]));
      expect([...(await binary)[0]]).toEqual([1, 2, 3]);
    });

    it("fails with 'timeout' when the server does not answer the handshake in time", async () => {
      const silent = createServer(() => undefined); // accepts requests, never answers
      await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
      cleanups.push(
        () =>
          new Promise<void>((resolve) => {
            silent.closeAllConnections();
            silent.close(() => resolve());
          }),
      );
      const { port } = silent.address() as AddressInfo;
      const socket = client(`http://127.0.0.1:${port}`, { timeout: 50, reconnection: false, transports: ["polling"] });
      const [err] = await next<[Error]>(socket, "connect_error");
      expect(err.message).toBe("timeout");
    });

    it("with autoConnect: false, connects only on connect() and exposes the defaults", async () => {
      const { url } = await startServer();
      const socket = client(url, { autoConnect: false, forceNew: true });
      const manager = socket.io;
      expect(manager._readyState).toBe("closed");
      expect(manager.reconnection()).toBe(true);
      expect(manager.reconnectionAttempts()).toBe(Infinity);
      expect(manager.randomizationFactor()).toBe(0.5);
      expect(manager.timeout()).toBe(20000);
      expect(new Manager({ autoConnect: false }).reconnectionDelay()).toBe(1000);
      expect(new Manager({ autoConnect: false }).reconnectionDelayMax()).toBe(5000);
      expect(socket.active).toBe(false);
      socket.open(); // alias of connect()
      expect(socket.active).toBe(true);
      await next(socket, "connect");
      expect(socket.connected).toBe(true);
      const reason = next<[string]>(socket, "disconnect");
      socket.close(); // alias of disconnect()
      expect((await reason)[0]).toBe("io client disconnect");
      expect(manager._readyState).toBe("closed");
    });
  });
});
