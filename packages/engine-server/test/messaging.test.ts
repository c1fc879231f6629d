import { connect, type Socket as NetSocket } from "node:net";
import { gunzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { prepareMessage, PreparedMessage, type Socket } from "@sockwave/engine-server";
import { closeEvent, httpRequest, nextMessage, pollingSession, startServer, wsSession, type TestServer } from "./helpers";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("polling messages (protocol 4)", () => {
  it("delivers text and binary messages from the client, several per body", async () => {
    server = await startServer();
    const { socket, path } = await pollingSession(server!);
    const received: unknown[] = [];
    const data: unknown[] = [];
    socket.on("message", (message) => received.push(message));
    socket.on("data", (message) => data.push(message));
    const reply = await httpRequest(server.port, "POST", path, "4hello\x1ebAQIDBA==\x1e4€ üñí");
    expect(reply.status).toBe(200);
    expect(reply.text).toBe("ok");
    expect(reply.headers["content-type"]).toBe("text/html");
    expect(received).toEqual(["hello", Buffer.from([1, 2, 3, 4]), "€ üñí"]);
    expect(data).toEqual(received);
  });

  it("sends text and binary messages written in one turn in a single response", async () => {
    server = await startServer();
    const { socket, path } = await pollingSession(server!);
    socket.send("one");
    socket.write(Buffer.from([1, 2, 3, 4]));
    socket.send(new Uint8Array([5, 6]));
    socket.send(prepareMessage("prepared"));
    const reply = await httpRequest(server.port, "GET", path);
    expect(reply.headers["content-type"]).toBe("text/plain; charset=UTF-8");
    expect(reply.headers["cache-control"]).toBe("no-store");
    expect(reply.text).toBe("4one\x1ebAQIDBA==\x1ebBQY=\x1e4prepared");
  });

  it("holds a GET until there is something to send", async () => {
    server = await startServer();
    const { socket, path } = await pollingSession(server!);
    const pending = httpRequest(server.port, "GET", path);
    await new Promise((resolve) => socket.transport.once("ready", resolve));
    socket.send("later");
    expect((await pending).text).toBe("4later");
  });

  it("runs send callbacks once the response is written and emits flush/drain to listeners", async () => {
    server = await startServer();
    const { socket, path } = await pollingSession(server!);
    const events: string[] = [];
    socket.on("packetCreate", (packet: { type: string }) => events.push(`packetCreate:${packet.type}`));
    socket.on("flush", (buffer: unknown[]) => events.push(`flush:${buffer.length}`));
    socket.on("drain", () => events.push("drain"));
    server.engine.on("flush", (s: Socket) => events.push(`server-flush:${s === socket}`));
    server.engine.on("drain", (s: Socket) => events.push(`server-drain:${s === socket}`));
    const written = new Promise<string>((resolve) => socket.send("x", (transport) => resolve(transport.name)));
    socket.send("y", { compress: false });
    const reply = await httpRequest(server.port, "GET", path);
    expect(reply.text).toBe("4x\x1e4y");
    expect(await written).toBe("polling");
    expect(events).toEqual(["packetCreate:message", "packetCreate:message", "flush:2", "server-flush:true", "drain", "server-drain:true"]);
  });

  it("compresses large responses when the client accepts gzip, not small ones", async () => {
    server = await startServer();
    const { socket, path } = await pollingSession(server!);
    const big = "z".repeat(5000);
    socket.send(big);
    const reply = await httpRequest(server.port, "GET", path, undefined, { "accept-encoding": "gzip, deflate" });
    expect(reply.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(reply.body).toString()).toBe("4" + big);
    socket.send("small");
    const small = await httpRequest(server.port, "GET", path, undefined, { "accept-encoding": "gzip" });
    expect(small.headers["content-encoding"]).toBeUndefined();
    expect(small.text).toBe("4small");
  });

  it("does not compress when httpCompression is off or the message opts out", async () => {
    server = await startServer({ httpCompression: false });
    const { socket, path } = await pollingSession(server!);
    socket.send("z".repeat(5000));
    const reply = await httpRequest(server.port, "GET", path, undefined, { "accept-encoding": "gzip" });
    expect(reply.headers["content-encoding"]).toBeUndefined();
    await server.close();
    server = await startServer();
    const session = await pollingSession(server!);
    session.socket.send("z".repeat(5000), { compress: false });
    const optOut = await httpRequest(server.port, "GET", session.path, undefined, { "accept-encoding": "gzip" });
    expect(optOut.headers["content-encoding"]).toBeUndefined();
  });

  it("a close packet from the client ends the session and answers the held GET with a noop", async () => {
    server = await startServer();
    const { socket, path } = await pollingSession(server!);
    const closed = closeEvent(socket);
    const pending = httpRequest(server.port, "GET", path);
    await new Promise((resolve) => socket.transport.once("ready", resolve));
    await httpRequest(server.port, "POST", path, "1");
    expect((await pending).text).toBe("6");
    expect((await closed)[0]).toBe("transport close");
    expect(server.engine.clientsCount).toBe(0);
  });

  it("socket.close() sends buffered packets then a close packet on the next GET", async () => {
    server = await startServer();
    const { socket, path } = await pollingSession(server!);
    const closed = closeEvent(socket);
    socket.send("bye");
    socket.close();
    expect(socket.readyState).toBe("closing");
    socket.send("dropped");
    // as engine.io: the buffer drains first, the close goes out on the following GET
    expect((await httpRequest(server.port, "GET", path)).text).toBe("4bye");
    expect((await httpRequest(server.port, "GET", path)).text).toBe("6\x1e1");
    expect((await closed)[0]).toBe("forced close");
  });

  it("socket.close() answers a held GET with the close packet at once", async () => {
    server = await startServer();
    const { socket, path } = await pollingSession(server!);
    const pending = httpRequest(server.port, "GET", path);
    await new Promise((resolve) => socket.transport.once("ready", resolve));
    socket.close();
    expect((await pending).text).toBe("1");
    expect(socket.readyState).toBe("closed");
  });

  it("accepts base64 sessions (b64=1): binaries go out as base64 either way", async () => {
    server = await startServer();
    const { socket, path } = await pollingSession(server!, "&b64=1");
    socket.send(Buffer.from([9, 9]));
    expect((await httpRequest(server.port, "GET", path)).text).toBe("bCQk=");
  });
});

describe("websocket messages (protocol 4)", () => {
  it("exchanges text and binary frames", async () => {
    server = await startServer();
    const { ws, socket } = await wsSession(server!);
    const received: unknown[] = [];
    const allReceived = new Promise<void>((resolve) =>
      socket.on("message", (message) => {
        if (received.push(message) === 3) resolve();
      }),
    );
    ws.send("4héllo");
    ws.send(Buffer.from([1, 2, 3]));
    ws.send("4");
    socket.send("reply");
    socket.send(Buffer.from([4, 5]));
    socket.send(new Uint16Array([0x0102]).buffer);
    expect(await ws.nextText()).toBe("4reply");
    const binary = await ws.next();
    expect(binary.isBinary).toBe(true);
    expect([...binary.data]).toEqual([4, 5]);
    expect((await ws.next()).data.length).toBe(2);
    await allReceived;
    expect(received).toEqual(["héllo", Buffer.from([1, 2, 3]), ""]);
  });

  it("emits packet for every incoming packet, message text included, when someone listens", async () => {
    server = await startServer({ pingInterval: 30, pingTimeout: 1000 });
    const { ws, socket } = await wsSession(server!);
    const types: string[] = [];
    const seen = new Promise<void>((resolve) =>
      socket.on("packet", (packet) => {
        types.push(`${packet.type}:${String(packet.data ?? "")}`);
        if (packet.type === "pong") resolve();
      }),
    );
    ws.send("4text");
    ws.send(Buffer.from([1]));
    expect(await ws.nextText()).toBe("2");
    ws.send("3");
    await seen;
    expect(types).toEqual(["message:text", "message:\u0001", "pong:"]);
  });

  it("emits drain on the direct write path, and packetCreate and flush when someone listens for them", async () => {
    server = await startServer();
    const { ws, socket } = await wsSession(server!);
    const events: string[] = [];
    socket.on("drain", () => events.push("drain"));
    server.engine.on("drain", (s: Socket) => events.push(`server-drain:${s === socket}`));
    socket.send("direct");
    expect(await ws.nextText()).toBe("4direct");
    expect(events).toEqual(["drain", "server-drain:true"]);

    events.length = 0;
    server.engine.on("flush", (s: Socket, packets: unknown[]) => events.push(`server-flush:${s === socket}:${packets.length}`));
    socket.send("seen by the server");
    expect(await ws.nextText()).toBe("4seen by the server");
    expect(events).toEqual(["server-flush:true:1", "drain", "server-drain:true"]);

    events.length = 0;
    socket.on("packetCreate", (packet: { type: string; data?: unknown }) => events.push(`packetCreate:${String(packet.data)}`));
    socket.on("flush", (packets: unknown[]) => events.push(`flush:${packets.length}`));
    socket.send("seen by the socket");
    expect(await ws.nextText()).toBe("4seen by the socket");
    expect(events).toEqual(["packetCreate:seen by the socket", "flush:1", "server-flush:true:1", "drain", "server-drain:true"]);
  });

  it("builds correct frames for 125, 126, 65535 and 65536+ byte payloads", async () => {
    server = await startServer();
    const { ws, socket } = await wsSession(server!);
    for (const length of [124, 125, 65534, 65535, 70000]) socket.send("a".repeat(length));
    for (const length of [124, 125, 65534, 65535, 70000]) expect((await ws.nextText()).length).toBe(length + 1);
    socket.send(Buffer.alloc(70000, 7));
    const binary = await ws.next();
    expect(binary.data.length).toBe(70000);
    expect(binary.data.every((byte) => byte === 7)).toBe(true);
  });

  it("sends a PreparedMessage's shared frame to many sockets", async () => {
    server = await startServer();
    const a = await wsSession(server!);
    const b = await wsSession(server!);
    const prepared = prepareMessage("broadcast");
    expect(prepared).toBeInstanceOf(PreparedMessage);
    expect(prepareMessage(prepared)).toBe(prepared);
    a.socket.write(prepared);
    b.socket.write(prepared);
    const binary = prepareMessage(Buffer.from([7, 8]));
    a.socket.write(binary);
    b.socket.write(binary);
    expect(await a.ws.nextText()).toBe("4broadcast");
    expect(await b.ws.nextText()).toBe("4broadcast");
    expect([...(await a.ws.next()).data]).toEqual([7, 8]);
    expect([...(await b.ws.next()).data]).toEqual([7, 8]);
    expect(prepared.websocketFrame(4)).toBe(prepared.websocketFrame(4));
    expect(() => prepareMessage(42 as unknown as string)).toThrow(TypeError);
  });

  it("keeps the order of fast-path writes, callback writes and listener-observed writes", async () => {
    server = await startServer();
    const { ws, socket } = await wsSession(server!);
    const callbacks: string[] = [];
    socket.send("1");
    socket.send("2", () => callbacks.push("2"));
    socket.send("3");
    const packets: string[] = [];
    socket.on("packetCreate", (packet: { data?: unknown }) => packets.push(String(packet.data)));
    socket.send("4", () => callbacks.push("4"));
    socket.send("5");
    for (const expected of ["41", "42", "43", "44", "45"]) expect(await ws.nextText()).toBe(expected);
    await new Promise<void>((resolve) => socket.send("6", () => resolve()));
    expect(callbacks).toEqual(["2", "4"]);
    expect(packets).toEqual(["4", "5", "6"]);
  });

  it("delivers messages in base64 to b64=1 websocket clients", async () => {
    server = await startServer();
    const { ws, socket } = await wsSession(server!, "&b64=1");
    socket.send(Buffer.from([1, 2, 3, 4]));
    socket.send(prepareMessage(Buffer.from([1, 2, 3, 4])));
    expect(await ws.nextText()).toBe("bAQIDBA==");
    expect(await ws.nextText()).toBe("bAQIDBA==");
  });

  it("a close packet over websocket ends the session at once", async () => {
    server = await startServer();
    const { ws, socket } = await wsSession(server!);
    const closed = closeEvent(socket);
    ws.send("1");
    expect((await closed)[0]).toBe("transport close");
    await ws.closed;
    expect(server.engine.clientsCount).toBe(0);
  });

  it("socket.close() closes the websocket after the buffered frames", async () => {
    server = await startServer();
    const { ws, socket } = await wsSession(server!);
    const closed = closeEvent(socket);
    socket.send("last");
    socket.close();
    expect(await ws.nextText()).toBe("4last");
    expect((await closed)[0]).toBe("forced close");
    expect(await ws.closed).toBe(1005);
  });

  it("sends nothing after its close frame when the client starts the closing handshake", async () => {
    server = await startServer();
    const connection = new Promise<Socket>((resolve) => server!.engine.once("connection", resolve));
    const tcp = connect(server.port, "127.0.0.1");
    const received: Buffer[] = [];
    tcp.on("data", (chunk: Buffer) => received.push(chunk));
    tcp.write(
      "GET /engine.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n" +
        "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
    );
    const socket = await connection;
    const serverTcp = (socket.transport as unknown as { socket: { _socket: NetSocket } }).socket._socket;
    // runs after ws has read the client's close frame (and answered it) in the same turn
    serverTcp.on("data", () => socket.send("too late"));
    socket.send("in time");
    await new Promise((resolve) => setTimeout(resolve, 50));
    const mask = [1, 2, 3, 4];
    const code = [0x03, 0xe8].map((byte, i) => byte ^ mask[i]!);
    tcp.write(Buffer.from([0x88, 0x82, ...mask, ...code]));
    await new Promise((resolve) => tcp.once("close", resolve));
    const bytes = Buffer.concat(received);
    const frames = bytes.subarray(bytes.indexOf("\r\n\r\n") + 4);
    // open packet, "4in time", then the close frame answering ours, and nothing after it
    const closeAt = frames.indexOf(Buffer.from([0x88, 0x02, 0x03, 0xe8]));
    expect(closeAt).toBeGreaterThan(0);
    expect(frames.subarray(0, closeAt).toString()).toContain("4in time");
    expect(frames.length).toBe(closeAt + 4);
    expect(frames.includes("too late")).toBe(false);
  });

  it("closing the client connection closes the session as transport close", async () => {
    server = await startServer();
    const { ws, socket } = await wsSession(server!);
    const closed = closeEvent(socket);
    ws.ws.close();
    expect((await closed)[0]).toBe("transport close");
  });

  it("uses ws.send (and compression) when perMessageDeflate is on", async () => {
    server = await startServer({ perMessageDeflate: { threshold: 0 } });
    const { ws, socket } = await wsSession(server!);
    const big = "q".repeat(3000);
    socket.send(big);
    socket.send(Buffer.from([1]));
    socket.send("plain", { compress: false });
    expect(await ws.nextText()).toBe("4" + big);
    expect([...(await ws.next()).data]).toEqual([1]);
    expect(await ws.nextText()).toBe("4plain");
    expect(ws.ws.extensions).toContain("permessage-deflate");
    const echoed = nextMessage(socket);
    ws.send("4compressed from client");
    expect(await echoed).toBe("compressed from client");
  });

  it("a message larger than maxHttpBufferSize closes that session only", async () => {
    server = await startServer({ maxHttpBufferSize: 1000 });
    const victim = await wsSession(server!);
    const bystander = await wsSession(server!);
    const closed = closeEvent(victim.socket);
    victim.ws.send("4" + "x".repeat(5000));
    expect((await closed)[0]).toBe("transport error");
    const message = nextMessage(bystander.socket);
    bystander.ws.send("4fine");
    expect(await message).toBe("fine");
  });

  it("closes as parse error on a malformed packet", async () => {
    server = await startServer();
    for (const frame of ["", "9", "x"]) {
      const { ws, socket } = await wsSession(server!);
      const closed = closeEvent(socket);
      ws.send(frame);
      expect((await closed)[0]).toBe("parse error");
    }
  });
});

describe("back-pressure", () => {
  it("reports bytes waiting for a client that does not read, and writable turns false", async () => {
    server = await startServer();
    const { ws, socket } = await wsSession(server!);
    const tcp = (ws.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    tcp.pause();
    expect(socket.writeBuffer).toEqual([]);
    const chunk = "x".repeat(64 * 1024);
    for (let i = 0; i < 200 && socket.transport.writable; i++) {
      socket.send(chunk);
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(socket.transport.writable).toBe(false);
    expect(socket.bufferedAmount).toBeGreaterThan(0);
    expect(socket.writeBuffer).toEqual([]);
    tcp.resume();
    expect(await ws.nextText()).toBe("4" + chunk);
  });
});
