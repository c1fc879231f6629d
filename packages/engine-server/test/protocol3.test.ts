import { afterEach, describe, expect, it } from "vitest";
import type { Socket } from "@sockwave/engine-server";
import { closeEvent, httpRequest, nextConnection, pollPath, startServer, TestWebSocket, wsUrl, type OpenPacket, type TestServer } from "./helpers";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Splits a protocol 3 text payload into its packets. */
function packetsOf(payload: string): string[] {
  const packets: string[] = [];
  let i = 0;
  while (i < payload.length) {
    const colon = payload.indexOf(":", i);
    const length = Number(payload.slice(i, colon));
    packets.push(payload.substr(colon + 1, length));
    i = colon + 1 + length;
  }
  return packets;
}

async function v3Session(query = ""): Promise<{ sid: string; socket: Socket; path: string; open: OpenPacket }> {
  const connection = nextConnection(server!.engine);
  const reply = await httpRequest(server!.port, "GET", pollPath(`EIO=3&transport=polling${query}`));
  expect(reply.status).toBe(200);
  const [openPacket] = packetsOf(reply.text);
  const open = JSON.parse(openPacket!.slice(1)) as OpenPacket;
  return { sid: open.sid, socket: await connection, path: pollPath(`EIO=3&transport=polling&sid=${open.sid}${query}`), open };
}

