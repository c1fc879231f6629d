import { createServer as createHttpsServer } from "node:https";
import { once } from "node:events";
import { IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocketServer } from "ws";
import { Server, attach, listen, errors, protocol, transports, parser } from "@sockwave/engine-server";
import { httpRequest, nextConnection, pollPath, pollingHandshake, startServer, TestWebSocket, wsUrl, type OpenPacket, type TestServer, wsSession } from "./helpers";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("exports", () => {
  it("mirrors engine.io's entry point", () => {
    expect(protocol).toBe(4);
    expect(typeof Server).toBe("function");
    expect(typeof attach).toBe("function");
    expect(typeof listen).toBe("function");
    expect(Object.keys(transports).sort()).toEqual(["polling", "websocket"]);
    expect(transports.polling.upgradesTo).toEqual(["websocket"]);
    expect(Server.errors).toBe(errors);
    expect(Server.errorMessages[errors.FORBIDDEN]).toBe("Forbidden");
    expect(parser.protocol).toBe(4);
  });

  it("applies engine.io's defaults", () => {
    const engine = new Server();
    expect(engine.opts).toMatchObject({
      pingInterval: 25000,
      pingTimeout: 20000,
      upgradeTimeout: 10000,
      maxHttpBufferSize: 1e6,
      transports: ["polling", "websocket"],
      allowUpgrades: true,
      perMessageDeflate: false,
      httpCompression: { threshold: 1024 },
      cookie: false,
      cors: false,
      allowEIO3: false,
    });
    expect(engine.clientsCount).toBe(0);
  });
});

