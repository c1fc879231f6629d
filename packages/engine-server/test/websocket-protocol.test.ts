import { once } from "node:events";
import { connect, type Socket as NetSocket } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { WebSocket as WsWebSocket, WebSocketServer } from "ws";
import { WebSocketConnection, type Socket } from "@sockwave/engine-server";
import { closeEvent, nextConnection, nextMessage, pollingSession, startServer, wsSession, type TestServer } from "./helpers";

/**
 * The server side of RFC 6455 as our own implementation speaks it (the default configuration), seen by
 * a raw TCP client: the handshake answers, frame reading over any chunking, control frames, the closing
 * handshake and every protocol failure, each of which must leave other sessions working.
 */

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const KEY = "dGhlIHNhbXBsZSBub25jZQ==";
const WS_PATH = "/engine.io/?EIO=4&transport=websocket";

function upgradeRequest(headers: Record<string, string | undefined> = {}, path = WS_PATH, method = "GET"): string {
  const all: Record<string, string | undefined> = {
    Host: "127.0.0.1",
    Upgrade: "websocket",
    Connection: "Upgrade",
    "Sec-WebSocket-Key": KEY,
    "Sec-WebSocket-Version": "13",
    ...headers,
  };
  let head = `${method} ${path} HTTP/1.1\r\n`;
  for (const [name, value] of Object.entries(all)) if (value !== undefined) head += `${name}: ${value}\r\n`;
  return head + "\r\n";
}

/** A client frame, masked unless `mask` is null. `first` overrides the first byte (FIN, RSV, opcode). */
function clientFrame(first: number, payload: string | Buffer = Buffer.alloc(0), mask: number[] | null = [0x12, 0x34, 0x56, 0x78]): Buffer {
  const data = typeof payload === "string" ? Buffer.from(payload) : payload;
  const length = data.length;
  const maskBit = mask === null ? 0 : 0x80;
  let header: Buffer;
  if (length < 126) header = Buffer.from([first, maskBit | length]);
  else if (length < 65536) {
    header = Buffer.from([first, maskBit | 126, 0, 0]);
    header.writeUInt16BE(length, 2);
  } else {
    header = Buffer.from([first, maskBit | 127, 0, 0, 0, 0, 0, 0, 0, 0]);
    header.writeUInt32BE(Math.floor(length / 0x100000000), 2);
    header.writeUInt32BE(length >>> 0, 6);
  }
  if (mask === null) return Buffer.concat([header, data]);
  const masked = Buffer.from(data.map((byte, i) => byte ^ mask[i % 4]!));
  return Buffer.concat([header, Buffer.from(mask), masked]);
}

const TEXT = 0x81;
const BINARY = 0x82;

interface ServerFrame {
  fin: boolean;
  opcode: number;
  payload: Buffer;
}

/** A raw TCP WebSocket client that reads the HTTP answer, then the server's (unmasked) frames. */
class RawClient {
  readonly tcp: NetSocket;
  private bytes = Buffer.alloc(0);
  private waiter: (() => void) | null = null;
  private head: string | null = null;
  readonly closed: Promise<void>;
  isClosed = false;

  /** `allowHalfOpen`: keep our side open after the server's FIN, as a peer that never finishes closing. */
  constructor(port: number, request: string | Buffer, allowHalfOpen = false) {
    this.tcp = connect({ port, host: "127.0.0.1", allowHalfOpen });
    this.tcp.setNoDelay(true);
    this.tcp.on("data", (chunk: Buffer) => {
      this.bytes = Buffer.concat([this.bytes, chunk]);
      this.waiter?.();
    });
    this.tcp.on("error", () => {});
    this.closed = new Promise((resolve) =>
      this.tcp.on("close", () => {
        this.isClosed = true;
        this.waiter?.();
        resolve();
      }),
    );
    this.tcp.write(request);
  }

  private async waitFor<T>(take: () => T | null): Promise<T> {
    for (;;) {
      const value = take();
      if (value !== null) return value;
      if (this.isClosed) throw new Error("connection closed while waiting");
      await new Promise<void>((resolve) => (this.waiter = resolve));
      this.waiter = null;
    }
  }

  /** The HTTP response head (status line and headers). */
  response(): Promise<string> {
    return this.waitFor(() => {
      if (this.head !== null) return this.head;
      const end = this.bytes.indexOf("\r\n\r\n");
      if (end < 0) return null;
      this.head = this.bytes.subarray(0, end).toString();
      this.bytes = this.bytes.subarray(end + 4);
      return this.head;
    });
  }

