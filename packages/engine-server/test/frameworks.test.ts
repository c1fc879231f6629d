import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import Fastify from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { Server } from "@sockwave/engine-server";
import { httpRequest, pollingHandshake, TestWebSocket, wsUrl } from "./helpers";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe("attached to framework servers", () => {
  it("shares an Express app's http server: engine paths to the engine, the rest to Express", async () => {
    const app = express();
    app.get("/hello", (_req, res) => {
      res.send("from express");
    });
    const http = createServer(app);
    const engine = new Server();
    engine.attach(http);
    http.listen(0, "127.0.0.1");
    await once(http, "listening");
    cleanups.push(async () => {
      engine.close();
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    });
    const port = (http.address() as AddressInfo).port;
    expect((await httpRequest(port, "GET", "/hello")).text).toBe("from express");
    expect((await pollingHandshake(port)).sid).toMatch(/^[\w-]{20}$/);
    const ws = new TestWebSocket(wsUrl(port, "EIO=4&transport=websocket"));
    expect((await ws.nextText())[0]).toBe("0");
    ws.ws.terminate();
  });

  it("shares a Fastify app's server", async () => {
    const app = Fastify();
    app.get("/hello", async () => "from fastify");
    const engine = new Server();
    engine.attach(app.server);
    await app.listen({ port: 0, host: "127.0.0.1" });
    cleanups.push(async () => {
      engine.close();
      app.server.closeAllConnections();
      await app.close();
    });
    const port = (app.server.address() as AddressInfo).port;
    expect((await httpRequest(port, "GET", "/hello")).text).toBe("from fastify");
    expect((await pollingHandshake(port)).sid).toMatch(/^[\w-]{20}$/);
    const ws = new TestWebSocket(wsUrl(port, "EIO=4&transport=websocket"));
    expect((await ws.nextText())[0]).toBe("0");
    ws.ws.terminate();
  });

  it("ends upgrades on other paths unless destroyUpgrade is false", async () => {
    const http = createServer();
    const engine = new Server();
    engine.attach(http, { destroyUpgradeTimeout: 10 });
    http.listen(0, "127.0.0.1");
    await once(http, "listening");
    cleanups.push(async () => {
      engine.close();
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    });
    const port = (http.address() as AddressInfo).port;
    const ended = new TestWebSocket(`ws://127.0.0.1:${port}/elsewhere`);
    await expect(ended.opened()).rejects.toThrow();

    const other = createServer();
    const kept = new Server();
    kept.attach(other, { destroyUpgrade: false });
    // someone else answers upgrades outside the engine's path
    other.on("upgrade", (req, socket) => {
      if (req.url === "/elsewhere") socket.end("HTTP/1.1 418 I'm a teapot\r\nConnection: close\r\n\r\n");
    });
    other.listen(0, "127.0.0.1");
    await once(other, "listening");
    cleanups.push(async () => {
      kept.close();
      other.closeAllConnections();
      await new Promise((resolve) => other.close(resolve));
    });
    const teapot = new TestWebSocket(`ws://127.0.0.1:${(other.address() as AddressInfo).port}/elsewhere`);
    await expect(teapot.opened()).rejects.toThrow("418");
  });
});
