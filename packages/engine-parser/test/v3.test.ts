import { Buffer } from "node:buffer";
import { describe, expect, it } from "vitest";
import * as v3 from "@sockwave/engine-parser/v3";
import type { Packet } from "@sockwave/engine-parser/v3";

const ERROR = { type: "error", data: "parser error" };

function encodePacket(packet: Packet, supportsBinary = false, utf8encode = false): string | Buffer {
  let encoded: string | Buffer | undefined;
  v3.encodePacket(packet, supportsBinary, utf8encode, (result) => (encoded = result));
  return encoded!;
}

function decodeAll(payload: string | Buffer, binaryType?: "arraybuffer"): Array<[Packet, number, number]> {
  const calls: Array<[Packet, number, number]> = [];
  v3.decodePayload(payload, binaryType, (packet, index, total) => void calls.push([packet, index, total]));
  return calls;
}

describe("protocol 3 packets", () => {
  it("speaks protocol 3", () => {
    expect(v3.protocol).toBe(3);
    expect(v3.packets.message).toBe(4);
  });

  it("encodes text packets; empty data is still written, absent data is not", () => {
    expect(encodePacket({ type: "ping", data: "probe" })).toBe("2probe");
    expect(encodePacket({ type: "noop" })).toBe("6");
    expect(encodePacket({ type: "message", data: "" })).toBe("4");
    expect(encodePacket({ type: "message", data: "é" }, false, true)).toBe("4\xc3\xa9");
    let viaShortForm: string | Buffer | undefined;
    v3.encodePacket({ type: "pong" }, (encoded) => (viaShortForm = encoded));
    expect(viaShortForm).toBe("3");
  });

  it("encodes binary with a leading type byte, or as b + type digit + base64", () => {
    const data = Buffer.from([1, 2, 3]);
    expect([...(encodePacket({ type: "message", data }, true) as Buffer)]).toEqual([4, 1, 2, 3]);
    expect(encodePacket({ type: "message", data }, false)).toBe("b4AQID");
    expect(encodePacket({ type: "message", data: new Uint8Array([9, 1, 2, 3, 9]).subarray(1, 4) }, false)).toBe("b4AQID");
    expect(v3.encodePacketSync({ type: "message", data: data.buffer.slice(data.byteOffset, data.byteOffset + 3) }, false)).toBe(
      "b4AQID",
    );
  });

  it("decodes text, base64 and binary frames", () => {
    expect(v3.decodePacket("4hello")).toEqual({ type: "message", data: "hello" });
    expect(v3.decodePacket("2")).toEqual({ type: "ping" });
    expect(v3.decodePacket("4\xc3\xa9", undefined, true)).toEqual({ type: "message", data: "é" });
    const fromBase64 = v3.decodePacket("b4AQID");
    expect(fromBase64.type).toBe("message");
    expect([...(fromBase64.data as Buffer)]).toEqual([1, 2, 3]);
    const asArrayBuffer = v3.decodePacket("b4AQID", "arraybuffer").data;
    expect(asArrayBuffer).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(asArrayBuffer as ArrayBuffer)]).toEqual([1, 2, 3]);
    const frame = v3.decodePacket(Buffer.from([4, 7, 8]));
    expect(frame.type).toBe("message");
    expect(Buffer.isBuffer(frame.data)).toBe(true);
    expect([...(frame.data as Buffer)]).toEqual([7, 8]);
    expect([...new Uint8Array(v3.decodePacket(Buffer.from([4, 7, 8]), "arraybuffer").data as ArrayBuffer)]).toEqual([7, 8]);
  });

  it("returns the error packet for what it cannot read", () => {
    expect(v3.decodePacket(undefined)).toEqual(ERROR);
    expect(v3.decodePacket("")).toEqual(ERROR);
    expect(v3.decodePacket("9")).toEqual(ERROR);
    expect(v3.decodePacket("4\xc3", undefined, true)).toEqual(ERROR); // truncated UTF-8
    expect(v3.decodePacket("4\xc0\x80", undefined, true)).toEqual(ERROR); // overlong
    // engine.io-parser 2 returns an undefined type for these; Sockwave reports them
    expect(v3.decodePacket("bXAQID")).toEqual(ERROR);
    expect(v3.decodePacket(Buffer.from([9, 1]))).toEqual(ERROR);
    expect(v3.decodePacket(Buffer.alloc(0))).toEqual(ERROR);
  });

  it("keeps utf8.js's leniency for encoded surrogates", () => {
    expect(v3.decodePacket("4\xed\xa0\x80", undefined, true)).toEqual({ type: "message", data: "\ufffd" });
    expect(encodePacket({ type: "message", data: "\ud800" }, false, true)).toBe("4\xef\xbf\xbd");
  });
});

