import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { attach as attachEngine } from "@sockwave/engine-server";
import { Adapter } from "@sockwave/io-adapter";
import { Server, type Namespace, type Socket } from "@sockwave/io-server";
import { afterEach, describe, expect, test } from "vitest";
import { nextEvent } from "./events";
import { RawPollingClient, startServer } from "./raw-polling";

const servers: Server[] = [];
afterEach(async () => {
  for (const io of servers.splice(0)) await io.close();
});

async function setup(opts = {}) {
  const started = await startServer(opts);
  servers.push(started.io);
  return started;
}

async function connected(port: number, io: Server, path?: string): Promise<{ client: RawPollingClient; socket: Socket }> {
  const connection = once(io, "connection") as Promise<[Socket]>;
  const client = await RawPollingClient.open(port, path);
  await client.connect();
  const [socket] = await connection;
  return { client, socket };
}

describe("construction and attachment", () => {
  test("a port number creates and listens on an HTTP server", async () => {
    const io = new Server(0);
    servers.push(io);
    await once(io.httpServer, "listening");
    const port = (io.httpServer.address() as AddressInfo).port;
    const { socket } = await connected(port, io);
    expect(socket.connected).toBe(true);
  });

  test("options first, attach() later, with a custom path", async () => {
    const io = new Server({ path: "/custom/" });
    servers.push(io);
    expect(io.path()).toBe("/custom");
    const http = createServer();
    io.attach(http);
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    const { socket } = await connected((http.address() as AddressInfo).port, io, "/custom/");
    expect(socket.handshake.url).toMatch(/^\/custom\/\?EIO=4/);
  });

  test("bind() adopts an engine created separately; listen() is attach()", async () => {
    const http = createServer();
    const engine = attachEngine(http, { path: "/socket.io" });
    const io = new Server().bind(engine);
    servers.push(io);
    expect(io.engine).toBe(engine);
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    const { socket } = await connected((http.address() as AddressInfo).port, io);
    expect(io.engine.clientsCount).toBe(1);
    expect(socket.connected).toBe(true);
    await new Promise((resolve) => http.close(resolve));

    const other = new Server({ serveClient: false });
    servers.push(other);
    other.listen(0);
    await once(other.httpServer, "listening");
    const port = (other.httpServer.address() as AddressInfo).port;
    expect((await connected(port, other)).socket.nsp.name).toBe("/");
  });

  test("attaching to a request handler function is refused with an explanation", () => {
    const io = new Server();
    expect(() => io.attach((() => {}) as never)).toThrow(/http\.Server instance/);
  });

  test("attachApp() (uWebSockets.js) explains that it is not supported", () => {
    expect(() => new Server().attachApp({})).toThrow(/not supported.*http or https server/);
  });

  test("option accessors keep socket.io's defaults", () => {
    const io = new Server();
    expect(io.connectTimeout()).toBe(45000);
    expect(io.serveClient()).toBe(true);
    expect(io.path()).toBe("/socket.io");
    expect(io.connectTimeout(1000)).toBe(io);
    expect(io.connectTimeout()).toBe(1000);
    expect(io.opts.cleanupEmptyChildNamespaces).toBe(false);
    expect(io.binary(false)).toBe(io);
  });

  test("close() calls its callback and resolves", async () => {
    const { io } = await startServer();
    let called = false;
    await io.close(() => (called = true));
    expect(called).toBe(true);
  });
});

describe("the server acts on the main namespace", () => {
  test("EventEmitter methods, emit and use are forwarded", async () => {
    const { io, port } = await setup();
    const listener = () => {};
    io.on("connection", listener);
    expect(io.listeners("connection")).toContain(listener);
    expect(io.sockets.listeners("connection")).toContain(listener);
    io.off("connection", listener);
    expect(io.sockets.listeners("connection")).not.toContain(listener);
    const { client } = await connected(port, io);
    io.emit("all", 1);
    expect(await client.receive()).toEqual(['42["all",1]']);
    io.send("hi");
    expect(await client.receive()).toEqual(['42["message","hi"]']);
  });

  test("reserved event names throw", async () => {
    const { io, port } = await setup();
    const { socket } = await connected(port, io);
    expect(() => socket.emit("disconnect" as never)).toThrow('"disconnect" is a reserved event name');
    expect(() => io.emit("connect" as never)).toThrow('"connect" is a reserved event name');
    expect(() => io.to("room").emit("newListener" as never)).toThrow("reserved event name");
  });
});