describe("polling handshake (protocol 4)", () => {
  it("answers the open packet with the session parameters and official headers", async () => {
    server = await startServer({ pingInterval: 300, pingTimeout: 200, maxHttpBufferSize: 5000 });
    const reply = await httpRequest(server.port, "GET", pollPath("EIO=4&transport=polling&t=abc"));
    expect(reply.status).toBe(200);
    expect(reply.headers["content-type"]).toBe("text/plain; charset=UTF-8");
    expect(reply.headers["cache-control"]).toBe("no-store");
    expect(reply.headers["content-length"]).toBe(String(reply.body.length));
    expect(reply.text[0]).toBe("0");
    const open = JSON.parse(reply.text.slice(1)) as OpenPacket;
    expect(open).toEqual({ sid: open.sid, upgrades: ["websocket"], pingInterval: 300, pingTimeout: 200, maxPayload: 5000 });
    expect(open.sid).toMatch(/^[A-Za-z0-9_-]{20}$/);
    expect(server.engine.clientsCount).toBe(1);
    expect(server.engine.clients[open.sid]?.id).toBe(open.sid);
  });

  it("gives every session a distinct id", async () => {
    server = await startServer();
    const ids = new Set<string>();
    for (let i = 0; i < 20; i++) ids.add((await pollingHandshake(server.port)).sid);
    expect(ids.size).toBe(20);
    expect(server.engine.clientsCount).toBe(20);
  });

  it("lists open sessions in clients, a live object keyed by session id", async () => {
    server = await startServer();
    const clients = server.engine.clients;
    const first = (await wsSession(server)).socket.id;
    const second = (await wsSession(server)).socket.id;
    expect(Object.keys(clients)).toEqual([first, second]);
    const listed: string[] = [];
    for (const id in clients) listed.push(id);
    expect(listed).toEqual([first, second]);
    expect(first in clients).toBe(true);
    expect(Object.prototype.hasOwnProperty.call(clients, second)).toBe(true);
    expect(Object.values(clients).map((socket) => socket.id)).toEqual([first, second]);
    expect(clients["no-such-session"]).toBeUndefined();
    expect("no-such-session" in clients).toBe(false);
    const closed = new Promise((resolve) => clients[first]!.once("close", resolve));
    clients[first]!.close();
    await closed;
    expect(Object.keys(clients)).toEqual([second]);
    expect(clients[first]).toBeUndefined();
    expect(server.engine.clientsCount).toBe(1);
  });

  it("emits connection with the socket's public properties", async () => {
    server = await startServer();
    const connection = nextConnection(server.engine);
    const open = await pollingHandshake(server.port);
    const socket = await connection;
    expect(socket.id).toBe(open.sid);
    expect(socket.protocol).toBe(4);
    expect(socket.readyState).toBe("open");
    expect(socket.transport.name).toBe("polling");
    expect(socket.upgraded).toBe(false);
    expect(socket.remoteAddress).toBe("127.0.0.1");
    expect(socket.request.url).toContain("transport=polling");
    expect(socket.request.headers.host).toContain("127.0.0.1");
  });

  it("keeps what socket.request readers use of a websocket session's upgrade request", async () => {
    server = await startServer();
    const { socket } = await wsSession(server, "&token=abc");
    const request = socket.request;
    expect(request).toBeInstanceOf(IncomingMessage);
    expect(request.url).toBe("/engine.io/?EIO=4&transport=websocket&token=abc");
    expect(request.method).toBe("GET");
    expect(request.httpVersion).toBe("1.1");
    expect(request.headers.host).toBe(`127.0.0.1:${server.port}`);
    expect(request.headers.upgrade).toBe("websocket");
    expect(request.rawHeaders).toContain("websocket");
    expect(request.headersDistinct.host).toEqual([`127.0.0.1:${server.port}`]);
    expect(request._query).toEqual({ EIO: "4", transport: "websocket", token: "abc" });
    expect(request.socket.remoteAddress).toBe("127.0.0.1");
    expect(request.connection).toBe(request.socket);
    expect(request.readable).toBe(false);
    expect(socket.remoteAddress).toBe("127.0.0.1");
  });

  it("keeps a websocket upgrade request that a middleware decorated as socket.request", async () => {
    server = await startServer();
    let decorated: unknown;
    server.engine.use((req, _res, next) => {
      (req as typeof req & { user?: string }).user = "alice";
      decorated = req;
      next();
    });
    const { socket } = await wsSession(server);
    expect(socket.request).toBe(decorated);
    expect((socket.request as typeof socket.request & { user?: string }).user).toBe("alice");
    expect(socket.request.headers.upgrade).toBe("websocket");
  });

  it("sends the initial packet right after the open packet", async () => {
    server = await startServer({ initialPacket: "welcome" });
    const reply = await httpRequest(server.port, "GET", pollPath("EIO=4&transport=polling"));
    const [openPacket, initial] = reply.text.split("\x1e");
    expect(openPacket![0]).toBe("0");
    expect(initial).toBe("4welcome");
  });

  it("offers no upgrade when upgrades are disabled or websocket is not allowed", async () => {
    server = await startServer({ allowUpgrades: false });
    expect((await pollingHandshake(server.port)).upgrades).toEqual([]);
    await server.close();
    server = await startServer({ transports: ["polling"] });
    expect((await pollingHandshake(server.port)).upgrades).toEqual([]);
  });

  it("sets the session cookie when asked", async () => {
    server = await startServer({ cookie: { name: "eio", httpOnly: false, path: "/custom" } });
    const reply = await httpRequest(server.port, "GET", pollPath("EIO=4&transport=polling"));
    const sid = (JSON.parse(reply.text.slice(1)) as OpenPacket).sid;
    expect(reply.headers["set-cookie"]).toEqual([`eio=${sid}; Path=/custom; SameSite=Lax`]);
    const post = await httpRequest(server.port, "POST", pollPath(`EIO=4&transport=polling&sid=${sid}`), "4x");
    expect(post.headers["set-cookie"]).toBeUndefined();
  });

  it("sets no cookie by default", async () => {
    server = await startServer();
    const reply = await httpRequest(server.port, "GET", pollPath("EIO=4&transport=polling"));
    expect(reply.headers["set-cookie"]).toBeUndefined();
  });

  it("uses the default cookie attributes with cookie: true", async () => {
    server = await startServer({ cookie: true });
    const reply = await httpRequest(server.port, "GET", pollPath("EIO=4&transport=polling"));
    const sid = (JSON.parse(reply.text.slice(1)) as OpenPacket).sid;
    expect(reply.headers["set-cookie"]).toEqual([`io=${sid}; Path=/; HttpOnly; SameSite=Lax`]);
  });

  it("lets initial_headers and headers listeners add headers", async () => {
    server = await startServer();
    server.engine.on("initial_headers", (headers: Record<string, string>) => {
      headers["x-initial"] = "1";
    });
    server.engine.on("headers", (headers: Record<string, string>) => {
      headers["x-every"] = "1";
    });
    const first = await httpRequest(server.port, "GET", pollPath("EIO=4&transport=polling"));
    expect(first.headers["x-initial"]).toBe("1");
    expect(first.headers["x-every"]).toBe("1");
    const sid = (JSON.parse(first.text.slice(1)) as OpenPacket).sid;
    const post = await httpRequest(server.port, "POST", pollPath(`EIO=4&transport=polling&sid=${sid}`), "4x");
    expect(post.headers["x-initial"]).toBeUndefined();
    expect(post.headers["x-every"]).toBe("1");
  });

  it("answers CORS preflights and adds CORS headers with the cors option", async () => {
    server = await startServer({ cors: { origin: "https://example.com", credentials: true } });
    const preflight = await httpRequest(server.port, "OPTIONS", pollPath("EIO=4&transport=polling"), undefined, {
      origin: "https://example.com",
      "access-control-request-method": "GET",
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers["access-control-allow-origin"]).toBe("https://example.com");
    expect(preflight.headers["access-control-allow-credentials"]).toBe("true");
    const reply = await httpRequest(server.port, "GET", pollPath("EIO=4&transport=polling"), undefined, { origin: "https://example.com" });
    expect(reply.status).toBe(200);
    expect(reply.headers["access-control-allow-origin"]).toBe("https://example.com");
  });

  it("supports sync and async generateId", async () => {
    server = await startServer();
    let counter = 0;
    server.engine.generateId = () => `custom-${++counter}`;
    expect((await pollingHandshake(server.port)).sid).toBe("custom-1");
    server.engine.generateId = async () => `async-${++counter}`;
    expect((await pollingHandshake(server.port)).sid).toBe("async-2");
    expect(server.engine.clients["async-2"]?.id).toBe("async-2");
  });

  it("refuses a handshake whose generated id fails or is already taken", async () => {
    server = await startServer();
    const codes: Array<{ code: number; name: unknown }> = [];
    server.engine.on("connection_error", (err: { code: number; context: { name: unknown } }) => codes.push({ code: err.code, name: err.context.name }));
    server.engine.generateId = () => {
      throw new Error("no id today");
    };
    const failed = await httpRequest(server.port, "GET", pollPath("EIO=4&transport=polling"));
    expect(failed.status).toBe(400);
    expect(JSON.parse(failed.text)).toEqual({ code: 3, message: "Bad request" });
    server.engine.generateId = () => Promise.reject(new Error("async failure"));
    expect((await httpRequest(server.port, "GET", pollPath("EIO=4&transport=polling"))).status).toBe(400);
    server.engine.generateId = () => "same";
    expect((await pollingHandshake(server.port)).sid).toBe("same");
    expect((await httpRequest(server.port, "GET", pollPath("EIO=4&transport=polling"))).status).toBe(400);
    expect(server.engine.clientsCount).toBe(1);
    expect(codes).toEqual([
      { code: 3, name: "ID_GENERATION_ERROR" },
      { code: 3, name: "ID_GENERATION_ERROR" },
      { code: 3, name: "ID_GENERATION_ERROR" },
    ]);
  });

  it("runs middlewares for handshakes and polling requests, and refuses on a middleware error", async () => {
    server = await startServer();
    const seen: string[] = [];
    server.engine.use((req, res, next) => {
      seen.push(req.method ?? "");
      res.setHeader("x-middleware", "yes");
      next();
    });
    const open = await httpRequest(server.port, "GET", pollPath("EIO=4&transport=polling"));
    expect(open.headers["x-middleware"]).toBe("yes");
    server.engine.use((_req, _res, next) => next(new Error("nope")));
    const refused = await httpRequest(server.port, "GET", pollPath("EIO=4&transport=polling"));
    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.text)).toEqual({ code: 3, message: "Bad request" });
    expect(seen).toEqual(["GET", "GET"]);
  });

  it("serves a custom path, with or without the trailing slash, and leaves other paths alone", async () => {
    server = await startServer({ path: "/custom", addTrailingSlash: false });
    expect((await httpRequest(server.port, "GET", "/custom?EIO=4&transport=polling")).status).toBe(200);
    expect((await httpRequest(server.port, "GET", "/customized?EIO=4&transport=polling")).status).toBe(200);
    expect((await httpRequest(server.port, "GET", "/other")).status).toBe(404);
    await server.close();
    server = await startServer({ path: "/custom/" });
    expect((await httpRequest(server.port, "GET", "/custom/?EIO=4&transport=polling")).status).toBe(200);
    expect((await httpRequest(server.port, "GET", "/customized?EIO=4&transport=polling")).status).toBe(404);
  });
});

