// The browser build (the `browser` export condition): src/index.ts bundled for browsers with the
// platform swap of browser-build.ts, exactly as tsup.config.ts builds dist/browser/. Same API, no Node
// APIs, ArrayBuffer/Blob binary.
import { Buffer } from "node:buffer";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import fc from "fast-check";
import { build } from "tsup";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as node from "@sockwave/engine-parser";
import type { Packet, RawData } from "@sockwave/engine-parser";
import { browserPlatform } from "../browser-build";
import { concatBytes, throughStream } from "./streams";

type Codec = typeof node;

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
let outDir: string;
let bundleText: string;
let browser: Codec;

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), "engine-parser-browser-"));
  await build({
    config: false,
    silent: true,
    entry: { index: resolve(packageDir, "src/index.ts") },
    outDir,
    format: ["esm"],
    platform: "browser",
    target: "es2022",
    dts: false,
    tsconfig: resolve(packageDir, "tsconfig.build.json"),
    esbuildPlugins: [browserPlatform()],
  });
  const file = join(outDir, "index.js");
  bundleText = readFileSync(file, "utf8");
  browser = (await import(/* @vite-ignore */ pathToFileURL(file).href)) as Codec;
});

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

function encodeWith(codec: Codec, packet: Packet, supportsBinary: boolean): RawData {
  let encoded: RawData | undefined;
  codec.encodePacket(packet, supportsBinary, (result) => (encoded = result));
  return encoded!;
}

describe("browser build", () => {
  it("bundles no Node module and no Buffer", () => {
    expect(bundleText).toContain("btoa");
    expect(bundleText).not.toMatch(/from\s+["'](node:)?buffer["']|require\(/);
    expect(bundleText.replace(/ArrayBuffer|isBufferSource/g, "")).not.toMatch(/\bBuffer\b/);
  });

  it("exports the same API as the Node build", () => {
    expect(Object.keys(browser).sort()).toEqual(Object.keys(node).sort());
    expect(browser.protocol).toBe(4);
  });

  it("encodes base64 exactly as Buffer does", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        expect(encodeWith(browser, { type: "message", data: bytes }, false)).toBe("b" + Buffer.from(bytes).toString("base64"));
      }),
      { numRuns: 300 },
    );
  });

  it("decodes any base64-ish text exactly as Buffer does (lenient, URL-safe too)", () => {
    const base64ish = fc.string({
      unit: fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ .é\n".split("")),
      maxLength: 40,
    });
    fc.assert(
      fc.property(base64ish, (text) => {
        const data = browser.decodePacket("b" + text).data as ArrayBuffer;
        expect(data).toBeInstanceOf(ArrayBuffer);
        expect([...new Uint8Array(data)]).toEqual([...Buffer.from(text, "base64")]);
      }),
      { numRuns: 500 },
    );
  });

  it("decodes binary to an ArrayBuffer by default, to a Blob on request", async () => {
    const view = new Uint8Array([0, 1, 2, 3, 0]).subarray(1, 4);
    const asArrayBuffer = browser.decodePacket(view).data as ArrayBuffer;
    expect(asArrayBuffer).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(asArrayBuffer)]).toEqual([1, 2, 3]);
    expect(browser.decodePacket(view, "nodebuffer").data).toBeInstanceOf(ArrayBuffer);
    const asBlob = browser.decodePacket("bAQID", "blob").data as Blob;
    expect(asBlob).toBeInstanceOf(Blob);
    expect([...new Uint8Array(await asBlob.arrayBuffer())]).toEqual([1, 2, 3]);
    const blob = new Blob(["x"]);
    expect(browser.decodePacket(blob, "blob").data).toBe(blob);
  });

  it("encodes text, payloads and Blobs as the Node build does", async () => {
    const packets: Packet[] = [
      { type: "message", data: "héllo" },
      { type: "message", data: new Uint8Array([1, 2, 3, 4]).buffer },
      { type: "pong", data: "probe" },
    ];
    expect(browser.encodePayloadSync(packets)).toBe(node.encodePayloadSync(packets));
    expect(browser.decodePayload(node.encodePayloadSync(packets)).map((p) => p.type)).toEqual(["message", "message", "pong"]);
    const viaBlob = await new Promise<RawData>((done) =>
      browser.encodePacket({ type: "message", data: new Blob([new Uint8Array([1, 2, 3, 4])]) }, false, done),
    );
    expect(viaBlob).toBe("bAQIDBA==");
  });

  it("frames WebTransport packets as the Node build does", async () => {
    const packets: Packet[] = [
      { type: "message", data: "é".repeat(100) },
      { type: "message", data: new Uint8Array(70_000).fill(5) },
      { type: "noop" },
    ];
    const fromBrowser = concatBytes(await throughStream(browser.createPacketEncoderStream(), packets));
    const fromNode = concatBytes(await throughStream(node.createPacketEncoderStream(), packets));
    expect(Buffer.from(fromBrowser).equals(Buffer.from(fromNode))).toBe(true);
    const decoded = await throughStream(browser.createPacketDecoderStream(1e6, "arraybuffer"), [fromBrowser]);
    expect(decoded.map((p) => p.type)).toEqual(["message", "message", "noop"]);
    expect(decoded[0]!.data).toBe("é".repeat(100));
    expect(new Uint8Array(decoded[1]!.data as ArrayBuffer).every((byte) => byte === 5)).toBe(true);
  });
});
