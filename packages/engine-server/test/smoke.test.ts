import { afterEach, describe, expect, it } from "vitest";
import { httpRequest, pollPath, pollingHandshake, startServer, TestWebSocket, wsUrl, nextConnection, nextMessage, type TestServer } from "./helpers";

let server: TestServer;
afterEach(async () => server?.close());

describe("smoke", () => {
  it("polling handshake and message", async () => {
    server = await startServer();
    const conn = nextConnection(server.engine);
    const open = await pollingHandshake(server.port);
    expect(open.sid).toMatch(/^[\w-]{20}$/);
    const socket = await conn;
    const msg = nextMessage(socket);
    const post = await httpRequest(server.port, "POST", pollPath(`EIO=4&transport=polling&sid=${open.sid}`), "4hello");
    expect(post.text).toBe("ok");
    expect(await msg).toBe("hello");
    socket.send("world");
    const get = await httpRequest(server.port, "GET", pollPath(`EIO=4&transport=polling&sid=${open.sid}`));
    expect(get.text).toBe("4world");
  });
  it("websocket handshake and echo", async () => {
    server = await startServer();
    server.engine.on("connection", (s) => s.on("message", (d: unknown) => s.send(d as string)));
    const ws = new TestWebSocket(wsUrl(server.port, "EIO=4&transport=websocket"));
    const open = await ws.nextText();
    expect(open[0]).toBe("0");
    ws.send("4hi");
    expect(await ws.nextText()).toBe("4hi");
  });
});