describe("protocol 3 argument forms", () => {
  it("lets the callback take the place of any optional argument, as engine.io-parser 2 does", () => {
    const results: Array<string | Buffer> = [];
    const collect = (encoded: string | Buffer): void => void results.push(encoded);
    const packet: Packet = { type: "message", data: Buffer.from([1]) };
    v3.encodePacket(packet, collect);
    v3.encodePacket(packet, true, collect);
    v3.encodePacket(packet, null, collect);
    v3.encodePayload([packet], collect);
    v3.encodePayload([packet], true, collect);
    expect(results.map((r) => (typeof r === "string" ? r : [...r]))).toEqual(["b4AQ==", [4, 1], "b4AQ==", "6:b4AQ==", [1, 2, 255, 4, 1]]);
    const decoded: Packet[] = [];
    v3.decodePayloadAsBinary(Buffer.from([1, 2, 255, 4, 1]), (p) => void decoded.push(p));
    v3.decodePayloadAsBinary(Buffer.from([1, 2, 255, 4, 1]), "arraybuffer", (p) => void decoded.push(p));
    expect(decoded.map((p) => p.type)).toEqual(["message", "message"]);
    expect(decoded[1]!.data).toBeInstanceOf(ArrayBuffer);
  });

  it("says so when the callback is missing", () => {
    const encode = v3.encodePacket as (...args: unknown[]) => void;
    expect(() => encode({ type: "ping" }, true)).toThrow(/encodePacket needs a callback/);
  });
});

describe("protocol 3 text payloads", () => {
  it("prefixes each packet with its length in UTF-16 code units", () => {
    const packets: Packet[] = [
      { type: "message", data: "🎉é" },
      { type: "message", data: Buffer.from([1, 2, 3]) },
      { type: "ping" },
    ];
    expect(v3.encodePayloadSync(packets, false)).toBe("4:4🎉é6:b4AQID1:2");
    expect(v3.encodePayloadSync([], false)).toBe("0:");
    const calls = decodeAll("4:4🎉é6:b4AQID1:2");
    expect(calls.map(([packet]) => packet.type)).toEqual(["message", "message", "ping"]);
    expect(calls[0]).toEqual([{ type: "message", data: "🎉é" }, 5, 17]);
    expect(calls[2]).toEqual([{ type: "ping" }, 16, 17]);
  });

  it("stops when the callback returns false", () => {
    const seen: Packet[] = [];
    v3.decodePayload("1:21:3", (packet) => {
      seen.push(packet);
      return false;
    });
    expect(seen).toEqual([{ type: "ping" }]);
  });

  it("ends with one error call on malformed input, after the packets before it", () => {
    expect(decodeAll("")).toEqual([[ERROR, 0, 1]]);
    expect(decodeAll("abc")).toEqual([[ERROR, 0, 1]]);
    expect(decodeAll(":2")).toEqual([[ERROR, 0, 1]]);
    expect(decodeAll("5:2")).toEqual([[ERROR, 0, 1]]);
    expect(decodeAll("x:2")).toEqual([[ERROR, 0, 1]]);
    expect(decodeAll("1:21:9")).toEqual([
      [{ type: "ping" }, 2, 6],
      [ERROR, 0, 1],
    ]);
    expect(decodeAll("1:21")).toEqual([
      [{ type: "ping" }, 2, 4],
      [ERROR, 0, 1],
    ]);
  });
});

describe("protocol 3 binary (XHR2) payloads", () => {
  it("writes a marker, one byte per length digit, 255, then the bytes", () => {
    const payload = v3.encodePayloadSync(
      [
        { type: "message", data: "é" },
        { type: "message", data: Buffer.alloc(10, 7) },
      ],
      true,
    ) as Buffer;
    expect([...payload]).toEqual([0, 3, 255, 0x34, 0xc3, 0xa9, 1, 1, 1, 255, 4, ...Array(10).fill(7)]);
    expect(decodeAll(payload)).toEqual([
      [{ type: "message", data: "é" }, 0, 2],
      [{ type: "message", data: Buffer.alloc(10, 7) }, 1, 2],
    ]);
    expect([...v3.encodePayloadAsBinarySync([])]).toEqual([]);
  });

  it("treats any typed array as binary", () => {
    const payload = v3.encodePayloadSync([{ type: "message", data: new Uint16Array([1]) }], true) as Buffer;
    expect([...payload]).toEqual([1, 3, 255, 4, 1, 0]);
  });

  it("reports a missing length terminator once, without reading past the input", () => {
    expect(decodeAll(Buffer.from([0, 1, 2, 3]))).toEqual([[ERROR, 0, 1]]);
    const long = Buffer.alloc(100_000, 1);
    expect(decodeAll(long)).toEqual([[ERROR, 0, 1]]);
  });

  it("reports each unreadable packet in place", () => {
    const calls = decodeAll(Buffer.from([0, 1, 255, 0x39, 0, 2, 255, 0x34, 0x41]));
    expect(calls).toEqual([
      [ERROR, 0, 2],
      [{ type: "message", data: "A" }, 1, 2],
    ]);
  });
});