describe("sockets", () => {
  test("handshake, data and room callbacks", async () => {
    const { io, port } = await setup();
    const { socket } = await connected(port, io);
    expect(socket.handshake.xdomain).toBe(false);
    expect(socket.handshake.secure).toBe(false);
    expect(new Date(socket.handshake.time).getTime()).toBe(Math.floor(socket.handshake.issued / 1000) * 1000);
    expect(socket.handshake).toBe(socket.handshake);
    expect(socket.data).toEqual({});
    socket.data = { user: 1 };
    expect(socket.data).toEqual({ user: 1 });
    const joined = await new Promise((resolve) => socket.join(["a", "b"], resolve));
    expect(joined).toBeNull();
    expect(socket.rooms).toEqual(new Set([socket.id, "a", "b"]));
    const left = await new Promise((resolve) => socket.leave("a", resolve));
    expect(left).toBeNull();
    expect(socket.rooms).toEqual(new Set([socket.id, "b"]));
    expect(socket.binary(true)).toBe(socket);
    socket.handshake = { ...socket.handshake, auth: { replaced: true } };
    expect(socket.handshake.auth).toEqual({ replaced: true });
  });

  test("a throwing connection middleware refuses the socket; a throwing packet middleware drops the event", async () => {
    const { io, port } = await setup();
    io.of("/strict").use(() => {
      throw new Error("middleware bug");
    });
    const client = await RawPollingClient.open(port);
    expect(await client.connect("/strict")).toBe('44/strict,{"message":"middleware bug"}');
    const { client: other, socket } = await connected(port, io);
    const errors: Error[] = [];
    socket.on("error", (err) => errors.push(err));
    socket.use(([event]) => {
      if (event === "bad") throw new Error("packet middleware bug");
    });
    const errored = nextEvent(socket, "error");
    await other.send('42["bad"]');
    await errored;
    expect(errors.map((e) => e.message)).toEqual(["packet middleware bug"]);
    expect(socket.connected).toBe(true);
  });

  test("pre-encoded packets through socket.packet() (adapters for socket.io-adapter < 2.3)", async () => {
    const { io, port } = await setup();
    const { client, socket } = await connected(port, io);
    const legacy = socket as unknown as { packet(packets: string[], opts: { preEncoded: boolean }): void };
    legacy.packet(['2["legacy",1]'], { preEncoded: true });
    expect(await client.receive()).toEqual(['42["legacy",1]']);
  });

  test("a volatile emit is dropped while the client cannot receive; a normal one is queued", async () => {
    const { io, port } = await setup();
    const { client, socket } = await connected(port, io);
    socket.volatile.emit("dropped");
    io.volatile.emit("dropped-too");
    socket.emit("kept");
    expect(await client.receive()).toEqual(['42["kept"]']);
  });

  test("a polling client that stops polling is disconnected once maxOutboundPackets are queued", async () => {
    const { io, port } = await setup({ maxOutboundPackets: 50 });
    const { client, socket } = await connected(port, io);
    const disconnect = nextEvent(socket, "disconnect");
    let sent = 0;
    while (socket.connected && sent < 1000) {
      socket.emit("queued", sent++);
    }
    expect(await disconnect).toEqual(["outbound buffer overflow", undefined]);
    expect(sent).toBe(51);
    expect(await client.waitForClose()).toMatch(/^1$|Session ID unknown/);
  });

  test("the same limit in bytes", async () => {
    const { io, port } = await setup({ maxOutboundBytes: 10_000 });
    const { socket } = await connected(port, io);
    const disconnect = nextEvent(socket, "disconnect");
    let sent = 0;
    while (socket.connected && sent < 1000) {
      socket.emit("queued", "x".repeat(1000));
      sent++;
    }
    expect((await disconnect)[0]).toBe("outbound buffer overflow");
    expect(sent).toBeLessThan(12);
  });
});

