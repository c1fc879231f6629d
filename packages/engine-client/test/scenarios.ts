// Scenarios of our engine client against an Engine.IO server, over real sockets on both transports. Run
// against the official engine.io 6.6 (packages/interop) and against @sockwave/engine-server (this package).
import { createServer, type IncomingMessage, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { WebSocket as WsWebSocket } from "ws";
import { Fetch, NodeWebSocket, Socket, SocketWithoutUpgrade, SocketWithUpgrade, WebSocket, WebTransport, type SocketOptions } from "@sockwave/engine-client";

/** The server socket API both servers share (engine.io's typings hide some of it). */
export interface ServerSocket {
  id: string;
  request: IncomingMessage;
  transport: { name: string };
  send(data: unknown): unknown;
  close(): unknown;
  on(event: string, listener: (...args: never[]) => void): unknown;
}

/** The server API both servers share. */
export interface EngineServer {
  clients: Record<string, ServerSocket>;
  on(event: string, listener: (...args: never[]) => void): unknown;
  once(event: string, listener: (socket: ServerSocket) => void): unknown;
  close(): unknown;
}

export interface ServerOptions {
  pingInterval?: number;
  pingTimeout?: number;
  maxHttpBufferSize?: number;
  transports?: Array<"polling" | "websocket">;
  cookie?: { name: string; path?: string; httpOnly?: boolean };
  perMessageDeflate?: boolean;
}

/** Attaches an engine server to an http server (`attach` of engine.io or of @sockwave/engine-server). */
export type AttachEngine = (http: HttpServer, opts: ServerOptions) => EngineServer;

interface Harness {
  http: HttpServer;
  engine: EngineServer;
  port: number;
  /** Every HTTP request and WebSocket upgrade request the server received, in order. */
  requests: IncomingMessage[];
}

export function describeClientScenarios(serverName: string, attachEngine: AttachEngine): void {
  const openHarnesses: Harness[] = [];
  const openClients: Array<{ close(): unknown }> = [];

  async function startServer(opts: ServerOptions = {}): Promise<Harness> {
    const http = createServer();
    const requests: IncomingMessage[] = [];
    const engine = attachEngine(http, opts);
    // After attach: engine.io takes over the listeners that exist when it attaches.
    http.prependListener("request", (req: IncomingMessage) => requests.push(req));
    // Only next to engine.io's own: a lone upgrade listener would keep refused upgrades hanging.
    if (http.listenerCount("upgrade") > 0) http.prependListener("upgrade", (req: IncomingMessage) => requests.push(req));
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    const harness = { http, engine, port: (http.address() as AddressInfo).port, requests };
    openHarnesses.push(harness);
    return harness;
  }

  function connect(harness: Harness, opts: SocketOptions = {}): Socket {
    const client = new Socket(`http://127.0.0.1:${harness.port}`, opts);
    openClients.push(client);
    return client;
  }

  function nextConnection(harness: Harness): Promise<ServerSocket> {
    return new Promise((resolve) => harness.engine.once("connection", resolve));
  }

  /** Both our typed emitter and Node's EventEmitter, seen without their event typing. */
  interface LooseEmitter {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test helper over differently typed emitters
    once(event: string, listener: (...args: any[]) => void): unknown;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    on(event: string, listener: (...args: any[]) => void): unknown;
  }

  function once<T extends unknown[]>(emitter: object, event: string): Promise<T> {
    return new Promise((resolve) => (emitter as LooseEmitter).once(event, (...args: T) => resolve(args)));
  }

  function collect(emitter: object, event: string, count: number): Promise<unknown[]> {
    return new Promise((resolve) => {
      const items: unknown[] = [];
      (emitter as LooseEmitter).on(event, (data: unknown) => {
        items.push(data);
        if (items.length === count) resolve(items);
      });
    });
  }

  afterEach(async () => {
    for (const client of openClients.splice(0)) client.close();
    for (const { http, engine } of openHarnesses.splice(0)) {
      engine.close();
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    }
  });

  describe.each([
    { name: "polling", transports: ["polling"] },
    { name: "websocket", transports: ["websocket"] },
  ])(`engine-client with ${serverName} over $name`, ({ name, transports }) => {
    it("opens with a valid handshake and exchanges text and binary both ways", async () => {
      const harness = await startServer();
      const serverSocketPromise = nextConnection(harness);
      const client = connect(harness, { transports });
      const handshakePromise = once<[{ sid: string; pingInterval: number; maxPayload: number }]>(client, "handshake");
      const openPromise = once(client, "open");
      const [handshake] = await handshakePromise;
      await openPromise;
      const serverSocket = await serverSocketPromise;
      expect(client.id).toBe(serverSocket.id);
      expect(handshake.sid).toMatch(/^[\w-]{20}$/);
      expect(handshake.pingInterval).toBe(25000);
      expect(handshake.maxPayload).toBe(1e6);
      expect(client.transport.name).toBe(name);

      const serverGot = collect(serverSocket, "message", 3);
      client.send("héllo ✓");
      client.send(Buffer.from([1, 2, 3, 255]));
      client.send(new Uint8Array([9, 8]).buffer);
      const received = await serverGot;
      expect(received[0]).toBe("héllo ✓");
      expect(Buffer.from(received[1] as Buffer)).toEqual(Buffer.from([1, 2, 3, 255]));
      expect(Buffer.from(received[2] as Buffer)).toEqual(Buffer.from([9, 8]));

      const clientGot = collect(client, "message", 2);
      serverSocket.send("from server 🚀");
      serverSocket.send(Buffer.from([0, 128, 7]));
      const fromServer = await clientGot;
      expect(fromServer[0]).toBe("from server 🚀");
      expect(Buffer.isBuffer(fromServer[1])).toBe(true);
      expect([...(fromServer[1] as Buffer)]).toEqual([0, 128, 7]);
    });

    it("delivers binary as ArrayBuffer when binaryType is arraybuffer, and base64 when forced", async () => {
      const harness = await startServer();
      const serverSocketPromise = nextConnection(harness);
      const client = connect(harness, { transports, forceBase64: true });
      client.binaryType = "arraybuffer";
      await once(client, "open");
      const serverSocket = await serverSocketPromise;
      const serverGot = once<[Buffer]>(serverSocket, "message");
      client.send(Buffer.from([4, 5, 6]));
      expect([...(await serverGot)[0]]).toEqual([4, 5, 6]);
      const clientGot = once<[ArrayBuffer]>(client, "message");
      serverSocket.send(Buffer.from([7, 8]));
      const [data] = await clientGot;
      expect(data).toBeInstanceOf(ArrayBuffer);
      expect([...new Uint8Array(data)]).toEqual([7, 8]);
      // Like the official client, every request of the session says b64=1, not only the handshake.
      expect(harness.requests.length).toBeGreaterThan(0);
      expect(harness.requests.every((req) => req.url?.includes("b64=1"))).toBe(true);
    });

    it("emits packetCreate, flush and drain around a write and calls its callback once flushed", async () => {
      const harness = await startServer();
      const client = connect(harness, { transports, upgrade: false });
      await once(client, "open");
      const events: string[] = [];
      client.on("packetCreate", (packet) => events.push(`packetCreate:${packet.type}:${String(packet.data)}`));
      client.on("flush", () => events.push("flush"));
      const drained = once(client, "drain");
      const called = new Promise<void>((resolve) =>
        client.send("with callback", { compress: false }, () => {
          events.push("callback");
          resolve();
        }),
      );
      await called;
      await drained;
      events.push("drain");
      expect(events).toEqual(["packetCreate:message:with callback", "flush", "callback", "drain"]);
      expect(client.writeBuffer).toEqual([]);
    });

    it("sends query parameters and extra headers with every request", async () => {
      const harness = await startServer();
      const serverSocketPromise = nextConnection(harness);
      const client = connect(harness, { transports, query: { token: "a b&c" }, extraHeaders: { "x-team": "sockwave" } });
      await once(client, "open");
      const serverSocket = await serverSocketPromise;
      expect(serverSocket.request.headers["x-team"]).toBe("sockwave");
      expect(new URL(serverSocket.request.url!, "http://x").searchParams.get("token")).toBe("a b&c");
    });

    it("closes with 'forced close' on close() and the server sees 'transport close'", async () => {
      const harness = await startServer();
      const serverSocketPromise = nextConnection(harness);
      const client = connect(harness, { transports });
      await once(client, "open");
      const serverSocket = await serverSocketPromise;
      const serverClosed = once<[string]>(serverSocket, "close");
      const clientClosed = once<[string]>(client, "close");
      client.send("last words");
      const lastMessage = once<[string]>(serverSocket, "message");
      client.close();
      expect((await clientClosed)[0]).toBe("forced close");
      expect((await lastMessage)[0]).toBe("last words");
      expect((await serverClosed)[0]).toBe("transport close");
      expect(client.readyState).toBe("closed");
      expect(client.id).toBeNull();
    });

    it("closes with 'transport close' when the server closes the session", async () => {
      const harness = await startServer();
      const serverSocketPromise = nextConnection(harness);
      const client = connect(harness, { transports });
      await once(client, "open");
      const clientClosed = once<[string, unknown]>(client, "close");
      (await serverSocketPromise).close();
      const [reason] = await clientClosed;
      expect(reason).toBe("transport close");
    });

    it("answers the server's pings and stays open across several heartbeats", async () => {
      // A long pingTimeout: a busy machine must not turn a slow pong into a failure.
      const harness = await startServer({ pingInterval: 30, pingTimeout: 5000 });
      const serverSocketPromise = nextConnection(harness);
      const client = connect(harness, { transports });
      let closed = false;
      client.on("close", () => {
        closed = true;
      });
      const pings = collect(client, "ping", 4);
      const serverSocket = await serverSocketPromise;
      const heartbeats = collect(serverSocket, "heartbeat", 4);
      expect((await pings).length).toBe(4);
      expect((await heartbeats).length).toBe(4);
      expect(closed).toBe(false);
      expect(client._hasPingExpired()).toBe(false);
    });
  });

  describe(`engine-client with ${serverName}: upgrade and options`, () => {
    it("upgrades from polling to websocket without losing or reordering messages", async () => {
      const harness = await startServer();
      const serverSocketPromise = nextConnection(harness);
      const client = connect(harness);
      const events: string[] = [];
      client.on("upgrading", (transport) => events.push(`upgrading:${transport.name}`));
      const upgraded = once(client, "upgrade");
      await once(client, "open");
      expect(client.transport.name).toBe("polling");
      const serverSocket = await serverSocketPromise;
      const count = 40;
      const serverGot = collect(serverSocket, "message", count);
      // Written before, during and after the switch.
      for (let i = 0; i < count / 2; i++) client.send(`m${i}`);
      await upgraded;
      for (let i = count / 2; i < count; i++) client.send(`m${i}`);
      expect(await serverGot).toEqual(Array.from({ length: count }, (_, i) => `m${i}`));
      expect(events).toEqual(["upgrading:websocket"]);
      expect(client.transport.name).toBe("websocket");
      expect(serverSocket.transport.name).toBe("websocket");
      const reply = once<[string]>(client, "message");
      serverSocket.send("after upgrade");
      expect((await reply)[0]).toBe("after upgrade");
    });

    it("closes when close() is called from an upgrade listener", async () => {
      const harness = await startServer();
      const serverSocketPromise = nextConnection(harness);
      const client = connect(harness);
      client.on("upgrade", () => client.close());
      const clientClosed = once<[string]>(client, "close");
      // The connection precedes any upgrade, so this listener is in place before the close.
      const serverClosed = once<[string]>(await serverSocketPromise, "close");
      expect((await clientClosed)[0]).toBe("forced close");
      expect((await serverClosed)[0]).toBe("transport close");
    });

    it("starts with websocket when rememberUpgrade is set and a previous connection upgraded", async () => {
      const harness = await startServer();
      const first = connect(harness);
      await once(first, "upgrade");
      first.close();
      const second = connect(harness, { rememberUpgrade: true });
      await once(second, "open");
      expect(second.transport.name).toBe("websocket");
    });

    it("falls back to the next transport with tryAllTransports when the first one fails", async () => {
      const harness = await startServer({ transports: ["polling"] });
      const client = connect(harness, { transports: ["websocket", "polling"], tryAllTransports: true });
      await once(client, "open");
      expect(client.transport.name).toBe("polling");
    });

    it("reports an error and closes with 'transport error' when the only transport is refused", async () => {
      const harness = await startServer({ transports: ["polling"] });
      const client = connect(harness, { transports: ["websocket"] });
      const errorPromise = once<[Error]>(client, "error");
      const closePromise = once<[string]>(client, "close");
      const [err] = await errorPromise;
      const [reason] = await closePromise;
      expect(err.message).toBe("websocket error");
      expect(reason).toBe("transport error");
    });

    it("splits polling writes so that no POST exceeds the server's maxHttpBufferSize", async () => {
      const maxHttpBufferSize = 1000;
      const harness = await startServer({ maxHttpBufferSize });
      const serverSocketPromise = nextConnection(harness);
      const client = connect(harness, { transports: ["polling"] });
      await once(client, "open");
      const serverSocket = await serverSocketPromise;
      let closedReason: string | undefined;
      serverSocket.on("close", (reason: string) => {
        closedReason = reason;
      });
      const messages = Array.from({ length: 30 }, (_, i) => `${i}`.padEnd(90, "x"));
      const serverGot = collect(serverSocket, "message", messages.length);
      const postsBefore = harness.requests.filter((req) => req.method === "POST").length;
      for (const message of messages) client.send(message);
      client.send(Buffer.alloc(500, 1));
      const binaryGot = collect(serverSocket, "message", messages.length + 1);
      expect(await serverGot).toEqual(messages);
      expect(((await binaryGot)[messages.length] as Buffer).length).toBe(500);
      const posts = harness.requests.filter((req) => req.method === "POST").length - postsBefore;
      // 30 * 91 bytes + one 668-byte base64 packet need at least 4 payloads of at most 1000 bytes.
      expect(posts).toBeGreaterThanOrEqual(4);
      expect(closedReason).toBeUndefined();
    });

    it.each([
      { polling: "node:http", transports: undefined },
      { polling: "fetch", transports: [Fetch, NodeWebSocket] },
    ])("keeps and sends back the session's cookies with withCredentials ($polling polling)", async ({ transports }) => {
      const harness = await startServer({ cookie: { name: "io", path: "/", httpOnly: true } });
      harness.engine.on("initial_headers", (headers: Record<string, string | string[]>) => {
        headers["set-cookie"] = [...[headers["set-cookie"] ?? []].flat(), "sticky=node-1; Path=/", "gone=x; Max-Age=0"];
      });
      const cookiesSeen: string[] = [];
      harness.engine.on("headers", (_headers: unknown, req: IncomingMessage) => {
        if (req.headers.cookie) cookiesSeen.push(req.headers.cookie);
      });
      const serverSocketPromise = nextConnection(harness);
      const client = transports
        ? new SocketWithUpgrade(`http://127.0.0.1:${harness.port}`, { withCredentials: true, transports })
        : connect(harness, { withCredentials: true });
      openClients.push(client);
      await once(client, "upgrade");
      const serverSocket = await serverSocketPromise;
      const got = once<[string]>(serverSocket, "message");
      client.send("x");
      await got;
      expect(cookiesSeen.length).toBeGreaterThan(0);
      for (const cookie of cookiesSeen) {
        expect(cookie).toContain("sticky=node-1");
        expect(cookie).toContain(`io=${client.id}`);
        expect(cookie).not.toContain("gone=");
      }
      // The WebSocket upgrade request carried the cookies too.
      const upgradeRequest = harness.requests.find((req) => req.headers.upgrade === "websocket");
      expect(upgradeRequest?.headers.cookie).toContain("sticky=node-1");
    });

    it("sends no cookies without withCredentials", async () => {
      const harness = await startServer({ cookie: { name: "io" } });
      const cookiesSeen: Array<string | undefined> = [];
      harness.engine.on("headers", (_headers: unknown, req: IncomingMessage) => cookiesSeen.push(req.headers.cookie));
      const client = connect(harness, { transports: ["polling"] });
      await once(client, "open");
      const ping = once(client, "message");
      (await nextConnectionOrExisting(harness)).send("x");
      await ping;
      expect(cookiesSeen.every((cookie) => cookie === undefined)).toBe(true);
    });

    it.each([
      { clientDeflate: undefined, offered: true },
      { clientDeflate: false as const, offered: false },
    ])("negotiates permessage-deflate unless disabled (client option $clientDeflate)", async ({ clientDeflate, offered }) => {
      const harness = await startServer({ perMessageDeflate: true });
      const serverSocketPromise = nextConnection(harness);
      const client = connect(harness, { transports: ["websocket"], perMessageDeflate: clientDeflate });
      await once(client, "open");
      const upgradeRequest = harness.requests.find((req) => req.headers.upgrade === "websocket");
      expect((upgradeRequest?.headers["sec-websocket-extensions"] ?? "").includes("permessage-deflate")).toBe(offered);
      const serverSocket = await serverSocketPromise;
      const large = "compressible ".repeat(2000);
      const got = collect(serverSocket, "message", 2);
      client.send(large);
      client.send("tiny");
      expect(await got).toEqual([large, "tiny"]);
    });

    it("offers WebSocket sub-protocols and timestamps WebSocket requests when timestampRequests is set", async () => {
      const harness = await startServer();
      const client = connect(harness, { transports: ["websocket"], protocols: ["chat.v2", "chat.v1"], timestampRequests: true });
      await once(client, "open");
      const upgradeRequest = harness.requests.find((req) => req.headers.upgrade === "websocket");
      expect(upgradeRequest?.headers["sec-websocket-protocol"]).toBe("chat.v2,chat.v1");
      expect(upgradeRequest?.url).toMatch(/[?&]t=/);
    });

    it("uses transportOptions per transport and timestampParam", async () => {
      const harness = await startServer();
      const serverSocketPromise = nextConnection(harness);
      const client = connect(harness, {
        timestampParam: "cachebust",
        transportOptions: { polling: { extraHeaders: { "x-only-polling": "1" } } },
      });
      await once(client, "upgrade");
      await serverSocketPromise;
      const polls = harness.requests.filter((req) => req.url?.includes("transport=polling"));
      expect(polls.length).toBeGreaterThan(0);
      expect(polls.every((req) => req.headers["x-only-polling"] === "1" && req.url!.includes("cachebust="))).toBe(true);
      // The WebSocket request: no polling-only header, and no timestamp unless timestampRequests is set.
      const upgradeRequest = harness.requests.find((req) => req.headers.upgrade === "websocket");
      expect(upgradeRequest?.headers["x-only-polling"]).toBeUndefined();
      expect(upgradeRequest?.url).not.toContain("cachebust=");
    });
  });

  describe(`engine-client with ${serverName}: fetch, native WebSocket and tree-shakable sockets`, () => {
    // Node 20 has no global WebSocket; ws implements the same browser API, so the native transport runs on it.
    const globals = globalThis as { WebSocket?: unknown };
    const hadWebSocket = "WebSocket" in globals;
    beforeAll(() => {
      if (!hadWebSocket) globals.WebSocket = WsWebSocket;
    });
    afterAll(() => {
      if (!hadWebSocket) delete globals.WebSocket;
    });

    it("polls over fetch and upgrades to the native WebSocket transport (SocketWithUpgrade)", async () => {
      const harness = await startServer();
      const serverSocketPromise = nextConnection(harness);
      const client = new SocketWithUpgrade(`http://127.0.0.1:${harness.port}`, {
        transports: [Fetch, WebSocket],
        extraHeaders: { "x-fetch": "yes" },
        query: { room: "7" },
      });
      openClients.push(client);
      client.binaryType = "arraybuffer";
      const upgraded = once(client, "upgrade");
      await once(client, "open");
      expect(client.transport.name).toBe("polling");
      const serverSocket = await serverSocketPromise;
      expect(serverSocket.request.headers["x-fetch"]).toBe("yes");
      expect(serverSocket.request.url).toContain("room=7");
      const polled = collect(serverSocket, "message", 2);
      client.send("over fetch");
      client.send(new Uint8Array([1, 2, 3]));
      const [text, bytes] = await polled;
      expect(text).toBe("over fetch");
      expect([...(bytes as Buffer)]).toEqual([1, 2, 3]);

      await upgraded;
      expect(client.transport.name).toBe("websocket");
      const got = collect(client, "message", 2);
      serverSocket.send("over native websocket");
      serverSocket.send(Buffer.from([250, 251]));
      const [fromServer, binary] = await got;
      expect(fromServer).toBe("over native websocket");
      expect(binary).toBeInstanceOf(ArrayBuffer);
      expect([...new Uint8Array(binary as ArrayBuffer)]).toEqual([250, 251]);
      const closed = once<[string]>(serverSocket, "close");
      client.close();
      expect((await closed)[0]).toBe("transport close");
    });

    it("opens directly over WebSocket with SocketWithoutUpgrade and never probes", async () => {
      const harness = await startServer();
      const client = new SocketWithoutUpgrade(`http://127.0.0.1:${harness.port}`, { transports: [WebSocket] });
      openClients.push(client);
      const handshake = once<[{ upgrades: string[] }]>(client, "handshake");
      await once(client, "open");
      expect((await handshake)[0].upgrades).toEqual([]);
      expect(client.transport.name).toBe("websocket");
    });

    it("reports the unimplemented WebTransport as a transport error, and tryAllTransports moves on", async () => {
      const harness = await startServer();
      const alone = new SocketWithoutUpgrade(`http://127.0.0.1:${harness.port}`, { transports: [WebTransport] });
      openClients.push(alone);
      const errorPromise = once<[Error & { description?: Error }]>(alone, "error");
      const closePromise = once<[string]>(alone, "close");
      expect((await errorPromise)[0].description?.message).toMatch(/does not implement the WebTransport/);
      expect((await closePromise)[0]).toBe("transport error");
      const fallback = new SocketWithoutUpgrade(`http://127.0.0.1:${harness.port}`, {
        transports: [WebTransport, NodeWebSocket],
        tryAllTransports: true,
      });
      openClients.push(fallback);
      await once(fallback, "open");
      expect(fallback.transport.name).toBe("websocket");
    });

    it("refuses transport names in SocketWithoutUpgrade with an actionable error", () => {
      expect(() => new SocketWithoutUpgrade({ transports: ["polling"] })).toThrow(/transport classes/);
    });
  });

  function nextConnectionOrExisting(harness: Harness): Promise<ServerSocket> {
    const existing = Object.values(harness.engine.clients)[0];
    return existing ? Promise.resolve(existing) : nextConnection(harness);
  }
}
