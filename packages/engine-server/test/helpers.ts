import { once } from "node:events";
import { createServer, request, type IncomingHttpHeaders, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocket } from "ws";
import { Server, type AttachOptions, type ServerOptions, type Socket } from "@sockwave/engine-server";

export interface TestServer {
  engine: Server;
  http: HttpServer;
  port: number;
  close(): Promise<void>;
}

const openWebSockets = new Set<WebSocket>();

/** An http server on 127.0.0.1:0 with an engine attached. */
export async function startServer(opts: ServerOptions & AttachOptions = {}): Promise<TestServer> {
  const http = createServer((_req, res) => {
    res.writeHead(404);
    res.end("not found");
  });
  const engine = new Server(opts);
  engine.attach(http, opts);
  http.listen(0, "127.0.0.1");
  await once(http, "listening");
  const port = (http.address() as AddressInfo).port;
  return {
    engine,
    http,
    port,
    async close() {
      for (const ws of openWebSockets) ws.terminate();
      openWebSockets.clear();
      engine.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

export interface HttpReply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
}

/** One raw HTTP request (no keep-alive). */
export function httpRequest(
  port: number,
  method: string,
  path: string,
  body?: string | Buffer,
  headers: Record<string, string> = {},
): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        const buffer = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: buffer, text: buffer.toString() });
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

export function pollPath(query: string, path = "/engine.io/"): string {
  return `${path}?${query}`;
}

export interface OpenPacket {
  sid: string;
  upgrades: string[];
  pingInterval: number;
  pingTimeout: number;
  maxPayload: number;
}

/** Protocol 4 polling handshake; returns the open packet. */
export async function pollingHandshake(port: number, extraQuery = ""): Promise<OpenPacket> {
  const reply = await httpRequest(port, "GET", pollPath(`EIO=4&transport=polling${extraQuery}`));
  if (reply.status !== 200 || reply.text[0] !== "0") throw new Error(`handshake failed: ${reply.status} ${reply.text}`);
  return JSON.parse(reply.text.split("\x1e")[0]!.slice(1)) as OpenPacket;
}

/** A raw `ws` client whose incoming messages can be awaited one by one. */
export class TestWebSocket {
  readonly ws: WebSocket;
  private readonly inbox: Array<{ data: Buffer; isBinary: boolean }> = [];
  private waiter: (() => void) | null = null;
  closed: Promise<number>;

  constructor(url: string) {
    this.ws = new WebSocket(url);
    openWebSockets.add(this.ws);
    this.ws.on("message", (data: Buffer, isBinary: boolean) => {
      this.inbox.push({ data, isBinary });
      this.waiter?.();
    });
    this.ws.on("error", () => {});
    this.closed = new Promise((resolve) => this.ws.on("close", (code: number) => resolve(code)));
  }

  opened(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.ws.once("open", () => resolve());
      this.ws.once("unexpected-response", (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
      this.ws.once("error", reject);
    });
  }

  async next(): Promise<{ data: Buffer; isBinary: boolean }> {
    while (this.inbox.length === 0) {
      await new Promise<void>((resolve) => (this.waiter = resolve));
      this.waiter = null;
    }
    return this.inbox.shift()!;
  }

  async nextText(): Promise<string> {
    const { data, isBinary } = await this.next();
    if (isBinary) throw new Error("expected a text frame, got binary");
    return data.toString();
  }

  send(data: string | Buffer): void {
    this.ws.send(data);
  }
}

export function wsUrl(port: number, query: string, path = "/engine.io/"): string {
  return `ws://127.0.0.1:${port}${path}?${query}`;
}

export function nextConnection(engine: Server): Promise<Socket> {
  return new Promise((resolve) => engine.once("connection", resolve));
}

export function closeEvent(socket: Socket): Promise<[string, unknown]> {
  return new Promise((resolve) => socket.once("close", (reason: string, description: unknown) => resolve([reason, description])));
}

export function nextMessage(socket: Socket): Promise<unknown> {
  return new Promise((resolve) => socket.once("message", resolve));
}

/** A protocol 4 polling session: its id, the server-side socket and the path for later requests. */
export async function pollingSession(server: TestServer, query = ""): Promise<{ sid: string; socket: Socket; path: string }> {
  const connection = nextConnection(server.engine);
  const { sid } = await pollingHandshake(server.port, query);
  return { sid, socket: await connection, path: pollPath(`EIO=4&transport=polling&sid=${sid}${query}`) };
}

/** A protocol 4 WebSocket-only session, its open packet already read. */
export async function wsSession(server: TestServer, query = ""): Promise<{ ws: TestWebSocket; socket: Socket }> {
  const connection = nextConnection(server.engine);
  const ws = new TestWebSocket(wsUrl(server.port, `EIO=4&transport=websocket${query}`));
  await ws.nextText();
  return { ws, socket: await connection };
}
