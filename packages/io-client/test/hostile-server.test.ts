// The client against a scripted, broken or hostile server (raw HTTP long-polling): every malformed
// handshake or packet must end in a clean connect_error, a "parse error" disconnection or a reconnection,
// never in an exception. Vitest fails the run on any uncaught exception or unhandled rejection.
import { createServer as createTcpServer, type Socket as TcpSocket } from "node:net";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { io, type ManagerOptions, type Socket, type SocketOptions } from "@sockwave/io-client";
import { RawEngineServer, VALID_HANDSHAKE, type HandshakeReply } from "./support/raw-engine-server";

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(handshake?: (attempt: number) => HandshakeReply): Promise<{ server: RawEngineServer; url: string }> {
  const server = new RawEngineServer(handshake);
  const url = await server.listen();
  cleanups.push(() => server.close());
  return { server, url };
}

function client(url: string, opts: Partial<ManagerOptions & SocketOptions> = {}): Socket {
  const socket = io(url, { forceNew: true, transports: ["polling"], reconnection: false, ...opts });
  cleanups.push(() => {
    socket.disconnect();
    socket.io._close();
  });
  return socket;
}

function next<T extends unknown[]>(emitter: { once(ev: string, fn: (...args: never[]) => void): unknown }, event: string): Promise<T> {
  return new Promise((resolve) => emitter.once(event, (...args: unknown[]) => resolve(args as T)));
}

/** A server that accepts the namespace CONNECT with `reply` packets. */
async function connectingServer(...reply: string[]): Promise<{ server: RawEngineServer; url: string }> {
  const started = await start();
  started.server.onPacket((packet) => {
    if (packet.startsWith("40")) started.server.send(...reply);
  });
  return started;
}

describe("a broken handshake", () => {
  it.each<[string, HandshakeReply]>([
    ["invalid JSON", "0{not json"],
    ["a truncated open packet", '0{"sid":"abc","upgr'],
    ["an open packet without data", "0"],
    ["a handshake of the wrong type", "4hello"],
    ["an empty body", ""],
    ["binary garbage", "\u0000\u0001\u00ff\ufffd"],
    ["an HTTP error", { status: 500, body: "oops" }],
    ["wrong field types", '0{"sid":42,"upgrades":"websocket","pingInterval":"soon","pingTimeout":null}'],
  ])("gives connect_error for %s", async (_name, reply) => {
    const { url } = await start(() => reply);
    const socket = client(url);
    const [err] = await next<[Error]>(socket, "connect_error");
    expect(err).toBeInstanceOf(Error);
    expect(typeof err.message).toBe("string");
    expect(socket.connected).toBe(false);
  });

  it("is retried with backoff until the server answers properly", async () => {
    const { server, url } = await start((attempt) => (attempt < 3 ? "0{broken" : VALID_HANDSHAKE));
    server.onPacket((packet) => {
      if (packet === "40") server.send('40{"sid":"socket-id-1"}');
    });
    const socket = client(url, { reconnection: true, reconnectionDelay: 5, reconnectionDelayMax: 10 });
    const attempts: number[] = [];
    socket.io.on("reconnect_attempt", (attempt) => attempts.push(attempt));
    await next(socket, "connect");
    expect(attempts).toEqual([1, 2]);
    expect(socket.id).toBe("socket-id-1");
    expect(server.handshakes).toBe(3);
  });
});

describe("a server that does not speak HTTP", () => {
  const behaviours: Array<[string, (connection: TcpSocket) => void]> = [
    ["answers with garbage bytes", (connection) => connection.end("\u0000\u00ffnot http at all\r\n\r\n")],
    ["resets every connection", (connection) => connection.resetAndDestroy()],
    ["sends a truncated HTTP response", (connection) => connection.end("HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n0{\"sid\"")],
  ];
  it.each(behaviours.flatMap(([name, behave]) => [
    [name, "polling", behave] as const,
    [name, "websocket", behave] as const,
  ]))("gives connect_error and keeps retrying when it %s (%s)", async (_name, transport, behave) => {
    const tcp = createTcpServer((connection) => {
      connection.on("error", () => undefined);
      connection.once("data", () => behave(connection));
    });
    await new Promise<void>((resolve) => tcp.listen(0, "127.0.0.1", resolve));
    cleanups.push(() => new Promise<void>((resolve) => tcp.close(() => resolve())));
    const { port } = tcp.address() as AddressInfo;
    const socket = client(`http://127.0.0.1:${port}`, {
      transports: [transport],
      reconnection: true,
      reconnectionAttempts: 2,
      reconnectionDelay: 5,
      reconnectionDelayMax: 10,
    });
    const errors: Error[] = [];
    socket.on("connect_error", (err) => errors.push(err));
    await next(socket.io, "reconnect_failed");
    expect(errors).toHaveLength(3);
    for (const err of errors) expect(err).toBeInstanceOf(Error);
    expect(socket.connected).toBe(false);
  });
});

