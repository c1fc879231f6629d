import { connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { ConnectionError } from "@sockwave/engine-server";
import { closeEvent, httpRequest, pollPath, pollingHandshake, pollingSession, startServer, TestWebSocket, wsUrl, type TestServer } from "./helpers";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function json(text: string): unknown {
  return JSON.parse(text);
}

/** Sends a raw upgrade request and returns everything the server wrote before closing. */
function rawUpgrade(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.on("error", reject);
    socket.on("close", () => resolve(Buffer.concat(chunks).toString()));
    socket.write(
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
    );
  });
}

describe("HTTP error codes", () => {
  it("0 Transport unknown: unknown, missing, disallowed and prototype-named transports", async () => {
    server = await startServer({ transports: ["polling"] });
    const errorsSeen: ConnectionError[] = [];
    server.engine.on("connection_error", (err: ConnectionError) => errorsSeen.push(err));
    for (const query of ["EIO=4&transport=foo", "EIO=4", "EIO=4&transport=websocket", "EIO=4&transport=__proto__", "EIO=4&transport=constructor"]) {
      const reply = await httpRequest(server.port, "GET", pollPath(query));
      expect(reply.status).toBe(400);
      expect(reply.headers["content-type"]).toBe("application/json");
      expect(json(reply.text)).toEqual({ code: 0, message: "Transport unknown" });
    }
    expect(errorsSeen).toHaveLength(5);
    expect(errorsSeen[0]).toMatchObject({ code: 0, message: "Transport unknown", context: { transport: "foo" } });
    expect(errorsSeen[0]!.req.url).toContain("transport=foo");
  });

  it("1 Session ID unknown, including prototype-named ids", async () => {
    server = await startServer();
    for (const sid of ["nope", "__proto__", "constructor", "toString", "hasOwnProperty"]) {
      const get = await httpRequest(server.port, "GET", pollPath(`EIO=4&transport=polling&sid=${sid}`));
      expect(get.status).toBe(400);
      expect(json(get.text)).toEqual({ code: 1, message: "Session ID unknown" });
      const post = await httpRequest(server.port, "POST", pollPath(`EIO=4&transport=polling&sid=${sid}`), "4x");
      expect(json(post.text)).toEqual({ code: 1, message: "Session ID unknown" });
    }
    expect(server.engine.clientsCount).toBe(0);
  });

  it("2 Bad handshake method", async () => {
    server = await startServer();
    const errorsSeen: ConnectionError[] = [];
    server.engine.on("connection_error", (err: ConnectionError) => errorsSeen.push(err));
    for (const method of ["POST", "PUT", "DELETE"]) {
      const reply = await httpRequest(server.port, method, pollPath("EIO=4&transport=polling"), "4x");
      expect(reply.status).toBe(400);
      expect(json(reply.text)).toEqual({ code: 2, message: "Bad handshake method" });
    }
    expect(errorsSeen.map((err) => err.context)).toEqual([{ method: "POST" }, { method: "PUT" }, { method: "DELETE" }]);
  });

  it("3 Bad request: websocket transport over plain HTTP, transport mismatch (an obs-text origin is valid)", async () => {
    server = await startServer();
    const names: unknown[] = [];
    server.engine.on("connection_error", (err: ConnectionError) => names.push(err.context?.name));
    const plain = await httpRequest(server.port, "GET", pollPath("EIO=4&transport=websocket"));
    expect(plain.status).toBe(400);
    expect(json(plain.text)).toEqual({ code: 3, message: "Bad request" });

    const ws = new TestWebSocket(wsUrl(server.port, "EIO=4&transport=websocket"));
    const sid = (JSON.parse((await ws.nextText()).slice(1)) as { sid: string }).sid;
    const mismatch = await httpRequest(server.port, "GET", pollPath(`EIO=4&transport=polling&sid=${sid}`));
    expect(json(mismatch.text)).toEqual({ code: 3, message: "Bad request" });

    const origin = await httpRequest(server.port, "GET", pollPath("EIO=4&transport=polling"), undefined, { origin: "https://a\u00ffb" });
    expect(origin.status).toBe(200);
    expect(names).toEqual(["TRANSPORT_HANDSHAKE_ERROR", "TRANSPORT_MISMATCH"]);
  });

  it("3 Bad request: protocol mismatch between a session and a later request", async () => {
    server = await startServer({ allowEIO3: true });
    const { sid } = await pollingHandshake(server.port);
    const reply = await httpRequest(server.port, "GET", pollPath(`EIO=3&transport=polling&sid=${sid}`));
    expect(reply.status).toBe(400);
    expect(json(reply.text)).toEqual({ code: 3, message: "Bad request" });
  });

  it("4 Forbidden with status 403 and the message from allowRequest", async () => {
    server = await startServer({
      allowRequest: (req, fn) => (req.headers["x-token"] === "ok" ? fn(null, true) : fn("Go away", false)),
    });
    const refused = await httpRequest(server.port, "GET", pollPath("EIO=4&transport=polling"));
    expect(refused.status).toBe(403);
    expect(json(refused.text)).toEqual({ code: 4, message: "Go away" });
    const allowed = await httpRequest(server.port, "GET", pollPath("EIO=4&transport=polling"), undefined, { "x-token": "ok" });
    expect(allowed.status).toBe(200);
    const ws = new TestWebSocket(wsUrl(server.port, "EIO=4&transport=websocket"));
    await expect(ws.opened()).rejects.toThrow("400");
  });

  it("4 Forbidden falls back to the standard message when allowRequest gives none", async () => {
    server = await startServer({ allowRequest: (_req, fn) => fn(undefined, false) });
    const refused = await httpRequest(server.port, "GET", pollPath("EIO=4&transport=polling"));
    expect(refused.status).toBe(403);
    expect(json(refused.text)).toEqual({ code: 4, message: "Forbidden" });
  });

  it("4 Forbidden when allowRequest throws, and the server keeps serving", async () => {
    server = await startServer({
      allowRequest: () => {
        throw new Error("bug in allowRequest");
      },
    });
    const refused = await httpRequest(server.port, "GET", pollPath("EIO=4&transport=polling"));
    expect(refused.status).toBe(403);
    expect(json(refused.text)).toEqual({ code: 4, message: "Forbidden" });
    const again = await httpRequest(server.port, "GET", pollPath("EIO=4&transport=polling"));
    expect(again.status).toBe(403);
  });

  it("5 Unsupported protocol version for protocol 3 (or no EIO) without allowEIO3", async () => {
    server = await startServer();
    const errorsSeen: ConnectionError[] = [];
    server.engine.on("connection_error", (err: ConnectionError) => errorsSeen.push(err));
    for (const query of ["EIO=3&transport=polling", "transport=polling"]) {
      const reply = await httpRequest(server.port, "GET", pollPath(query));
      expect(reply.status).toBe(400);
      expect(json(reply.text)).toEqual({ code: 5, message: "Unsupported protocol version" });
    }
    expect(errorsSeen.map((err) => err.context)).toEqual([{ protocol: 3 }, { protocol: 3 }]);
  });

  it("refuses an upgrade to an unknown session with a raw 400 and closes the TCP connection", async () => {
    server = await startServer();
    for (const sid of ["unknown", "__proto__", "constructor"]) {
      const raw = await rawUpgrade(server.port, `/engine.io/?EIO=4&transport=websocket&sid=${sid}`);
      expect(raw).toBe("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-type: text/html\r\nContent-Length: 18\r\n\r\nSession ID unknown");
    }
    const unknownTransport = await rawUpgrade(server.port, "/engine.io/?EIO=4&transport=flash");
    expect(unknownTransport).toContain("HTTP/1.1 400 Bad Request");
    expect(unknownTransport.endsWith("Transport unknown")).toBe(true);
  });

  it("answers a method other than GET or POST on a session with 500", async () => {
    server = await startServer();
    const { sid } = await pollingHandshake(server.port);
    const reply = await httpRequest(server.port, "PUT", pollPath(`EIO=4&transport=polling&sid=${sid}`), "4x");
    expect(reply.status).toBe(500);
    expect(server.engine.clientsCount).toBe(1);
  });
});