describe("websocket handshake", () => {
  it("opens no session for a WebSocket that closed while its async id was pending", async () => {
    for (const wsEngine of [undefined, WebSocketServer]) {
      server = await startServer(wsEngine ? { wsEngine } : {});
      let release!: (id: string) => void;
      let asked!: () => void;
      const idRequested = new Promise<void>((resolve) => (asked = resolve));
      server.engine.generateId = () =>
        new Promise<string>((resolve) => {
          release = resolve;
          asked();
        });
      let opened = 0;
      server.engine.on("connection", () => opened++);
      const ws = new TestWebSocket(wsUrl(server.port, "EIO=4&transport=websocket"));
      await idRequested;
      ws.ws.terminate();
      await ws.closed;
      // the server side sees the TCP connection go before the id arrives
      await new Promise((resolve) => setTimeout(resolve, 50));
      release("too-late");
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(opened).toBe(0);
      expect(server.engine.clientsCount).toBe(0);
      await server.close();
      server = undefined;
    }
  });

  it("opens a websocket-only session with no upgrades", async () => {
    server = await startServer({ pingInterval: 1000 });
    const connection = nextConnection(server.engine);
    const ws = new TestWebSocket(wsUrl(server.port, "EIO=4&transport=websocket"));
    const open = await ws.nextText();
    expect(open[0]).toBe("0");
    const packet = JSON.parse(open.slice(1)) as OpenPacket;
    expect(packet.upgrades).toEqual([]);
    expect(packet.pingInterval).toBe(1000);
    const socket = await connection;
    expect(socket.transport.name).toBe("websocket");
    expect(socket.remoteAddress).toBe("127.0.0.1");
    expect(socket.id).toBe(packet.sid);
  });

  it("adds middleware headers to the 101 response and emits the header events", async () => {
    server = await startServer();
    server.engine.use((_req, res, next) => {
      res.setHeader("x-mw", "upgrade");
      next();
    });
    const initial: string[] = [];
    server.engine.on("initial_headers", (headers: Record<string, string>) => {
      headers["x-initial"] = "ws";
      initial.push("initial");
    });
    const ws = new TestWebSocket(wsUrl(server.port, "EIO=4&transport=websocket"));
    const [response] = (await once(ws.ws, "upgrade")) as [{ headers: Record<string, string> }];
    expect(response.headers["x-mw"]).toBe("upgrade");
    expect(response.headers["x-initial"]).toBe("ws");
    expect(initial).toEqual(["initial"]);
  });

  it("refuses an upgrade a middleware rejects with a raw 400", async () => {
    server = await startServer();
    server.engine.use((_req, _res, next) => next(new Error("refused")));
    const ws = new TestWebSocket(wsUrl(server.port, "EIO=4&transport=websocket"));
    await expect(ws.opened()).rejects.toThrow("400");
  });
});