  async nextFrame(): Promise<ServerFrame> {
    await this.response();
    return this.waitFor(() => {
      const bytes = this.bytes;
      if (bytes.length < 2) return null;
      let length = bytes[1]! & 0x7f;
      let at = 2;
      if (length === 126) {
        if (bytes.length < 4) return null;
        length = bytes.readUInt16BE(2);
        at = 4;
      } else if (length === 127) {
        if (bytes.length < 10) return null;
        length = bytes.readUInt32BE(2) * 0x100000000 + bytes.readUInt32BE(6);
        at = 10;
      }
      if (bytes.length < at + length) return null;
      this.bytes = bytes.subarray(at + length);
      return { fin: (bytes[0]! & 0x80) !== 0, opcode: bytes[0]! & 0x0f, payload: Buffer.from(bytes.subarray(at, at + length)) };
    });
  }

  async nextText(): Promise<string> {
    const frame = await this.nextFrame();
    expect(frame.opcode).toBe(1);
    return frame.payload.toString();
  }

  /** Bytes received after the last frame read (once the connection is closed: what came after it). */
  get rest(): Buffer {
    return this.bytes;
  }

  send(bytes: Buffer): void {
    this.tcp.write(bytes);
  }
}

/** A WebSocket-only session over a raw client, its open packet read. */
async function rawSession(headers: Record<string, string | undefined> = {}, allowHalfOpen = false): Promise<{ client: RawClient; socket: Socket }> {
  const connection = nextConnection(server!.engine);
  const client = new RawClient(server!.port, upgradeRequest(headers), allowHalfOpen);
  expect(await client.response()).toMatch(/^HTTP\/1\.1 101 Switching Protocols\r\n/);
  expect((await client.nextText())[0]).toBe("0");
  return { client, socket: await connection };
}

/** A session opened before some failure: it must still carry messages both ways afterwards. */
async function bystander(): Promise<() => Promise<void>> {
  const { ws, socket } = await wsSession(server!);
  return async () => {
    const message = nextMessage(socket);
    ws.send("4still here");
    expect(await message).toBe("still here");
    socket.send("and you");
    expect(await ws.nextText()).toBe("4and you");
  };
}

/** Sends bytes that break the protocol: expects a close frame with `code`, the TCP close, a "transport error". */
async function expectFailure(bytes: Buffer, code: number, opts: Parameters<typeof startServer>[0] = {}): Promise<void> {
  server = await startServer(opts);
  const stillWorks = await bystander();
  const { client, socket } = await rawSession();
  const closed = closeEvent(socket);
  client.send(bytes);
  const frame = await client.nextFrame();
  expect(frame.opcode).toBe(8);
  expect(frame.payload.readUInt16BE(0)).toBe(code);
  await client.closed;
  expect(client.rest.length).toBe(0);
  expect((await closed)[0]).toBe("transport error");
  await stillWorks();
}

/** Answers a handshake request with an error: the status line, headers and body; the TCP connection closes. */
async function refused(request: string): Promise<{ head: string; body: string }> {
  const client = new RawClient(server!.port, request);
  const head = await client.response();
  await client.closed;
  return { head, body: client.rest.toString() };
}

