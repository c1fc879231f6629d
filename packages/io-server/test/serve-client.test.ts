import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync, brotliDecompressSync } from "node:zlib";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { ClientBundles, negotiateEncoding } from "../src/serve-client";
import { httpRequest, startServer } from "./raw-polling";
import type { Server } from "@sockwave/io-server";
import { readFileSync } from "node:fs";

const version = (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;
const etag = `"${version}"`;

describe("Accept-Encoding negotiation", () => {
  test.each([
    [undefined, "identity"],
    ["", "identity"],
    ["gzip", "gzip"],
    ["gzip, deflate, br", "br"],
    ["br;q=0.5, gzip", "gzip"],
    ["br;q=0, gzip;q=0", "identity"],
    ["*", "br"],
    ["identity", "identity"],
    ["GZIP;q=0.8", "gzip"],
  ])("%s -> %s", (header, expected) => {
    expect(negotiateEncoding(header)).toBe(expected);
  });
});

describe("ClientBundles", () => {
  let dir: string;
  let http: HttpServer;
  let port: number;
  const source = "console.log('bundle');\n".repeat(200);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "io-server-bundles-"));
    writeFileSync(join(dir, "socket.io.min.js"), source);
    writeFileSync(join(dir, "socket.io.min.js.map"), '{"version":3}');
    const bundles = new ClientBundles(dir);
    http = createServer((req, res) => bundles.serve(req.url!.slice(1), req, res));
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    port = (http.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => http.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  test("identity with the official headers plus Vary", async () => {
    const reply = await httpRequest(port, "/socket.io.min.js");
    expect(reply.status).toBe(200);
    expect(reply.text).toBe(source);
    expect(reply.headers["content-type"]).toBe("application/javascript; charset=utf-8");
    expect(reply.headers["cache-control"]).toBe("public, max-age=0");
    expect(reply.headers["etag"]).toBe(etag);
    expect(reply.headers["vary"]).toBe("Accept-Encoding");
    expect(reply.headers["content-encoding"]).toBeUndefined();
  });

  test("gzip and brotli bodies decompress to the file", async () => {
    const gz = await httpRequest(port, "/socket.io.min.js", { headers: { "Accept-Encoding": "gzip" } });
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(gz.body).toString()).toBe(source);
    expect(gz.body.length).toBeLessThan(source.length);
    const br = await httpRequest(port, "/socket.io.min.js", { headers: { "Accept-Encoding": "gzip, br" } });
    expect(br.headers["content-encoding"]).toBe("br");
    expect(brotliDecompressSync(br.body).toString()).toBe(source);
  });

  test("source maps are JSON", async () => {
    const reply = await httpRequest(port, "/socket.io.min.js.map");
    expect(reply.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(reply.text).toBe('{"version":3}');
  });

  test("304 for a matching If-None-Match, strong or weak", async () => {
    for (const value of [etag, `W/${etag}`]) {
      const reply = await httpRequest(port, "/socket.io.min.js", { headers: { "If-None-Match": value } });
      expect(reply.status).toBe(304);
      expect(reply.body.length).toBe(0);
    }
    const stale = await httpRequest(port, "/socket.io.min.js", { headers: { "If-None-Match": '"0.0.0-old"' } });
    expect(stale.status).toBe(200);
  });

  test("a bundle that was not built answers 404 with an explanation", async () => {
    const reply = await httpRequest(port, "/socket.io.esm.min.js");
    expect(reply.status).toBe(404);
    expect(reply.text).toContain("io-client");
  });
});

describe("serving through the Server", () => {
  let io: Server | undefined;
  afterEach(async () => {
    await io?.close();
    io = undefined;
  });

  test("client file names are intercepted; other names under the path fall through to the engine", async () => {
    const started = await startServer();
    io = started.io;
    const bundle = await httpRequest(started.port, "/socket.io/socket.io.js");
    if (bundle.status === 200) {
      expect(bundle.headers["etag"]).toBe(etag);
      expect(bundle.headers["vary"]).toBe("Accept-Encoding");
    } else {
      expect(bundle.status).toBe(404);
      expect(bundle.text).toContain("client-dist");
    }
    const other = await httpRequest(started.port, "/socket.io/other.js");
    expect(other.status).toBe(400);
    expect(JSON.parse(other.text)).toEqual({ code: 0, message: "Transport unknown" });
  });

  test("serveClient: false leaves the bundle names to the engine", async () => {
    const started = await startServer({ serveClient: false });
    io = started.io;
    const reply = await httpRequest(started.port, "/socket.io/socket.io.js");
    expect(reply.status).toBe(400);
  });

  test("the cors option applies to the bundles; origins() maps socket.io 2's rules onto it", async () => {
    const started = await startServer({ cors: { origin: "https://app.example" } });
    io = started.io;
    const reply = await httpRequest(started.port, "/socket.io/socket.io.js", {
      headers: { Origin: "https://app.example" },
    });
    expect(reply.headers["access-control-allow-origin"]).toBe("https://app.example");
    io.origins(["https://other.example:443"]);
    expect(io.origins()).toEqual(["https://other.example"]);
    const other = await httpRequest(started.port, "/socket.io/socket.io.js", {
      headers: { Origin: "https://other.example" },
    });
    expect(other.headers["access-control-allow-origin"]).toBe("https://other.example");
    const refused = await httpRequest(started.port, "/socket.io/socket.io.js", {
      headers: { Origin: "https://app.example" },
    });
    expect(refused.headers["access-control-allow-origin"]).toBeUndefined();
    io.origins("*:*");
    expect(io.origins()).toBe(true);
  });
});