describe("protocol 3 (allowEIO3)", () => {
  it("handshakes with a length-prefixed payload; a missing EIO means protocol 3", async () => {
    server = await startServer({ allowEIO3: true, pingInterval: 1000, pingTimeout: 500 });
    const reply = await httpRequest(server.port, "GET", pollPath("transport=polling"));
    expect(reply.headers["content-type"]).toBe("text/plain; charset=UTF-8");
    const [open] = packetsOf(reply.text);
    expect(reply.text.startsWith(`${open!.length}:0{`)).toBe(true);
    expect(JSON.parse(open!.slice(1))).toMatchObject({ upgrades: ["websocket"], pingInterval: 1000, pingTimeout: 500 });
    const session = await v3Session();
    expect(session.socket.protocol).toBe(3);
  });

  it("answers every error code to protocol 3 requests as it does to protocol 4", async () => {
    server = await startServer({ allowEIO3: true, allowRequest: (req, fn) => fn("v3 refused", !req.url!.includes("deny")) });
    const cases: Array<[string, string, number, number]> = [
      ["GET", "EIO=3&transport=flash", 400, 0],
      ["GET", "EIO=3&transport=polling&sid=__proto__", 400, 1],
      ["POST", "EIO=3&transport=polling", 400, 2],
      ["GET", "EIO=3&transport=websocket", 400, 3],
      ["GET", "EIO=3&transport=polling&deny=1", 403, 4],
    ];
    for (const [method, query, status, code] of cases) {
      const reply = await httpRequest(server.port, method, pollPath(query), method === "POST" ? "1:2" : undefined);
      expect(reply.status).toBe(status);
      expect((JSON.parse(reply.text) as { code: number }).code).toBe(code);
    }
  });

  it("exchanges text messages with UTF-16 lengths over polling", async () => {
    server = await startServer({ allowEIO3: true });
    const { socket, path } = await v3Session();
    const received: unknown[] = [];
    socket.on("message", (data) => received.push(data));
    const reply = await httpRequest(server.port, "POST", path, "6:4héllo3:4€x");
    expect(reply.text).toBe("ok");
    expect(received).toEqual(["héllo", "€x"]);
    socket.send("añb");
    socket.send("c");
    expect((await httpRequest(server.port, "GET", path)).text).toBe("4:4añb2:4c");
  });

  it("sends binaries as the XHR2 binary payload, or base64 with b64=1", async () => {
    server = await startServer({ allowEIO3: true });
    const { socket, path } = await v3Session();
    socket.send(Buffer.from([1, 2, 3]));
    socket.send("héllo");
    const reply = await httpRequest(server.port, "GET", path);
    expect(reply.headers["content-type"]).toBe("application/octet-stream");
    expect([...reply.body]).toEqual([1, 4, 0xff, 4, 1, 2, 3, 0, 7, 0xff, ...Buffer.from("4héllo")]);

    const b64 = await v3Session("&b64=1");
    b64.socket.send(Buffer.from([1, 2, 3]));
    const text = await httpRequest(server.port, "GET", b64.path);
    expect(text.text).toBe("6:b4AQID");
  });

  it("decodes binary payloads and base64 packets posted by the client", async () => {
    server = await startServer({ allowEIO3: true });
    const { socket, path } = await v3Session();
    const received: unknown[] = [];
    socket.on("message", (data) => received.push(data));
    const body = Buffer.from([1, 4, 0xff, 4, 9, 8, 7, 0, 3, 0xff, ...Buffer.from("4hi")]);
    const reply = await httpRequest(server.port, "POST", path, body, { "content-type": "application/octet-stream" });
    expect(reply.text).toBe("ok");
    await httpRequest(server.port, "POST", path, "6:b4AQID");
    expect(received).toEqual([Buffer.from([9, 8, 7]), "hi", Buffer.from([1, 2, 3])]);
  });

  it("answers client pings with pongs and times out silent clients", async () => {
    server = await startServer({ allowEIO3: true, pingInterval: 300, pingTimeout: 200 });
    const { socket, path } = await v3Session();
    let heartbeats = 0;
    socket.on("heartbeat", () => heartbeats++);
    await httpRequest(server.port, "POST", path, "1:2");
    expect((await httpRequest(server.port, "GET", path)).text).toBe("1:3");
    expect(heartbeats).toBe(1);
    expect((await closeEvent(socket))[0]).toBe("ping timeout");
  });

  it("a pong from a protocol 3 client is an error", async () => {
    server = await startServer({ allowEIO3: true });
    const { socket, path } = await v3Session();
    const closed = closeEvent(socket);
    await httpRequest(server.port, "POST", path, "1:3");
    expect((await closed)[0]).toBe("transport error");
  });

  it("closes as parse error on malformed payloads", async () => {
    server = await startServer({ allowEIO3: true });
    for (const body of ["", "5:4ab", "x:4a", "2:9a", "1:"]) {
      const { socket, path } = await v3Session();
      const closed = closeEvent(socket);
      await httpRequest(server.port, "POST", path, body);
      expect((await closed)[0]).toBe("parse error");
    }
    // a binary payload whose length overruns the body is read as engine.io-parser 2 reads it: no crash
    const { socket, path } = await v3Session();
    const reply = await httpRequest(server.port, "POST", path, Buffer.from([0, 9, 9, 9, 0xff, 0x34]), { "content-type": "application/octet-stream" });
    expect(reply.text).toBe("ok");
    expect(socket.readyState).toBe("open");
  });

  it("JSONP polling wraps responses and unescapes posted data", async () => {
    server = await startServer({ allowEIO3: true });
    const connection = nextConnection(server.engine);
    const reply = await httpRequest(server.port, "GET", pollPath("EIO=3&transport=polling&j=3"));
    expect(reply.text.startsWith('___eio[3]("')).toBe(true);
    expect(reply.text.endsWith('");')).toBe(true);
    const payload = JSON.parse(reply.text.slice("___eio[3](".length, -2)) as string;
    const sid = (JSON.parse(packetsOf(payload)[0]!.slice(1)) as OpenPacket).sid;
    const socket = await connection;
    const message = new Promise((resolve) => socket.once("message", resolve));
    const body = "d=" + encodeURIComponent("12:4line1\\nline2");
    const post = await httpRequest(server.port, "POST", pollPath(`EIO=3&transport=polling&sid=${sid}&j=3`), body, {
      "content-type": "application/x-www-form-urlencoded",
    });
    expect(post.text).toBe("ok");
    expect(await message).toBe("line1\nline2");
    socket.send("a\u2028b");
    const get = await httpRequest(server.port, "GET", pollPath(`EIO=3&transport=polling&sid=${sid}&j=3`));
    expect(get.text).toBe('___eio[3]("4:4a\\u2028b");');
  });

  it("upgrades to websocket with type-prefixed binary frames", async () => {
    server = await startServer({ allowEIO3: true });
    const { socket, sid, path } = await v3Session();
    const ws = new TestWebSocket(wsUrl(server.port, `EIO=3&transport=websocket&sid=${sid}`));
    await ws.opened();
    const held = httpRequest(server.port, "GET", path);
    ws.send("2probe");
    expect(await ws.nextText()).toBe("3probe");
    expect((await held).text).toBe("1:6");
    const upgraded = new Promise((resolve) => socket.once("upgrade", resolve));
    ws.send("5");
    await upgraded;
    socket.send(Buffer.from([5, 6]));
    const frame = await ws.next();
    expect([...frame.data]).toEqual([4, 5, 6]);
    const received = new Promise((resolve) => socket.once("message", resolve));
    ws.send(Buffer.from([4, 7, 7]));
    expect(await received).toEqual(Buffer.from([7, 7]));
    ws.send("2");
    expect(await ws.nextText()).toBe("3");
  });

  it("opens websocket-only protocol 3 sessions", async () => {
    server = await startServer({ allowEIO3: true });
    const connection = nextConnection(server.engine);
    const ws = new TestWebSocket(wsUrl(server.port, "EIO=3&transport=websocket"));
    expect((await ws.nextText())[0]).toBe("0");
    const socket = await connection;
    expect(socket.protocol).toBe(3);
    socket.send("hi");
    expect(await ws.nextText()).toBe("4hi");
  });
});