describe("websocket handshake", () => {
  it("refuses invalid handshakes as ws does, each with its message", async () => {
    server = await startServer();
    const stillWorks = await bystander();
    const cases: Array<[Record<string, string | undefined>, string]> = [
      [{ Upgrade: "h2c" }, "Invalid Upgrade header"],
      [{ "Sec-WebSocket-Key": undefined }, "Missing or invalid Sec-WebSocket-Key header"],
      [{ "Sec-WebSocket-Key": "not a key" }, "Missing or invalid Sec-WebSocket-Key header"],
      [{ "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=" }, "Missing or invalid Sec-WebSocket-Key header"],
      [{ "Sec-WebSocket-Version": undefined }, "Missing or invalid Sec-WebSocket-Version header"],
      [{ "Sec-WebSocket-Version": "12" }, "Missing or invalid Sec-WebSocket-Version header"],
      [{ "Sec-WebSocket-Protocol": "chat,,other" }, "Invalid Sec-WebSocket-Protocol header"],
    ];
    for (const [headers, message] of cases) {
      const { head, body } = await refused(upgradeRequest(headers));
      expect(head).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
      expect(head).toContain("\r\nConnection: close");
      expect(head).toContain(`\r\nContent-Length: ${message.length}`);
      expect(body).toBe(message);
      if (message.includes("Version")) expect(head).toContain("\r\nSec-WebSocket-Version: 13, 8");
    }
    expect(server.engine.clientsCount).toBe(1);
    await stillWorks();
  });

  it("answers 405 to an upgrade of a session with another method than GET", async () => {
    server = await startServer();
    const { sid } = await pollingSession(server);
    const { head, body } = await refused(upgradeRequest({}, `/engine.io/?EIO=4&transport=websocket&sid=${sid}`, "POST"));
    expect(head).toMatch(/^HTTP\/1\.1 405 Method Not Allowed\r\n/);
    expect(body).toBe("Invalid HTTP method");
    expect(server.engine.clients[sid]?.transport.name).toBe("polling");
  });

  it("answers the RFC 6455 accept value, the first offered subprotocol and headers from listeners", async () => {
    server = await startServer();
    server.engine.on("initial_headers", (headers) => {
      headers["X-Initial"] = "first";
    });
    server.engine.on("headers", (headers) => {
      headers["X-Every"] = "each";
    });
    const { client } = await rawSession({ "Sec-WebSocket-Protocol": "chat, superchat" });
    const head = await client.response();
    // the example of RFC 6455 section 1.3
    expect(head).toContain("\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    expect(head).toContain("\r\nSec-WebSocket-Protocol: chat");
    expect(head).not.toContain("superchat");
    expect(head).toContain("\r\nX-Initial: first");
    expect(head).toContain("\r\nX-Every: each");
  });

  it("reads frames that came in the same packet as the upgrade request", async () => {
    server = await startServer();
    // the first message may come within the turn of the connection: listen from the connection event on
    const message = new Promise((resolve) => server!.engine.once("connection", (socket: Socket) => resolve(nextMessage(socket))));
    const client = new RawClient(server.port, Buffer.concat([Buffer.from(upgradeRequest()), clientFrame(TEXT, "4early")]));
    expect(await message).toBe("early");
    expect((await client.nextText())[0]).toBe("0");
  });
});

describe("websocket frames from the client", () => {
  it("reassembles fragmented messages, with a ping between the fragments", async () => {
    server = await startServer();
    const { client, socket } = await rawSession();
    const text = nextMessage(socket);
    client.send(Buffer.concat([clientFrame(0x01, "4hel"), clientFrame(0x89, "mid"), clientFrame(0x00, "lo wo"), clientFrame(0x80, "rld")]));
    const pong = await client.nextFrame();
    expect([pong.opcode, pong.payload.toString()]).toEqual([10, "mid"]);
    expect(await text).toBe("hello world");
    const binary = nextMessage(socket);
    client.send(clientFrame(0x02, Buffer.from([1, 2])));
    client.send(clientFrame(0x80, Buffer.from([3])));
    expect([...((await binary) as Buffer)]).toEqual([1, 2, 3]);
  });

  it("reads frames delivered byte by byte, with 7-, 16- and 64-bit lengths", async () => {
    server = await startServer();
    const { socket } = await rawSession();
    const tcp = (socket.transport as unknown as { socket: { _socket: NetSocket } }).socket._socket;
    for (const size of [5, 300, 70_000]) {
      const payload = "4" + "z".repeat(size - 1);
      const message = nextMessage(socket);
      const frame = clientFrame(TEXT, payload);
      // byte by byte for the header and the start of the payload, then the rest in one chunk
      for (let i = 0; i < Math.min(frame.length, 40); i++) tcp.emit("data", frame.subarray(i, i + 1));
      if (frame.length > 40) tcp.emit("data", frame.subarray(40));
      expect(await message).toBe(payload.slice(1));
    }
    // over the network, too (the kernel may merge the bytes in any way)
    const { client, socket: other } = await rawSession();
    const message = nextMessage(other);
    for (const byte of clientFrame(BINARY, Buffer.from([9, 8, 7]))) {
      client.send(Buffer.from([byte]));
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect([...((await message) as Buffer)]).toEqual([9, 8, 7]);
  });

  it("reads several frames from one chunk, in order", async () => {
    server = await startServer();
    const { client, socket } = await rawSession();
    const received: unknown[] = [];
    socket.on("message", (data) => received.push(data));
    const done = new Promise((resolve) => socket.on("message", (data) => data === "third" && resolve(undefined)));
    client.send(Buffer.concat([clientFrame(TEXT, "4first"), clientFrame(BINARY, Buffer.from([0xff])), clientFrame(TEXT, "4"), clientFrame(TEXT, "4third")]));
    await done;
    expect(received).toEqual(["first", Buffer.from([0xff]), "", "third"]);
  });

  it("answers a ping with a pong carrying the same payload and ignores pongs", async () => {
    server = await startServer();
    const { client, socket } = await rawSession();
    client.send(Buffer.concat([clientFrame(0x8a, "unasked"), clientFrame(0x89, "are you there"), clientFrame(0x89)]));
    const pong = await client.nextFrame();
    expect([pong.fin, pong.opcode, pong.payload.toString()]).toEqual([true, 10, "are you there"]);
    const empty = await client.nextFrame();
    expect([empty.opcode, empty.payload.length]).toEqual([10, 0]);
    expect(socket.readyState).toBe("open");
  });

  it("answers no pings while the client does not read, so pongs cannot pile up in memory", async () => {
    server = await startServer();
    const { client, socket } = await rawSession();
    client.tcp.pause();
    const chunk = "x".repeat(64 * 1024);
    for (let i = 0; i < 400 && socket.transport.writable; i++) {
      socket.send(chunk);
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(socket.transport.writable).toBe(false);
    const backlog = socket.bufferedAmount;
    const ping = clientFrame(0x89, "p".repeat(125));
    const marker = nextMessage(socket);
    // the message after the pings arrives once every ping before it was read
    client.send(Buffer.concat([...Array.from({ length: 1000 }, () => ping), clientFrame(TEXT, "4after the pings")]));
    expect(await marker).toBe("after the pings");
    expect(socket.bufferedAmount).toBe(backlog);
    expect(socket.readyState).toBe("open");
    client.tcp.destroy();
  });
});

describe("websocket protocol failures (each closes that session only)", () => {
  it("an unmasked frame: 1002", async () => {
    await expectFailure(clientFrame(TEXT, "4hi", null), 1002);
  });

  it("a reserved opcode: 1002", async () => {
    await expectFailure(clientFrame(0x83, "x"), 1002);
  });

  it("an RSV bit without an extension: 1002", async () => {
    await expectFailure(clientFrame(0xc1, "4x"), 1002);
  });

  it("a control frame over 125 bytes, or fragmented: 1002", async () => {
    await expectFailure(clientFrame(0x89, "p".repeat(126)), 1002);
    await server!.close();
    await expectFailure(clientFrame(0x09, "p"), 1002);
  });

  it("a continuation without a message, or a new message during one: 1002", async () => {
    await expectFailure(clientFrame(0x80, "4x"), 1002);
    await server!.close();
    await expectFailure(Buffer.concat([clientFrame(0x01, "4x"), clientFrame(TEXT, "4y")]), 1002);
  });

  it("a message over maxHttpBufferSize: 1009, also when fragmented or announced by a huge header", async () => {
    await expectFailure(clientFrame(TEXT, "4" + "x".repeat(200)), 1009, { maxHttpBufferSize: 100 });
    await server!.close();
    await expectFailure(Buffer.concat([clientFrame(0x01, "4" + "x".repeat(60)), clientFrame(0x80, "y".repeat(60))]), 1009, { maxHttpBufferSize: 100 });
    await server!.close();
    // a header announcing 2^40 bytes is refused before a single payload byte is buffered
    await expectFailure(Buffer.from([0x82, 0xff, 0, 0, 1, 0, 0, 0, 0, 0, 1, 2, 3, 4]), 1009);
  });

  it("invalid UTF-8 in a text message: 1007", async () => {
    await expectFailure(clientFrame(TEXT, Buffer.from([0x34, 0xc3, 0x28])), 1007);
  });

  it("an invalid close frame: 1002 (bad code, 1-byte payload), 1007 (reason not UTF-8)", async () => {
    await expectFailure(clientFrame(0x88, Buffer.from([0x03, 0xed])), 1002); // 1005 never travels
    await server!.close();
    await expectFailure(clientFrame(0x88, Buffer.from([0x03])), 1002);
    await server!.close();
    await expectFailure(clientFrame(0x88, Buffer.from([0x03, 0xe8, 0xff])), 1007);
  });
});

describe("websocket closing handshake", () => {
  it("echoes the client's close code, then closes the TCP connection", async () => {
    server = await startServer();
    const stillWorks = await bystander();
    const { client, socket } = await rawSession();
    const closed = closeEvent(socket);
    client.send(clientFrame(0x88, Buffer.concat([Buffer.from([0x0f, 0xa0]), Buffer.from("bye")])));
    const frame = await client.nextFrame();
    expect([frame.opcode, [...frame.payload]]).toEqual([8, [0x0f, 0xa0]]);
    await client.closed;
    expect(client.rest.length).toBe(0);
    expect((await closed)[0]).toBe("transport close");
    await stillWorks();
  });

  it("answers a close frame without a code with an empty one", async () => {
    server = await startServer();
    const { client } = await rawSession();
    client.send(clientFrame(0x88));
    const frame = await client.nextFrame();
    expect([frame.opcode, frame.payload.length]).toEqual([8, 0]);
    await client.closed;
  });

  it("closes from the server side with an empty close frame and sends nothing after it", async () => {
    server = await startServer();
    const stillWorks = await bystander();
    const { client, socket } = await rawSession();
    const closed = closeEvent(socket);
    socket.send("last words");
    socket.close();
    socket.send("too late");
    expect(await client.nextText()).toBe("4last words");
    const frame = await client.nextFrame();
    expect([frame.opcode, frame.payload.length]).toEqual([8, 0]);
    // the client answers the closing handshake; the server has ended its side already
    client.send(clientFrame(0x88));
    await client.closed;
    expect(client.rest.length).toBe(0);
    expect((await closed)[0]).toBe("forced close");
    const connection = (socket.transport as unknown as { socket: { readyState: number; bufferedAmount: number; _socket: NetSocket } }).socket;
    if (!connection._socket.closed) await once(connection._socket, "close");
    expect(connection.readyState).toBe(3);
    expect(connection.bufferedAmount).toBe(0);
    await stillWorks();
  });

  it("destroys the TCP connection 30 s after its close frame when the client never closes its side", async () => {
    server = await startServer();
    const { client, socket } = await rawSession({}, true);
    const connection = (socket.transport as unknown as { socket: { readyState: number; _socket: NetSocket } }).socket;
    const tcpClosed = once(connection._socket, "close");
    const finReceived = once(client.tcp, "end");
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      socket.close();
      const frame = await client.nextFrame();
      expect([frame.opcode, frame.payload.length]).toEqual([8, 0]);
      await finReceived;
      vi.advanceTimersByTime(29_999);
      await new Promise((resolve) => setImmediate(resolve));
      expect(connection._socket.destroyed).toBe(false);
      expect(connection.readyState).toBe(2);
      vi.advanceTimersByTime(1);
    } finally {
      vi.useRealTimers();
    }
    await tcpClosed;
    expect(connection.readyState).toBe(3);
    client.tcp.destroy();
  });

  it("a client that closes the TCP connection without a close frame ends the session", async () => {
    server = await startServer();
    const { client, socket } = await rawSession();
    const closed = closeEvent(socket);
    client.tcp.end();
    expect((await closed)[0]).toBe("transport close");
    await client.closed;
  });
});

describe("which WebSocket implementation serves", () => {
  it("our own by default, ws with a custom wsEngine or with perMessageDeflate", async () => {
    for (const [opts, own] of [
      [{}, true],
      [{ wsEngine: WebSocketServer }, false],
      [{ perMessageDeflate: true }, false],
    ] as const) {
      server = await startServer(opts);
      const { ws, socket } = await wsSession(server);
      const connection = (socket.transport as unknown as { socket: unknown }).socket;
      expect(connection instanceof WebSocketConnection).toBe(own);
      expect(connection instanceof WsWebSocket).toBe(!own);
      const message = nextMessage(socket);
      ws.send("4both ways");
      expect(await message).toBe("both ways");
      socket.send("back");
      expect(await ws.nextText()).toBe("4back");
      await server.close();
      server = undefined;
    }
  });
});

describe("maxHttpBufferSize 0", () => {
  it("means no limit, as in ws, yet a frame larger than a Buffer can hold is refused with 1009", async () => {
    server = await startServer({ maxHttpBufferSize: 0 });
    const { client, socket } = await rawSession();
    const message = nextMessage(socket);
    client.send(clientFrame(TEXT, "4" + "m".repeat(5000)));
    expect(await message).toBe("m".repeat(5000));
    const closed = closeEvent(socket);
    client.send(Buffer.from([0x82, 0xff, 0, 0x1f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4]));
    const frame = await client.nextFrame();
    expect([frame.opcode, frame.payload.readUInt16BE(0)]).toEqual([8, 1009]);
    expect((await closed)[0]).toBe("transport error");
  });
});
