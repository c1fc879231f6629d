import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server, type ServerOptions, type Socket } from "@sockwave/io-server";
import { io as connect } from "socket.io-client";
import { afterEach, describe, expect, test } from "vitest";
import WebSocket from "ws";

// Hostile input over raw WebSocket frames: every case ends in a clean close or a clean error,
// never a crash, and a well-behaved official client on the same server keeps working.

const open: Array<{ close(): unknown }> = [];
afterEach(async () => {
  for (const item of open.splice(0).reverse()) await item.close();
});

async function startServer(opts: Partial<ServerOptions> = {}) {
  const http = createServer();
  const io = new Server(http, opts);
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  open.push(io);
  const port = (http.address() as AddressInfo).port;
  return { io, port, url: `http://127.0.0.1:${port}` };
}

/** A raw Engine.IO v4 WebSocket client: frames in, frames out, no library logic. */
class RawClient {
  readonly messages: Array<string | Buffer> = [];
  private waiters: Array<() => void> = [];
  closed = false;
  private constructor(readonly ws: WebSocket) {
    ws.on("message", (data: Buffer, isBinary: boolean) => {
      const text = isBinary ? data : data.toString();
      if (text === "2") ws.send("3");
      else this.messages.push(text);
      this.wake();
    });
    ws.on("close", () => {
      this.closed = true;
      this.wake();
    });
    ws.on("error", () => {});
  }
  private wake() {
    for (const waiter of this.waiters.splice(0)) waiter();
  }
  static async open(port: number): Promise<RawClient> {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`);
    const client = new RawClient(ws);
    await client.next(); // the open packet
    return client;
  }
  send(...frames: Array<string | Buffer>) {
    for (const frame of frames) this.ws.send(frame);
  }
  /** The next message from the server (undefined once closed). */
  async next(): Promise<string | Buffer | undefined> {
    while (this.messages.length === 0 && !this.closed) await new Promise<void>((r) => this.waiters.push(r));
    return this.messages.shift();
  }
  async waitForClose(): Promise<void> {
    while (!this.closed) await new Promise<void>((r) => this.waiters.push(r));
  }
  close() {
    this.ws.terminate();
  }
}

async function rawConnected(port: number): Promise<RawClient> {
  const raw = await RawClient.open(port);
  open.push(raw);
  raw.send("40");
  const reply = await raw.next();
  expect(String(reply)).toMatch(/^40\{"sid":"/);
  return raw;
}

/** An official client that must keep working while the raw one misbehaves. */
async function bystander(io: Server, url: string) {
  io.on("connection", (s) => s.on("echo", (v: unknown, ack: (v: unknown) => void) => ack(v)));
  const socket = connect(url, { transports: ["websocket"], forceNew: true, reconnection: false });
  open.push(socket);
  await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
  return { check: async () => expect(await socket.emitWithAck("echo", "still here")).toBe("still here") };
}

describe("io-server under hostile input", () => {
  test("every parser rule violation over WebSocket closes only the offender", async () => {
    const { io, port, url } = await startServer();
    const good = await bystander(io, url);
    const violations = [
      ["48"],
      ['40"x"'],
      ['41{"a":1}'],
      ['42{"a":1}'],
      ['42["connect"]'],
      ['42["newListener"]'],
      ['43"a"'],
      ["45-1-[\"a\"]"],
      ['451-["a",{"_placeholder":true,"num":3}]', Buffer.from([1])],
      ['451-["a",{"_placeholder":true,"num":0}]', '42["b"]'],
      ['42["a",'],
      [Buffer.from([1, 2, 3])],
    ];
    for (const frames of violations) {
      const raw = await rawConnected(port);
      raw.send(...frames);
      await raw.waitForClose();
      expect(raw.closed).toBe(true);
    }
    await good.check();
  });

  test("a second CONNECT for an already connected namespace closes the connection", async () => {
    const { io, port, url } = await startServer();
    const good = await bystander(io, url);
    const raw = await rawConnected(port);
    raw.send("40");
    await raw.waitForClose();
    await good.check();
    expect(io.of("/").sockets.size).toBe(1);
  });

  test("a repeated CONNECT while the first is in the middlewares yields one socket", async () => {
    const { io, port } = await startServer();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    io.use((_socket, next) => void gate.then(() => next()));
    const echoed = new Promise((resolve) => io.on("connection", (s) => s.on("x", resolve)));
    const raw = await RawClient.open(port);
    open.push(raw);
    raw.send("40", "40", "40");
    release();
    expect(String(await raw.next())).toMatch(/^40\{"sid":"/);
    raw.send('42["x",1]');
    expect(await echoed).toBe(1);
    expect(io.of("/").sockets.size).toBe(1);
  });

  test("a flood of CONNECT packets for unknown namespaces is answered without growing the server", async () => {
    const { io, port, url } = await startServer();
    const good = await bystander(io, url);
    const raw = await RawClient.open(port);
    open.push(raw);
    for (let i = 0; i < 2000; i++) raw.send(`40/ns${i},`);
    let errors = 0;
    while (errors < 2000) {
      const message = await raw.next();
      if (message === undefined) break;
      if (String(message).startsWith("44/ns")) errors++;
    }
    expect(errors).toBe(2000);
    expect(io._nsps.size).toBe(1);
    await good.check();
  });

  test("a flood of CONNECT packets awaiting middlewares is cut off", async () => {
    const { io, port, url } = await startServer();
    const good = await bystander(io, url);
    const parent = io.of(/^\/room-\d+$/);
    parent.use(() => {}); // never calls next: every CONNECT stays pending
    const raw = await RawClient.open(port);
    open.push(raw);
    for (let i = 0; i < 500; i++) raw.send(`40/room-${i},`);
    await raw.waitForClose();
    expect(io._nsps.size).toBeLessThan(50);
    await good.check();
  });

  test("an event with a huge argument list is refused without a crash", async () => {
    const { io, port, url } = await startServer();
    const good = await bystander(io, url);
    const received: unknown[] = [];
    io.on("connection", (s) => s.on("huge", () => received.push(1)));
    const raw = await rawConnected(port);
    raw.send(`42["huge"${",0".repeat(300_000)}]`);
    await raw.waitForClose();
    expect(received).toEqual([]);
    await good.check();
  });

  test("a deeply nested payload echoed back does not crash the server", async () => {
    const { io, port, url } = await startServer();
    const good = await bystander(io, url);
    const errors: Error[] = [];
    io.on("connection", (s) => {
      s.on("error", (err) => errors.push(err));
      s.on("deep", (value: unknown, ack?: (v: unknown) => void) => ack?.(value));
    });
    const raw = await rawConnected(port);
    const depth = 200_000;
    raw.send(`421["deep",${"[".repeat(depth)}${"]".repeat(depth)}]`);
    // Either the decoder refuses it (the connection closes) or the echo fails to encode (an error event).
    const outcome = await Promise.race([
      raw.waitForClose().then(() => "closed"),
      new Promise<string>((resolve) => {
        const timer = setInterval(() => {
          if (errors.length) {
            clearInterval(timer);
            resolve("error event");
          }
        }, 5);
      }),
    ]);
    expect(["closed", "error event"]).toContain(outcome);
    await good.check();
  });

  test("packets after a namespace DISCONNECT close the connection and reach no listener", async () => {
    const { io, port, url } = await startServer();
    const good = await bystander(io, url);
    const received: unknown[] = [];
    const disconnected = new Promise((resolve) =>
      io.on("connection", (s) => {
        s.on("late", () => received.push(1));
        s.on("disconnect", resolve);
      }),
    );
    const raw = await rawConnected(port);
    raw.send("41");
    await disconnected;
    raw.send('42["late"]');
    await raw.waitForClose();
    expect(received).toEqual([]);
    await good.check();
  });

  test("acknowledgements for unknown ids are ignored", async () => {
    const { io, port } = await startServer();
    const connection = new Promise<Socket>((resolve) => io.on("connection", resolve));
    const raw = await rawConnected(port);
    const socket = await connection;
    raw.send('43999["x"]', "43123[]");
    const ping = new Promise((resolve) => socket.on("ping", resolve));
    raw.send('42["ping","ok"]');
    expect(await ping).toBe("ok");
    expect(raw.closed).toBe(false);
  });

  test("an 'error' event sent by a client reaches an error listener, or nothing, never a crash", async () => {
    const { io, port, url } = await startServer();
    const good = await bystander(io, url);
    const sockets: Socket[] = [];
    io.on("connection", (s) => sockets.push(s));
    const raw = await rawConnected(port);
    raw.send('42["error","boom"]');
    const afterwards = new Promise((resolve) => sockets.at(-1)!.on("after", resolve));
    raw.send('42["after",1]');
    expect(await afterwards).toBe(1);
    const errors: unknown[] = [];
    sockets.at(-1)!.on("error", (e) => errors.push(e));
    raw.send('42["error","listened"]', '42["after",2]');
    await new Promise((resolve) => sockets.at(-1)!.once("after", resolve));
    expect(errors).toEqual(["listened"]);
    await good.check();
  });

  test("a client that stops reading is disconnected with 'outbound buffer overflow'", async () => {
    const { io, port, url } = await startServer({ maxOutboundBytes: 1024 * 1024 });
    const good = await bystander(io, url);
    const connection = new Promise<Socket>((resolve) => io.on("connection", resolve));
    const raw = await rawConnected(port);
    const socket = await connection;
    const reason = new Promise((resolve) => socket.on("disconnect", resolve));
    // Stop reading: the kernel buffers fill up, then the server's queue grows.
    (raw.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const chunk = "x".repeat(64 * 1024);
    let sent = 0;
    while (socket.connected && sent < 4000) {
      socket.emit("flood", chunk);
      sent++;
      if (sent % 16 === 0) await new Promise((r) => setImmediate(r));
    }
    expect(await reason).toBe("outbound buffer overflow");
    expect(sent).toBeLessThan(4000);
    await good.check();
  });
});
