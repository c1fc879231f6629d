import { afterEach, describe, expect, it } from "vitest";
import type { Socket } from "@sockwave/engine-server";
import { closeEvent, httpRequest, nextConnection, pollPath, pollingHandshake, startServer, TestWebSocket, wsUrl, type TestServer } from "./helpers";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("heartbeat (protocol 4)", () => {
  it("pings over websocket; answered pings keep the session, heartbeat is emitted", async () => {
    server = await startServer({ pingInterval: 30, pingTimeout: 400 });
    const connection = nextConnection(server.engine);
    const ws = new TestWebSocket(wsUrl(server.port, "EIO=4&transport=websocket"));
    await ws.nextText();
    const socket = await connection;
    let heartbeats = 0;
    socket.on("heartbeat", () => heartbeats++);
    for (let i = 0; i < 3; i++) {
      expect(await ws.nextText()).toBe("2");
      ws.send("3");
    }
    expect(await ws.nextText()).toBe("2");
    expect(heartbeats).toBe(3);
    expect(socket.readyState).toBe("open");
  });

  it("closes with ping timeout when the client never answers, others keep going", async () => {
    server = await startServer({ pingInterval: 50, pingTimeout: 300 });
    const silentConnection = nextConnection(server.engine);
    const silent = new TestWebSocket(wsUrl(server.port, "EIO=4&transport=websocket"));
    await silent.nextText();
    const silentSocket = await silentConnection;
    const aliveConnection = nextConnection(server.engine);
    const alive = new TestWebSocket(wsUrl(server.port, "EIO=4&transport=websocket"));
    await alive.nextText();
    const aliveSocket = await aliveConnection;
    alive.ws.on("message", (data: Buffer) => {
      if (data.toString() === "2") alive.send("3");
    });
    const [reason] = await closeEvent(silentSocket);
    expect(reason).toBe("ping timeout");
    expect(await silent.closed).toBeGreaterThan(0);
    expect(aliveSocket.readyState).toBe("open");
    expect(server.engine.clientsCount).toBe(1);
  });

  it("pings over polling and times out a polling client that stops polling", async () => {
    server = await startServer({ pingInterval: 50, pingTimeout: 300 });
    const connection = nextConnection(server.engine);
    const { sid } = await pollingHandshake(server.port);
    const socket = await connection;
    const path = pollPath(`EIO=4&transport=polling&sid=${sid}`);
    expect((await httpRequest(server.port, "GET", path)).text).toBe("2");
    expect((await httpRequest(server.port, "POST", path, "3")).text).toBe("ok");
    expect((await httpRequest(server.port, "GET", path)).text).toBe("2");
    expect((await closeEvent(socket))[0]).toBe("ping timeout");
  });

  it("a ping from a protocol 4 client is an error", async () => {
    server = await startServer();
    const connection = nextConnection(server.engine);
    const ws = new TestWebSocket(wsUrl(server.port, "EIO=4&transport=websocket"));
    await ws.nextText();
    const socket = await connection;
    const closed = closeEvent(socket);
    ws.send("2");
    const [reason, description] = await closed;
    expect(reason).toBe("transport error");
    expect((description as Error).message).toBe("invalid heartbeat direction");
  });
});

async function upgradeSession(): Promise<{ socket: Socket; sid: string; path: string; ws: TestWebSocket }> {
  const connection = nextConnection(server!.engine);
  const { sid } = await pollingHandshake(server!.port);
  const socket = await connection;
  const ws = new TestWebSocket(wsUrl(server!.port, `EIO=4&transport=websocket&sid=${sid}`));
  await ws.opened();
  return { socket, sid, path: pollPath(`EIO=4&transport=polling&sid=${sid}`), ws };
}

