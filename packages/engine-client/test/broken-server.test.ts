// A hostile or broken server must give the client a clean error and close, never an exception that escapes.
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocketServer, type WebSocket as RawWebSocket } from "ws";
import { Socket, type SocketOptions } from "@sockwave/engine-client";

type Handler = (req: IncomingMessage, res: ServerResponse, requestIndex: number) => void;

const servers: HttpServer[] = [];
const wsServers: WebSocketServer[] = [];
const clients: Socket[] = [];

const HANDSHAKE = (overrides: Record<string, unknown> = {}): string =>
  "0" +
  JSON.stringify({
    sid: "AAAAAAAAAAAAAAAAAAAA",
    upgrades: [],
    pingInterval: 25000,
    pingTimeout: 20000,
    maxPayload: 1e6,
    ...overrides,
  });

async function listen(handler: Handler): Promise<{ http: HttpServer; port: number }> {
  let requestIndex = 0;
  const http = createServer((req, res) => handler(req, res, requestIndex++));
  servers.push(http);
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  return { http, port: (http.address() as AddressInfo).port };
}

/** A server whose n-th polling GET gets `bodies[n]` (later GETs are held open); POSTs get `ok`. */
function pollingServer(...bodies: string[]): Promise<{ http: HttpServer; port: number }> {
  let gets = 0;
  return listen((req, res) => {
    if (req.method === "POST") {
      req.resume();
      res.end("ok");
      return;
    }
    const body = bodies[gets++];
    if (body !== undefined) res.end(body);
  });
}

/** A WebSocket server whose every connection gets `frames` on open. */
async function webSocketServer(onConnection: (ws: RawWebSocket) => void): Promise<number> {
  const { http, port } = await listen((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ server: http });
  wsServers.push(wss);
  wss.on("connection", onConnection);
  return port;
}

function connect(port: number, opts: SocketOptions = {}): Socket {
  const client = new Socket(`http://127.0.0.1:${port}`, { transports: ["polling"], ...opts });
  clients.push(client);
  return client;
}

interface Outcome {
  errors: Array<string | Error>;
  reason: string;
  description: unknown;
  opened: boolean;
}

/** Resolves when the client closes, with what it reported on the way. */
function outcome(client: Socket): Promise<Outcome> {
  const errors: Array<string | Error> = [];
  let opened = false;
  client.on("error", (err) => errors.push(err));
  client.on("open", () => {
    opened = true;
  });
  return new Promise((resolve) => {
    client.on("close", (reason, description) => resolve({ errors, reason, description, opened }));
  });
}

function messageOf(err: string | Error | undefined): string {
  return typeof err === "string" ? err : (err?.message ?? "");
}

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  for (const wss of wsServers.splice(0)) wss.close();
  for (const http of servers.splice(0)) {
    http.closeAllConnections();
    await new Promise((resolve) => http.close(resolve));
  }
});