describe("namespaces and adapters", () => {
  test("the adapter option accepts a class or a factory function", async () => {
    class TaggedAdapter extends Adapter {
      readonly tag = "class";
    }
    const fromClass = new Server({ adapter: TaggedAdapter as never });
    expect((fromClass.of("/").adapter as TaggedAdapter).tag).toBe("class");
    const created: string[] = [];
    const fromFactory = new Server({
      adapter: ((nsp: Namespace) => {
        created.push(nsp.name);
        return new Adapter(nsp as never);
      }) as never,
    });
    fromFactory.of("/x");
    expect(created).toEqual(["/", "/x"]);
  });

  test("cleanupEmptyChildNamespaces removes a dynamic namespace when its last socket leaves", async () => {
    const { io, port } = await setup({ cleanupEmptyChildNamespaces: true });
    const parent = io.of(/^\/tmp-\d+$/);
    const connection = once(parent, "connection") as Promise<[Socket]>;
    const client = await RawPollingClient.open(port);
    await client.send("40/tmp-1,");
    const [socket] = await connection;
    expect(io._nsps.has("/tmp-1")).toBe(true);
    const disconnect = nextEvent(socket, "disconnect");
    await client.send("41/tmp-1,");
    await disconnect;
    expect(io._nsps.has("/tmp-1")).toBe(false);
  });

  test("fetchSockets() wraps sockets of other nodes in RemoteSocket objects that act through the adapter", async () => {
    const { io, port } = await setup();
    const { client, socket } = await connected(port, io);
    // An adapter that reports this node's socket the way a cluster adapter reports a remote one.
    const adapter = io.of("/").adapter;
    adapter.fetchSockets = async () => [{ id: socket.id, handshake: socket.handshake, rooms: [...socket.rooms], data: { x: 1 } }] as never;
    const [remote] = await io.fetchSockets();
    expect(remote!.constructor.name).toBe("RemoteSocket");
    expect(remote!.data).toEqual({ x: 1 });
    expect(remote!.rooms).toEqual(new Set([socket.id]));
    remote!.emit("remote", 1);
    expect(await client.receive()).toEqual(['42["remote",1]']);
    remote!.join("joined");
    expect(socket.rooms.has("joined")).toBe(true);
    remote!.leave("joined");
    expect(socket.rooms.has("joined")).toBe(false);
    const disconnect = nextEvent(socket, "disconnect");
    remote!.disconnect();
    expect((await disconnect)[0]).toBe("server namespace disconnect");
  });

  test("a CONNECT repeated during an asynchronous dynamic-namespace check yields one socket", async () => {
    const { io, port } = await setup();
    let allow!: () => void;
    const gate = new Promise<void>((resolve) => (allow = resolve));
    const parent = io.of((_name, _auth, next) => void gate.then(() => next(null, true)));
    const connections: Socket[] = [];
    parent.on("connection", (socket) => connections.push(socket));
    const client = await RawPollingClient.open(port);
    await client.send("40/dyn,", "40/dyn,", "40/dyn,");
    allow();
    const [reply] = await client.receive();
    expect(reply).toMatch(/^40\/dyn,\{"sid":"/);
    const after = nextEvent(connections[0]!, "after");
    await client.send('42/dyn,["after"]');
    await after;
    expect(connections).toHaveLength(1);
    expect(io.of("/dyn").sockets.size).toBe(1);
  });

  test("stateful regular expressions are refused", () => {
    const io = new Server();
    expect(() => io.of(/abc/g)).toThrow("stateful regular expressions are not supported");
  });

  test("fetchSockets() on a parent namespace says where to call it instead", () => {
    const io = new Server();
    expect(() => io.of(/x/).fetchSockets()).toThrow(/child namespace/);
  });
});
