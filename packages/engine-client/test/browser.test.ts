// The browser build (XMLHttpRequest and fetch polling, the native WebSocket) in headless Chromium, against our
// engine server. The page bundles src/browser.ts the way a bundler honouring the "browser" condition would.
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { build, type BuildOptions, type Plugin } from "esbuild";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attach, type Server as EngineServer, type Socket as ServerSocket } from "@sockwave/engine-server";
import { launchChromium } from "./support/chromium";

const source = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

const parserSources = source("../../engine-parser/src/");

/**
 * engine-parser from its TypeScript sources, built for browsers the way its own build does it: the same entry
 * with its `node/platform` module swapped for `browser/platform`.
 */
const workspaceSources: Plugin = {
  name: "workspace-sources",
  setup(builder) {
    builder.onResolve({ filter: /^@sockwave\/engine-parser$/ }, () => ({ path: `${parserSources}index.ts` }));
    builder.onResolve({ filter: /\/node\/platform(\.ts)?$/ }, (args) =>
      args.importer.startsWith(parserSources) ? { path: `${parserSources}browser/platform.ts` } : undefined,
    );
  },
};

/** src/browser.ts bundled as a bundler honouring the "browser" export condition would. */
function bundleBrowserEntry(options: Pick<BuildOptions, "format" | "globalName" | "metafile">) {
  return build({
    entryPoints: [source("../src/browser.ts")],
    bundle: true,
    write: false,
    platform: "browser",
    conditions: ["browser"],
    plugins: [workspaceSources],
    logLevel: "silent",
    ...options,
  });
}

/** How each server socket closed, by session id. */
const serverCloseReasons = new Map<string, Promise<string>>();
let http: HttpServer;
let engine: EngineServer;
let browser: Browser;
let page: Page;
let baseUrl: string;

