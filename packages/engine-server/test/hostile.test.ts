import { connect } from "node:net";
import { request } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import type { Socket } from "@sockwave/engine-server";
import { closeEvent, httpRequest, nextConnection, nextMessage, pollPath, pollingHandshake, startServer, TestWebSocket, wsSession, wsUrl, type TestServer } from "./helpers";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/**
 * Writes raw bytes on a fresh TCP connection and resolves with what came back when it closed
 * (or as soon as `until` shows up in the answer).
 */
function rawExchange(port: number, payload: string | Buffer, destroyAfterWrite = false, until?: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    socket.on("data", (chunk) => {
      chunks.push(chunk);
      if (until && Buffer.concat(chunks).toString().includes(until)) socket.destroy();
    });
    socket.on("error", () => {});
    socket.on("close", () => resolve(Buffer.concat(chunks).toString()));
    socket.write(payload, () => {
      if (destroyAfterWrite) socket.destroy();
    });
  });
}

/** A session every hostile test checks afterwards: it must still work. */
async function expectHealthy(): Promise<void> {
  const { ws, socket } = await wsSession(server!);
  const message = nextMessage(socket);
  ws.send("4alive");
  expect(await message).toBe("alive");
  socket.send("pong");
  expect(await ws.nextText()).toBe("4pong");
}

