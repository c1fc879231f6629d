// Hostile input: random strings and bytes never make a decoder throw; they give packets or the error packet.
import { Buffer } from "node:buffer";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as v4 from "@sockwave/engine-parser";
import * as v3 from "@sockwave/engine-parser/v3";
import type { BinaryType, Packet } from "@sockwave/engine-parser";
import { splitAt, throughStream } from "./streams";

const TYPES = new Set(["open", "close", "ping", "pong", "message", "upgrade", "noop"]);
const ERROR = { type: "error", data: "parser error" };

const anyString = fc.string({ unit: fc.nat(0xffff).map((code) => String.fromCharCode(code)), maxLength: 200 });
const anyBytes = fc.uint8Array({ maxLength: 300 });
const binaryType = fc.constantFrom<BinaryType | undefined>(undefined, "nodebuffer", "arraybuffer", "blob");

function expectWellFormed(packet: Packet): void {
  if (packet.type === "error") {
    expect(packet).toEqual(ERROR);
    return;
  }
  expect(TYPES.has(packet.type)).toBe(true);
  if (packet.data !== undefined && typeof packet.data !== "string") {
    expect(packet.data instanceof ArrayBuffer || ArrayBuffer.isView(packet.data) || packet.data instanceof Blob).toBe(true);
  }
}

describe("protocol 4 decoders on hostile input", () => {
  it("decodePacket and decodePayload never throw", () => {
    fc.assert(
      fc.property(fc.oneof(anyString, anyBytes.map((b) => Buffer.from(b).toString("latin1"))), binaryType, (text, type) => {
        expectWellFormed(v4.decodePacket(text, type));
        const packets = v4.decodePayload(text, type);
        packets.forEach(expectWellFormed);
        // only the last packet may be an error
        expect(packets.slice(0, -1).every((p) => p.type !== "error")).toBe(true);
        expect(packets.length).toBeLessThanOrEqual(text.split("\x1e").length);
      }),
      { numRuns: 1000 },
    );
  });

  it("binary frames of any content are messages", () => {
    fc.assert(
      fc.property(anyBytes, binaryType, (bytes, type) => {
        const packet = v4.decodePacket(Buffer.from(bytes), type);
        expect(packet.type).toBe("message");
      }),
      { numRuns: 300 },
    );
  });

  it("the stream decoder turns random bytes into packets or errors, one per frame at most", async () => {
    await fc.assert(
      fc.asyncProperty(anyBytes, fc.array(fc.nat(300), { maxLength: 10 }), async (bytes, cuts) => {
        const packets = await throughStream(v4.createPacketDecoderStream(64, "nodebuffer"), splitAt(bytes, cuts));
        packets.forEach(expectWellFormed);
        // every packet took at least two bytes of input (a header and a type or payload byte)
        expect(packets.length).toBeLessThanOrEqual(Math.ceil(bytes.length / 2) + 1);
      }),
      { numRuns: 200 },
    );
  });
});

describe("values of the wrong type from untyped callers", () => {
  const junk: unknown[] = [null, undefined, 42, {}, [], { type: "message" }, true];

  it("give the error packet instead of throwing", async () => {
    for (const value of junk) {
      expect(v4.decodePacket(value as string)).toEqual(ERROR);
      expect(v4.decodePayload(value as string)).toEqual([ERROR]);
      expect(v3.decodePacket(value as string)).toEqual(ERROR);
      const calls: Packet[] = [];
      v3.decodePayload(value as string, (packet) => void calls.push(packet));
      expect(calls).toEqual([ERROR]);
    }
    const decoded = await throughStream(v4.createPacketDecoderStream(100, "nodebuffer"), ["42" as unknown as Uint8Array]);
    expect(decoded).toEqual([ERROR]);
  });
});

describe("protocol 3 decoders on hostile input", () => {
  it("decodePacket never throws, with or without UTF-8 decoding", () => {
    fc.assert(
      fc.property(anyString, fc.boolean(), fc.constantFrom<BinaryType | undefined>(undefined, "arraybuffer"), (text, utf8, type) => {
        expectWellFormed(v3.decodePacket(text, type, utf8));
      }),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(anyBytes, (bytes) => expectWellFormed(v3.decodePacket(Buffer.from(bytes)))),
      { numRuns: 300 },
    );
  });

  it("decodePayload (text and XHR2 binary) never throws and reports at most one error for text", () => {
    const lengthy = fc.string({ unit: fc.constantFrom("1", "2", "9", "0", ":", "4", "b", "x", "é"), maxLength: 60 });
    fc.assert(
      fc.property(fc.oneof(anyString, lengthy), (text) => {
        const packets: Packet[] = [];
        v3.decodePayload(text, (packet) => void packets.push(packet));
        packets.forEach(expectWellFormed);
        expect(packets.slice(0, -1).every((p) => p.type !== "error")).toBe(true);
      }),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(anyBytes, (bytes) => {
        const packets: Packet[] = [];
        v3.decodePayload(Buffer.from(bytes), (packet) => void packets.push(packet));
        packets.forEach(expectWellFormed);
        expect(packets.length).toBeLessThanOrEqual(bytes.length + 1);
      }),
      { numRuns: 500 },
    );
  });
});