describe("a broken server over polling", () => {
  it.each([
    ["garbage", "hello world"],
    ["an empty body", ""],
    ["a binary junk body", "\u0000\u00ff\ufffd\u001e\u001e"],
  ])("answering the handshake with %s gives an error and 'transport error'", async (_name, body) => {
    const { port } = await pollingServer(body);
    const client = connect(port);
    const result = await outcome(client);
    expect(result.opened).toBe(false);
    expect(result.reason).toBe("transport error");
    expect(result.errors).toHaveLength(1);
    expect(messageOf(result.errors[0])).toMatch(/server error|invalid handshake/);
    expect(client.readyState).toBe("closed");
  });

  it.each([
    ["truncated JSON", '0{"sid":"abc', /not a JSON object/],
    ["a JSON string", '0"hello"', /not a JSON object/],
    ["no sid", HANDSHAKE({ sid: "" }), /"sid"/],
    ["upgrades that are not names", HANDSHAKE({ upgrades: [1, 2] }), /"upgrades"/],
    ["a negative pingInterval", HANDSHAKE({ pingInterval: -5 }), /"pingInterval"/],
    ["a string pingTimeout", HANDSHAKE({ pingTimeout: "20000" }), /"pingTimeout"/],
    ["an open packet without data", "0", /not a JSON object/],
    ["no open packet at all", "6", /no open packet/],
    ["a message before the handshake", '4hello\u001e' + HANDSHAKE(), /expected an open packet/],
  ])("a handshake with %s is refused with a clear error", async (_name, body, expected) => {
    const { port } = await pollingServer(body);
    const client = connect(port);
    let messages = 0;
    client.on("message", () => messages++);
    const result = await outcome(client);
    expect(result.opened).toBe(false);
    expect(result.reason).toBe("transport error");
    const messagesText = result.errors.map((err) => (typeof err === "string" ? err : `${err.message} ${String((err as { description?: unknown }).description)}`));
    expect(messagesText.join("\n")).toMatch(expected);
    expect(messages).toBe(0);
  });

  it("reports the HTTP status of a refused poll", async () => {
    const { port } = await listen((_req, res) => res.writeHead(500).end("boom"));
    const client = connect(port);
    const result = await outcome(client);
    expect(result.reason).toBe("transport error");
    expect(messageOf(result.errors[0])).toBe("xhr poll error");
    expect((result.errors[0] as { description?: unknown }).description).toBe(500);
  });

  it("reports a connection cut in the middle of a response", async () => {
    const { port } = await listen((_req, res) => {
      res.writeHead(200, { "content-length": "100" });
      res.write("0{");
      res.socket?.destroy();
    });
    const result = await outcome(connect(port));
    expect(result.reason).toBe("transport error");
    expect(messageOf(result.errors[0])).toBe("xhr poll error");
  });

  it("closes with 'transport error' when a later poll returns garbage, keeping earlier messages", async () => {
    const { port } = await pollingServer(HANDSHAKE(), "4first\u001e\u0007junk\u001e4never");
    const client = connect(port);
    const messages: unknown[] = [];
    client.on("message", (data) => messages.push(data));
    const result = await outcome(client);
    expect(result.opened).toBe(true);
    expect(messages).toEqual(["first"]);
    expect(result.reason).toBe("transport error");
    expect(messageOf(result.errors[0])).toMatch(/server error/);
  });

  it("closes with 'transport close' when the server sends a close packet", async () => {
    const { port } = await pollingServer(HANDSHAKE(), "4bye\u001e1");
    const client = connect(port);
    const messages: unknown[] = [];
    client.on("message", (data) => messages.push(data));
    const result = await outcome(client);
    expect(messages).toEqual(["bye"]);
    expect(result.reason).toBe("transport close");
    expect(result.errors).toEqual([]);
  });

  it("closes with 'ping timeout' when the server never pings", async () => {
    const { port } = await pollingServer(HANDSHAKE({ pingInterval: 20, pingTimeout: 20 }));
    const client = connect(port);
    const result = await outcome(client);
    expect(result.opened).toBe(true);
    expect(result.reason).toBe("ping timeout");
  });

  it("survives absurd ping durations without a timer overflow", async () => {
    const { port } = await pollingServer(HANDSHAKE({ pingInterval: 1e300, pingTimeout: 1e300 }), "2");
    const client = connect(port);
    const pinged = new Promise<void>((resolve) => client.once("ping", () => resolve()));
    const opened = new Promise<void>((resolve) => client.once("open", () => resolve()));
    await opened;
    await pinged;
    expect(client.readyState).toBe("open");
    expect(client._hasPingExpired()).toBe(false);
  });

  it("reports a request timeout as a transport error", async () => {
    const { port } = await listen(() => {
      // never answers
    });
    const result = await outcome(connect(port, { requestTimeout: 50 }));
    expect(result.reason).toBe("transport error");
    expect(String((result.errors[0] as { description?: unknown }).description)).toMatch(/timed out after 50 ms/);
  });

  it("reports a refused connection", async () => {
    const { http, port } = await listen(() => {});
    await new Promise((resolve) => http.close(resolve));
    const result = await outcome(connect(port));
    expect(result.reason).toBe("transport error");
    expect(messageOf(result.errors[0])).toBe("xhr poll error");
  });
});

describe("a broken server over WebSocket", () => {
  it.each([
    ["garbage text", (ws: RawWebSocket) => ws.send("garbage"), /invalid handshake|server error/],
    ["a binary frame", (ws: RawWebSocket) => ws.send(Buffer.from([0, 1, 2])), /expected an open packet/],
    ["a truncated handshake", (ws: RawWebSocket) => ws.send('0{"sid":'), /not a JSON object/],
    ["an empty frame", (ws: RawWebSocket) => ws.send(""), /server error/],
  ])("sending %s first gives a clean error", async (_name, misbehave, expected) => {
    const port = await webSocketServer(misbehave);
    const client = connect(port, { transports: ["websocket"] });
    const result = await outcome(client);
    expect(result.opened).toBe(false);
    expect(result.reason).toBe("transport error");
    expect(messageOf(result.errors[0])).toMatch(expected);
  });

  it("closes with 'transport close' when the server drops the connection", async () => {
    const port = await webSocketServer((ws) => {
      ws.send(HANDSHAKE());
      ws.terminate();
    });
    const result = await outcome(connect(port, { transports: ["websocket"] }));
    expect(result.opened).toBe(true);
    expect(result.reason).toBe("transport close");
  });

  it("emits upgradeError and stays on polling when the probe is answered wrongly", async () => {
    const { http, port } = await listen((req, res) => {
      if (req.method === "POST") {
        req.resume();
        res.end("ok");
      } else if (!new URL(req.url!, "http://x").searchParams.has("sid")) {
        res.end(HANDSHAKE({ upgrades: ["websocket"] }));
      } else {
        setTimeout(() => res.end("4still polling"), 10);
      }
    });
    const wss = new WebSocketServer({ server: http });
    wsServers.push(wss);
    wss.on("connection", (ws) => ws.on("message", () => ws.send("3nope")));
    const client = connect(port, { transports: ["polling", "websocket"] });
    const [err] = await new Promise<[Error]>((resolve) => client.once("upgradeError", (e) => resolve([e])));
    expect(err.message).toMatch(/probe error/);
    expect((err as Error & { transport?: string }).transport).toBe("websocket");
    expect(client.transport.name).toBe("polling");
    const message = await new Promise((resolve) => client.once("message", resolve));
    expect(message).toBe("still polling");
    expect(client.readyState).toBe("open");
  });
});