describe("hostile input", () => {
  it("survives an invalid websocket frame sent while an async generateId is pending", async () => {
    server = await startServer({ transports: ["websocket"] });
    let pending = 0;
    server.engine.generateId = () => {
      pending++;
      return new Promise<string>((resolve) => setTimeout(() => resolve(`async-id-${pending}`), 100));
    };
    const handshake =
      "GET /engine.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n" +
      "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    // an unmasked client frame is a protocol error in ws, raised before any transport listens
    const unmasked = Buffer.from([0x81, 0x05, ...Buffer.from("4oops")]);
    const answer = await rawExchange(server.port, Buffer.concat([Buffer.from(handshake), unmasked]));
    expect(answer).toMatch(/^HTTP\/1\.1 101 /);
    expect(pending).toBe(1);
    server.engine.generateId = () => "healthy-after-bad-frame";
    await expectHealthy();
  });

  it("survives connections reset at every step of a websocket handshake and upgrade", async () => {
    server = await startServer();
    const { sid } = await pollingHandshake(server.port);
    const upgrade =
      `GET /engine.io/?EIO=4&transport=websocket&sid=${sid} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n` +
      "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    for (const cut of [10, 60, upgrade.length - 2, upgrade.length]) {
      await rawExchange(server.port, upgrade.slice(0, cut), true);
    }
    // an upgrade completed and reset right after the probe frame (a masked "2probe")
    const mask = Buffer.from([1, 2, 3, 4]);
    const probe = Buffer.from("2probe").map((byte, i) => byte ^ mask[i % 4]!);
    await rawExchange(server.port, Buffer.concat([Buffer.from(upgrade), Buffer.from([0x81, 0x80 | 6]), mask, probe]), true);
    expect(server.engine.clients[sid]?.readyState).toBe("open");
    expect(server.engine.clients[sid]?.transport.name).toBe("polling");
    await expectHealthy();
  });

  it("rejects garbage websocket frames by closing only that session", async () => {
    server = await startServer();
    const { socket } = await wsSession(server!);
    const closed = closeEvent(socket);
    // an unmasked client frame is a protocol violation
    (socket.transport as unknown as { socket: { _socket: { emit(event: string, data: Buffer): void } } }).socket._socket.emit(
      "data",
      Buffer.from([0x81, 0x02, 0x34, 0x34]),
    );
    expect((await closed)[0]).toBe("transport error");
    await expectHealthy();
  });

  it("answers garbage HTTP and odd query strings without crashing", async () => {
    server = await startServer();
    await rawExchange(server.port, "\x00\x01\x02 garbage\r\n\r\n");
    for (const query of ["EIO=4&transport=polling&sid=%zz", "EIO=%E0%A4%A&transport=polling", "EIO=4&EIO=5&transport=polling&transport=x", "&&&=&="]) {
      const reply = await httpRequest(server.port, "GET", pollPath(query));
      expect([200, 400]).toContain(reply.status);
    }
    const upgradeToPolling = await rawExchange(
      server.port,
      "GET /engine.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
      false,
      "Switching Protocols",
    );
    expect(upgradeToPolling).toContain("101 Switching Protocols");
    await expectHealthy();
  });

  it("keeps memory bounded when a client streams a huge body", async () => {
    server = await startServer({ maxHttpBufferSize: 10_000 });
    const { sid } = await pollingHandshake(server.port);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        { host: "127.0.0.1", port: server!.port, method: "POST", path: pollPath(`EIO=4&transport=polling&sid=${sid}`), agent: false },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      const chunk = "4" + "x".repeat(4095);
      // far more than the limit: the server must answer 413 and stop buffering
      let sent = 0;
      const pump = (): void => {
        while (sent < 200 && req.write(chunk)) sent++;
        if (sent < 200) req.once("drain", pump);
        else req.end();
      };
      req.on("response", () => req.destroy());
      pump();
    });
    expect(status).toBe(413);
    await expectHealthy();
  });

  it("handles a flood of websocket messages from one client without losing any", async () => {
    server = await startServer();
    const { ws, socket } = await wsSession(server!);
    const count = 5000;
    let received = 0;
    const done = new Promise<void>((resolve) =>
      socket.on("message", () => {
        if (++received === count) resolve();
      }),
    );
    for (let i = 0; i < count; i++) ws.send(`4message ${i}`);
    await done;
    expect(received).toBe(count);
    await expectHealthy();
  });

  it("coalesces a burst of writes and delivers them all in order", async () => {
    server = await startServer();
    const { ws, socket } = await wsSession(server!);
    for (let i = 0; i < 2000; i++) socket.send(String(i));
    for (let i = 0; i < 2000; i++) expect(await ws.nextText()).toBe(`4${i}`);
  });

  it("survives a flood of handshakes and closes them all on shutdown", async () => {
    server = await startServer();
    await Promise.all(Array.from({ length: 100 }, () => pollingHandshake(server!.port)));
    expect(server.engine.clientsCount).toBe(100);
    server.engine.close();
    expect(server.engine.clientsCount).toBe(0);
  });

  it("closes sessions of clients that never answer pings and frees them", async () => {
    server = await startServer({ pingInterval: 20, pingTimeout: 20 });
    const closes: Array<Promise<[string, unknown]>> = [];
    const allConnected = new Promise<void>((resolve) =>
      server!.engine.on("connection", (socket: Socket) => {
        if (closes.push(closeEvent(socket)) === 20) resolve();
      }),
    );
    for (let i = 0; i < 20; i++) new TestWebSocket(wsUrl(server.port, "EIO=4&transport=websocket"));
    await allConnected;
    const reasons = await Promise.all(closes);
    expect(reasons.every(([reason]) => reason === "ping timeout")).toBe(true);
    expect(server.engine.clientsCount).toBe(0);
    expect(Object.keys(server.engine.clients)).toEqual([]);
  });

  it("ignores writes after close and double closes", async () => {
    server = await startServer();
    const { socket } = await wsSession(server!);
    const closed = closeEvent(socket);
    socket.close();
    socket.close();
    socket.close(true);
    socket.send("ignored");
    expect((await closed)[0]).toBe("forced close");
    socket.send("still ignored");
    expect(socket.readyState).toBe("closed");
    await expectHealthy();
  });

  it("survives deterministic random garbage over polling and websocket, protocols 4 and 3", async () => {
    server = await startServer({ allowEIO3: true });
    let seed = 12345;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const alphabet = "0123456789b:\x1e4é€ \u0000\uffff{}[]\"";
    const garbage = (): string => {
      let text = "";
      const length = Math.floor(random() * 24);
      for (let i = 0; i < length; i++) text += alphabet[Math.floor(random() * alphabet.length)];
      return text;
    };
    for (let round = 0; round < 40; round++) {
      const eio = round % 2 === 0 ? 4 : 3;
      const connection = nextConnection(server.engine);
      const reply = await httpRequest(server.port, "GET", pollPath(`EIO=${eio}&transport=polling`));
      const sid = (JSON.parse(reply.text.slice(reply.text.indexOf("{"))) as { sid: string }).sid;
      await connection;
      const path = pollPath(`EIO=${eio}&transport=polling&sid=${sid}`);
      const binary = random() < 0.3;
      const body = binary ? Buffer.from(Array.from({ length: 12 }, () => Math.floor(random() * 256))) : garbage();
      const post = await httpRequest(server.port, "POST", path, body, binary ? { "content-type": "application/octet-stream" } : {});
      expect([200, 400]).toContain(post.status);

      const ws = new TestWebSocket(wsUrl(server.port, `EIO=${eio}&transport=websocket`));
      await ws.nextText();
      for (let i = 0; i < 5; i++) ws.send(random() < 0.3 ? Buffer.from([Math.floor(random() * 256), 1, 2]) : garbage());
      ws.ws.terminate();
    }
    await expectHealthy();
  });
});