beforeAll(async () => {
  const script = (await bundleBrowserEntry({ format: "iife", globalName: "eio" })).outputFiles[0]!.text;
  http = createServer((req, res) => {
    if (req.url === "/") {
      res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><title>engine-client</title>");
    } else if (req.url === "/engine-client.js") {
      res.writeHead(200, { "content-type": "application/javascript" }).end(script);
    } else {
      res.writeHead(404).end();
    }
  });
  engine = attach(http);
  // Echo every message, so the page checks the round trip itself.
  engine.on("connection", (socket: ServerSocket) => {
    socket.on("message", (data) => socket.send(data));
    serverCloseReasons.set(socket.id, new Promise((resolve) => socket.once("close", resolve)));
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  browser = await launchChromium();
  page = await browser.newPage();
  await page.goto(`${baseUrl}/`);
  await page.addScriptTag({ url: "/engine-client.js" });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  engine?.close();
  if (http?.listening) {
    http.closeAllConnections();
    await new Promise((resolve) => http.close(resolve));
  }
});

interface PageResult {
  transports: string[];
  messages: Array<string | number[]>;
  binaryIsArrayBuffer: boolean;
  closeReason: string;
}

/** Runs one connection in the page: opens, echoes a text and a binary message, closes. */
function runInPage(kind: "default" | "fetch" | "websocket-only"): Promise<PageResult> {
  return page.evaluate(async (socketKind) => {
    interface PageSocket {
      transport: { name: string };
      on(event: string, listener: (...args: unknown[]) => void): PageSocket;
      once(event: string, listener: (...args: unknown[]) => void): PageSocket;
      send(data: unknown): void;
      close(): void;
    }
    type Ctor = new (opts: Record<string, unknown>) => PageSocket;
    const lib = (globalThis as unknown as { eio: Record<string, unknown> }).eio;
    const opts: Record<string, unknown> = {};
    let SocketClass = lib.Socket as Ctor;
    if (socketKind === "fetch") {
      SocketClass = lib.SocketWithUpgrade as Ctor;
      opts.transports = [lib.Fetch, lib.WebSocket];
    } else if (socketKind === "websocket-only") {
      SocketClass = lib.SocketWithoutUpgrade as Ctor;
      opts.transports = [lib.WebSocket];
    }
    const socket = new SocketClass(opts);
    const transports: string[] = [];
    const messages: Array<string | number[]> = [];
    let binaryIsArrayBuffer = false;
    const wait = (event: string): Promise<unknown[]> => new Promise((resolve) => socket.once(event, (...args) => resolve(args)));
    await wait("open");
    transports.push(socket.transport.name);
    if (socketKind !== "websocket-only") {
      await wait("upgrade");
      transports.push(socket.transport.name);
    }
    const echoed = new Promise<void>((resolve) => {
      socket.on("message", (data) => {
        if (typeof data === "string") messages.push(data);
        else {
          binaryIsArrayBuffer = data instanceof ArrayBuffer;
          messages.push([...new Uint8Array(data as ArrayBuffer)]);
        }
        if (messages.length === 2) resolve();
      });
    });
    socket.send("héllo from the page");
    socket.send(new Uint8Array([1, 2, 250]));
    await echoed;
    const closed = wait("close");
    socket.close();
    const [closeReason] = (await closed) as [string];
    return { transports, messages, binaryIsArrayBuffer, closeReason };
  }, kind);
}

describe("the browser build in Chromium", () => {
  it("polls over XMLHttpRequest, upgrades to the native WebSocket and round-trips text and binary", async () => {
    const result = await runInPage("default");
    expect(result.transports).toEqual(["polling", "websocket"]);
    expect(result.messages).toEqual(["héllo from the page", [1, 2, 250]]);
    expect(result.binaryIsArrayBuffer).toBe(true);
    expect(result.closeReason).toBe("forced close");
  });

  it("polls over fetch with SocketWithUpgrade", async () => {
    const result = await runInPage("fetch");
    expect(result.transports).toEqual(["polling", "websocket"]);
    expect(result.messages).toEqual(["héllo from the page", [1, 2, 250]]);
  });

  it("connects over the native WebSocket alone with SocketWithoutUpgrade", async () => {
    const result = await runInPage("websocket-only");
    expect(result.transports).toEqual(["websocket"]);
    expect(result.messages).toEqual(["héllo from the page", [1, 2, 250]]);
  });

  it("closes silently on beforeunload with closeOnBeforeunload, and on the window's offline event", async () => {
    const result = await page.evaluate(async () => {
      interface PageSocket {
        id: string;
        readyState: string;
        once(event: string, listener: (...args: unknown[]) => void): PageSocket;
      }
      const lib = (globalThis as unknown as { eio: { Socket: new (opts: object) => PageSocket } }).eio;
      const opened = (socket: PageSocket): Promise<void> => new Promise((resolve) => socket.once("open", () => resolve()));
      const leaving = new lib.Socket({ closeOnBeforeunload: true, upgrade: false });
      const offline = new lib.Socket({ upgrade: false });
      await Promise.all([opened(leaving), opened(offline)]);
      const leavingId = leaving.id;
      const offlineClose = new Promise<unknown[]>((resolve) => offline.once("close", (...args) => resolve(args)));
      dispatchEvent(new Event("beforeunload"));
      dispatchEvent(new Event("offline"));
      const [reason, description] = await offlineClose;
      return { leavingId, offlineReason: reason, offlineDescription: description };
    });
    expect(result.offlineReason).toBe("transport close");
    expect(result.offlineDescription).toEqual({ description: "network connection lost" });
    expect(await serverCloseReasons.get(result.leavingId)).toBe("transport close");
  });

  it("bundles no Node module into the browser build", async () => {
    const result = await bundleBrowserEntry({ format: "esm", metafile: true });
    const inputs = Object.keys(result.metafile?.inputs ?? {});
    expect(inputs.length).toBeGreaterThan(0);
    expect(inputs.filter((input) => /node_modules\/\.pnpm\/ws@|polling-node|websocket-node|node:/.test(input))).toEqual([]);
  });
});