describe("attaching", () => {
  it("listen() serves engine requests and answers 501 elsewhere", async () => {
    const engine = listen(0);
    await once(engine.httpServer!, "listening");
    const port = (engine.httpServer!.address() as AddressInfo).port;
    expect((await httpRequest(port, "GET", "/engine.io/?EIO=4&transport=polling")).status).toBe(200);
    const other = await httpRequest(port, "GET", "/");
    expect(other.status).toBe(501);
    expect(other.text).toBe("Not Implemented");
    engine.close();
    engine.httpServer!.closeAllConnections();
    await new Promise((resolve) => engine.httpServer!.close(resolve));
    expect(engine.clientsCount).toBe(0);
  });

  it("closing the http server closes every session", async () => {
    server = await startServer();
    const connection = nextConnection(server.engine);
    await pollingHandshake(server.port);
    const socket = await connection;
    const closed = new Promise((resolve) => socket.on("close", resolve));
    await server.close();
    server = undefined;
    expect(await closed).toBe("forced close");
  });

  it("works on an https server", async () => {
    const { key, cert } = await import("./fixtures/tls");
    const https = createHttpsServer({ key, cert });
    const engine = attach(https);
    https.listen(0, "127.0.0.1");
    await once(https, "listening");
    const port = (https.address() as AddressInfo).port;
    const { request } = await import("node:https");
    const body = await new Promise<string>((resolve, reject) => {
      request({ host: "127.0.0.1", port, path: "/engine.io/?EIO=4&transport=polling", rejectUnauthorized: false, agent: false }, (res) => {
        let text = "";
        res.on("data", (chunk: Buffer) => (text += chunk.toString()));
        res.on("end", () => resolve(text));
      })
        .on("error", reject)
        .end();
    });
    expect(body[0]).toBe("0");
    expect(engine.clientsCount).toBe(1);
    // and WebSocket over TLS, where the 101 response and the open packet are corked together too
    const { WebSocket } = await import("ws");
    const wss = new WebSocket(`wss://127.0.0.1:${port}/engine.io/?EIO=4&transport=websocket`, { rejectUnauthorized: false });
    const [open] = (await once(wss, "message")) as [Buffer];
    expect(open.toString()[0]).toBe("0");
    wss.send("4over tls");
    const [message] = (await once(engine.clients[(JSON.parse(open.toString().slice(1)) as OpenPacket).sid]!, "message")) as [string];
    expect(message).toBe("over tls");
    wss.terminate();
    engine.close();
    https.closeAllConnections();
    await new Promise((resolve) => https.close(resolve));
  });
});