describe("malformed packets after the handshake", () => {
  it.each<[string, string]>([
    ["truncated JSON", '42["event",{"a":'],
    ["an unknown packet type", "49"],
    ["a reserved event name", '42["connect"]'],
    ["a disconnect event name", '42["disconnect","x"]'],
    ["an event without a name", "42[]"],
    ["an event whose name is an object", '42[{"a":1}]'],
    ["a non-array event payload", '42{"a":1}'],
    ["a non-array ack payload", '431"x"'],
    ["too many attachments", '451000000-["a",{"_placeholder":true,"num":0}]'],
    ["a negative attachment count", '45-1-["a"]'],
    ["a placeholder without attachment", '451-["a",{"_placeholder":true,"num":7}]'],
    ["a text packet while an attachment is awaited", '451-["a",{"_placeholder":true,"num":0}]\x1e42["b"]'],
  ])("disconnects with 'parse error' on %s", async (_name, packet) => {
    const { server, url } = await connectingServer('40{"sid":"s1"}');
    const socket = client(url);
    await next(socket, "connect");
    const received: unknown[] = [];
    socket.onAny((...args: unknown[]) => received.push(args));
    const disconnected = next<[string]>(socket, "disconnect");
    server.send(...packet.split("\x1e"));
    expect((await disconnected)[0]).toBe("parse error");
    expect(received).toEqual([]);
  });

  it("refuses an event with a huge argument list instead of overflowing the stack", async () => {
    const args = new Array(200_000).fill(0).join(",");
    const { server, url } = await connectingServer('40{"sid":"s1"}');
    const socket = client(url);
    await next(socket, "connect");
    let called = false;
    socket.on("big", () => (called = true));
    const disconnected = next<[string]>(socket, "disconnect");
    server.send(`42["big",${args}]`);
    expect((await disconnected)[0]).toBe("parse error");
    expect(called).toBe(false);
  });

  it("reconnects after a parse error and works again", async () => {
    let connects = 0;
    const { server, url } = await start();
    server.onPacket((packet) => {
      if (!packet.startsWith("40")) return;
      connects++;
      server.send(`40{"sid":"s${connects}"}`, connects === 1 ? '42["oops",' : '42["hello","world"]');
    });
    const socket = client(url, { reconnection: true, reconnectionDelay: 5, reconnectionDelayMax: 10 });
    const reasons: string[] = [];
    socket.on("disconnect", (reason) => reasons.push(reason));
    const [greeting] = await next<[string]>(socket, "hello");
    expect(greeting).toBe("world");
    expect(reasons).toEqual(["parse error"]);
    expect(socket.id).toBe("s2");
  });

  it("ignores an ack for an id it never sent and keeps working", async () => {
    const { url } = await connectingServer('40{"sid":"s1"}', '4399["late"]', '42["after"]');
    const socket = client(url);
    const [value] = await next<[string | undefined]>(socket, "after");
    expect(value).toBeUndefined();
    expect(socket.connected).toBe(true);
  });
});

describe("CONNECT and CONNECT_ERROR of unexpected shape", () => {
  it.each<[string, string]>([
    ["a bare string", '44"go away"'],
    ["an object without message", '44{"data":{"code":1}}'],
    ["a non-string message", '44{"message":42}'],
  ])("gives connect_error with an Error for %s", async (_name, packet) => {
    const { url } = await connectingServer(packet);
    const socket = client(url);
    const [err] = await next<[Error & { data?: unknown }]>(socket, "connect_error");
    expect(err).toBeInstanceOf(Error);
    expect(err.message.length).toBeGreaterThan(0);
    expect(socket.active).toBe(false);
  });

  it("passes message and data through for the usual shape", async () => {
    const { url } = await connectingServer('44{"message":"not allowed","data":{"code":403}}');
    const socket = client(url);
    const [err] = await next<[Error & { data?: unknown }]>(socket, "connect_error");
    expect(err.message).toBe("not allowed");
    expect(err.data).toEqual({ code: 403 });
  });

  it.each<[string, string]>([
    ["a number", "44123"],
    ["null", "44null"],
    ["an array", "44[1,2]"],
  ])("closes cleanly on a CONNECT_ERROR carrying %s", async (_name, packet) => {
    const { url } = await connectingServer(packet);
    const socket = client(url);
    const outcome = await Promise.race([
      next<[Error]>(socket, "connect_error").then(([err]) => err.message),
      next<[string]>(socket, "disconnect").then(([reason]) => reason),
    ]);
    expect(typeof outcome).toBe("string");
    expect(socket.connected).toBe(false);
  });

  it("explains a CONNECT reply without session id (a v2 server)", async () => {
    const { url } = await connectingServer("40");
    const socket = client(url);
    const [err] = await next<[Error]>(socket, "connect_error");
    expect(err.message).toMatch(/v2/);
    expect(socket.connected).toBe(false);
  });
});

describe("what the client sends", () => {
  it("sends auth and, after a recovery-enabled session, pid and offset in the next CONNECT", async () => {
    const { server, url } = await start();
    server.onPacket((packet) => {
      if (packet.startsWith("40")) server.send('40{"sid":"s1","pid":"p1"}', '42["tick",1,"offset-7"]');
    });
    const socket = client(url, { auth: { token: "t" }, reconnection: true, reconnectionDelay: 5, reconnectionDelayMax: 10 });
    await next(socket, "tick");
    expect(server.received[0]).toBe('40{"token":"t"}');
    // drop the session from the client's side of the transport: the next CONNECT asks for recovery
    const reconnected = next(socket.io, "reconnect");
    socket.io.engine.close();
    await reconnected;
    await next(socket, "connect");
    const connects = server.received.filter((packet) => packet.startsWith("40"));
    expect(JSON.parse(connects[1]!.slice(2))).toEqual({ pid: "p1", offset: "offset-7", token: "t" });
    expect(socket.recovered).toBe(true);
  });
});