describe("polling request rules", () => {
  it("413 for a body above maxHttpBufferSize, the session stays usable", async () => {
    server = await startServer({ maxHttpBufferSize: 100 });
    const { sid, socket } = await pollingSession(server);
    const received: unknown[] = [];
    socket.on("message", (data) => received.push(data));
    const big = await httpRequest(server.port, "POST", pollPath(`EIO=4&transport=polling&sid=${sid}`), "4" + "x".repeat(200));
    expect(big.status).toBe(413);
    const small = await httpRequest(server.port, "POST", pollPath(`EIO=4&transport=polling&sid=${sid}`), "4fits");
    expect(small.text).toBe("ok");
    expect(received).toEqual(["fits"]);
  });

  it("400 and a closed session for two overlapping GETs", async () => {
    server = await startServer();
    const { sid, socket } = await pollingSession(server);
    const closed = closeEvent(socket);
    const first = httpRequest(server.port, "GET", pollPath(`EIO=4&transport=polling&sid=${sid}`));
    await new Promise((resolve) => socket.transport.once("ready", resolve));
    const second = await httpRequest(server.port, "GET", pollPath(`EIO=4&transport=polling&sid=${sid}`));
    expect(second.status).toBe(400);
    const [reason] = await closed;
    expect(reason).toBe("transport error");
    const firstReply = await first;
    expect(firstReply.status).toBe(200);
    // the held GET carries the close packet, as engine.io does
    expect(firstReply.text).toBe("1");
    expect(server.engine.clientsCount).toBe(0);
  });

  it("400 and a closed session for a binary content type with protocol 4", async () => {
    server = await startServer();
    const { sid, socket } = await pollingSession(server);
    const closed = closeEvent(socket);
    const reply = await httpRequest(server.port, "POST", pollPath(`EIO=4&transport=polling&sid=${sid}`), Buffer.from([1, 2, 3]), {
      "content-type": "application/octet-stream",
    });
    expect(reply.status).toBe(400);
    expect((await closed)[0]).toBe("transport error");
  });

  it("closes the session as parse error on a malformed body, other sessions unaffected", async () => {
    server = await startServer();
    const { sid: victimSid, socket: victimSocket } = await pollingSession(server);
    const { sid: bystanderSid, socket: bystanderSocket } = await pollingSession(server);
    const closed = closeEvent(victimSocket);
    const reply = await httpRequest(server.port, "POST", pollPath(`EIO=4&transport=polling&sid=${victimSid}`), "4ok\x1ezzz\x1e4never");
    expect(reply.text).toBe("ok");
    expect((await closed)[0]).toBe("parse error");
    const message = new Promise((resolve) => bystanderSocket.once("message", resolve));
    await httpRequest(server.port, "POST", pollPath(`EIO=4&transport=polling&sid=${bystanderSid}`), "4still here");
    expect(await message).toBe("still here");
  });

  it("treats an empty body and unknown packet digits as parse errors", async () => {
    server = await startServer();
    for (const body of ["", "9", "x"]) {
      const { sid, socket } = await pollingSession(server);
      const closed = closeEvent(socket);
      await httpRequest(server.port, "POST", pollPath(`EIO=4&transport=polling&sid=${sid}`), body);
      expect((await closed)[0]).toBe("parse error");
    }
  });

  it("closes the session when a held GET is aborted by the client", async () => {
    server = await startServer();
    const { sid, socket } = await pollingSession(server);
    const closed = closeEvent(socket);
    const { request } = await import("node:http");
    const req = request({ host: "127.0.0.1", port: server.port, path: pollPath(`EIO=4&transport=polling&sid=${sid}`), agent: false });
    req.on("error", () => {});
    req.end();
    await new Promise((resolve) => socket.transport.once("ready", resolve));
    req.destroy();
    expect((await closed)[0]).toBe("transport error");
  });
});
