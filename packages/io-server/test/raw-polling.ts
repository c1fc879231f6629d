import { request, type Server as HttpServer } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server, type ServerOptions } from "@sockwave/io-server";

/** An io-server on a fresh HTTP server listening on 127.0.0.1 (port 0). */
export async function startServer(opts: Partial<ServerOptions> = {}): Promise<{ io: Server; port: number; http: HttpServer }> {
  const http = createServer();
  const io = new Server(http, opts);
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  return { io, http, port: (http.address() as AddressInfo).port };
}

export interface HttpReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  text: string;
}

/** One HTTP request; resolves with the whole reply. */
export function httpRequest(
  port: number,
  path: string,
  options: { method?: string; body?: string | Buffer; headers?: Record<string, string> } = {},
): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port, path, method: options.method ?? "GET", headers: { ...options.headers }, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const body = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString() });
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

/**
 * A raw Engine.IO protocol 4 polling session: what an official client would send, byte for byte,
 * without any client library in between.
 */
export class RawPollingClient {
  sid = "";
  private constructor(private readonly port: number, private readonly path: string) {}

  /** Opens a session (the handshake GET) and returns the open packet's data. */
  static async open(port: number, path = "/socket.io/"): Promise<RawPollingClient> {
    const client = new RawPollingClient(port, path);
    const reply = await httpRequest(port, `${path}?EIO=4&transport=polling`);
    if (reply.status !== 200 || reply.text[0] !== "0") throw new Error(`handshake failed: ${reply.status} ${reply.text}`);
    client.sid = (JSON.parse(reply.text.slice(1)) as { sid: string }).sid;
    return client;
  }

  /** POSTs packets (joined by the record separator). */
  async send(...packets: string[]): Promise<HttpReply> {
    return httpRequest(this.port, `${this.path}?EIO=4&transport=polling&sid=${this.sid}`, {
      method: "POST",
      body: packets.join("\x1e"),
      headers: { "Content-Type": "text/plain;charset=UTF-8" },
    });
  }

  /** One GET: the packets the server had for us (held until it has some). */
  async poll(): Promise<{ status: number; packets: string[] }> {
    const reply = await httpRequest(this.port, `${this.path}?EIO=4&transport=polling&sid=${this.sid}`);
    return { status: reply.status, packets: reply.status === 200 ? reply.text.split("\x1e") : [reply.text] };
  }

  /** Polls until a packet other than a ping/noop arrives; answers pings. Returns the Engine.IO packets. */
  async receive(): Promise<string[]> {
    for (;;) {
      const { status, packets } = await this.poll();
      if (status !== 200) return packets;
      const useful = packets.filter((p) => p !== "2" && p !== "6");
      if (packets.includes("2")) await this.send("3");
      if (useful.length) return useful;
    }
  }

  /** Connects to a namespace and returns the CONNECT reply. */
  async connect(nsp = "/", auth?: object): Promise<string> {
    const prefix = nsp === "/" ? "" : `${nsp},`;
    await this.send(`40${prefix}${auth ? JSON.stringify(auth) : ""}`);
    const [reply] = await this.receive();
    return reply!;
  }

  /** Polls until the server has ended the session: a close packet or "Session ID unknown". */
  async waitForClose(): Promise<string> {
    for (;;) {
      const { status, packets } = await this.poll();
      if (status !== 200) return packets[0]!;
      if (packets.includes("1")) return "1";
      if (packets.includes("2")) await this.send("3");
    }
  }

  close(): Promise<HttpReply> {
    return this.send("1");
  }
}
