import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** What the scripted server does with the handshake request (a string is sent verbatim as the body). */
export type HandshakeReply = string | { status: number; body: string };

export const VALID_HANDSHAKE = `0${JSON.stringify({
  sid: "AAAAAAAAAAAAAAAAAAAA",
  upgrades: [],
  pingInterval: 60_000,
  pingTimeout: 60_000,
  maxPayload: 1_000_000,
})}`;

/**
 * A hand-written Engine.IO long-polling server (protocol 4) that says exactly what a test scripts:
 * valid, truncated or garbage handshakes and packets. It knows nothing of Socket.IO; `onPacket` sees
 * each Engine.IO packet the client posts and may `send` raw packets back.
 */
export class RawEngineServer {
  readonly http: Server;
  /** Every Engine.IO packet the client posted, in order. */
  readonly received: string[] = [];
  handshakes = 0;
  private outbox: string[] = [];
  private pendingPoll: ServerResponse | undefined;
  private packetListeners: Array<(packet: string) => void> = [];

  constructor(private readonly handshake: (attempt: number) => HandshakeReply = () => VALID_HANDSHAKE) {
    this.http = createServer((req, res) => this.handle(req, res));
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.http.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.http.address() as AddressInfo).port}`;
  }

  /** Calls `listener` with each packet the client posts (e.g. "40" for a CONNECT). */
  onPacket(listener: (packet: string) => void): void {
    this.packetListeners.push(listener);
  }

  /** Queues raw Engine.IO packets ("42[...]", "6", ...) for the client's next poll. */
  send(...packets: string[]): void {
    this.outbox.push(...packets);
    this.flush();
  }

  async close(): Promise<void> {
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const query = new URL(req.url ?? "/", "http://localhost").searchParams;
    if (!query.has("sid")) {
      if (req.method !== "GET") {
        res.writeHead(400).end();
        return;
      }
      const reply = this.handshake(++this.handshakes);
      const { status, body } = typeof reply === "string" ? { status: 200, body: reply } : reply;
      this.outbox = [];
      this.pendingPoll = undefined; // a poll of an earlier session
      res.writeHead(status, { "Content-Type": "text/plain; charset=UTF-8" }).end(body);
      return;
    }
    if (req.method === "POST") {
      let body = "";
      req.setEncoding("utf8");
      req.on("data", (chunk: string) => (body += chunk));
      req.on("end", () => {
        res.writeHead(200, { "Content-Type": "text/html" }).end("ok");
        for (const packet of body.split("\x1e")) {
          this.received.push(packet);
          for (const listener of this.packetListeners) listener(packet);
        }
      });
      return;
    }
    this.pendingPoll = res;
    this.flush();
  }

  private flush(): void {
    if (!this.pendingPoll || this.pendingPoll.destroyed || this.outbox.length === 0) return;
    const body = this.outbox.join("\x1e");
    this.outbox = [];
    this.pendingPoll.writeHead(200, { "Content-Type": "text/plain; charset=UTF-8" }).end(body);
    this.pendingPoll = undefined;
  }
}