describe("upgrade", () => {
  it("probes, answers the held GET with a noop, then switches to websocket", async () => {
    server = await startServer();
    const { socket, path, ws } = await upgradeSession();
    const events: string[] = [];
    socket.on("upgrading", (transport: { name: string }) => events.push(`upgrading:${transport.name}`));
    socket.on("upgrade", (transport: { name: string }) => events.push(`upgrade:${transport.name}`));
    const held = httpRequest(server.port, "GET", path);
    ws.send("2probe");
    expect(await ws.nextText()).toBe("3probe");
    expect((await held).text).toBe("6");
    expect(socket.upgrading).toBe(true);
    const upgraded = new Promise((resolve) => socket.once("upgrade", resolve));
    ws.send("5");
    await upgraded;
    expect(events).toEqual(["upgrading:websocket", "upgrade:websocket"]);
    expect(socket.transport.name).toBe("websocket");
    expect(socket.upgraded).toBe(true);
    expect(socket.upgrading).toBe(false);
    socket.send("over ws");
    expect(await ws.nextText()).toBe("4over ws");
    const after = await httpRequest(server.port, "GET", path);
    expect(after.status).toBe(400);
    expect(JSON.parse(after.text)).toEqual({ code: 3, message: "Bad request" });
    const message = new Promise((resolve) => socket.once("message", resolve));
    ws.send("4from client");
    expect(await message).toBe("from client");
  });

  it("messages buffered during the upgrade are sent over the new transport", async () => {
    server = await startServer();
    const { socket, ws } = await upgradeSession();
    ws.send("2probe");
    expect(await ws.nextText()).toBe("3probe");
    socket.send("queued");
    ws.send("5");
    expect(await ws.nextText()).toBe("4queued");
  });

  it("closes a second websocket for a session that is upgrading or upgraded", async () => {
    server = await startServer();
    const { sid, socket, ws } = await upgradeSession();
    const second = new TestWebSocket(wsUrl(server.port, `EIO=4&transport=websocket&sid=${sid}`));
    await second.opened();
    await second.closed;
    ws.send("2probe");
    await ws.nextText();
    const upgraded = new Promise((resolve) => socket.once("upgrade", resolve));
    ws.send("5");
    await upgraded;
    const third = new TestWebSocket(wsUrl(server.port, `EIO=4&transport=websocket&sid=${sid}`));
    await third.opened().catch(() => undefined);
    await third.closed;
    expect(socket.transport.name).toBe("websocket");
    expect(socket.readyState).toBe("open");
  });

  it("an unexpected packet on the probing transport cancels the upgrade, the session survives", async () => {
    server = await startServer();
    const { socket, ws, path } = await upgradeSession();
    ws.send("4not a probe");
    await ws.closed;
    expect(socket.upgrading).toBe(false);
    expect(socket.transport.name).toBe("polling");
    socket.send("still polling");
    expect((await httpRequest(server.port, "GET", path)).text).toBe("4still polling");
  });

  it("a websocket reset at any moment of the upgrade leaves the polling session usable", async () => {
    server = await startServer();
    for (const stage of ["open", "probe"] as const) {
      const { socket, ws, path } = await upgradeSession();
      if (stage === "probe") {
        ws.send("2probe");
        await ws.nextText();
      }
      ws.ws.terminate();
      await ws.closed;
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      expect(socket.readyState).toBe("open");
      expect(socket.transport.name).toBe("polling");
      socket.send(`after ${stage}`);
      expect((await httpRequest(server.port, "GET", path)).text).toBe(`4after ${stage}`);
    }
  });

  it("an upgrade that never completes times out and polling goes on", async () => {
    server = await startServer({ upgradeTimeout: 50 });
    const { socket, ws, path } = await upgradeSession();
    ws.send("2probe");
    await ws.nextText();
    await ws.closed;
    expect(socket.upgrading).toBe(false);
    socket.send("polling again");
    const replies: string[] = [];
    // the upgrade check may have answered a GET with a noop before the timeout
    for (let i = 0; i < 3 && !replies.includes("4polling again"); i++) replies.push((await httpRequest(server.port, "GET", path)).text);
    expect(replies).toContain("4polling again");
  });

  it("closing the session during an upgrade closes the probing websocket", async () => {
    server = await startServer();
    const { socket, ws } = await upgradeSession();
    ws.send("2probe");
    await ws.nextText();
    socket.close(true);
    await ws.closed;
    expect(socket.readyState).toBe("closed");
    expect(server.engine.clientsCount).toBe(0);
  });
});
