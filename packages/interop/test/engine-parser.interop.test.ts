// Property tests: Sockwave's protocol 4 codec against engine.io-parser 5.2.3 on large random inputs.
import { Buffer } from "node:buffer";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as official from "engine.io-parser";
import * as ours from "@sockwave/engine-parser";
import type { BinaryType, Packet, RawData } from "@sockwave/engine-parser";

const RUNS = 500;

/** Their Packet type wants `options.compress` present; ours leaves it optional. Same shape otherwise. */
type TheirPacket = Parameters<typeof official.encodePacket>[0];
const theirs = (p: Packet): TheirPacket => p as TheirPacket;
const WIRE_TYPES = ["open", "close", "ping", "pong", "message", "upgrade", "noop"] as const;

/** Any UTF-16 string, lone surrogates and the record separator included. */
const anyText = fc.string({ unit: fc.nat(0xffff).map((code) => String.fromCharCode(code)), maxLength: 40 });
const bytes = fc.uint8Array({ maxLength: 64 });
const binary = fc.oneof(
  bytes.map((b) => Buffer.from(b)),
  bytes,
  bytes.map((b) => b.slice().buffer),
  // a view over the middle of a larger buffer
  bytes.map((b) => new Uint8Array([0xff, ...b, 0xff]).subarray(1, b.length + 1)),
);
const textPacket = fc.record(
  { type: fc.constantFrom(...WIRE_TYPES), data: anyText },
  { requiredKeys: ["type"] },
) as fc.Arbitrary<Packet>;
const binaryPacket = binary.map((data): Packet => ({ type: "message", data }));
const packet = fc.oneof(textPacket, binaryPacket);
const binaryType = fc.constantFrom<BinaryType | undefined>(undefined, "nodebuffer", "arraybuffer");

/** Strings shaped like polling bodies and packets, plus plain noise. */
const hostileText = fc.oneof(
  anyText,
  fc.string({ unit: fc.constantFrom("0", "4", "6", "7", "b", "A", "Q", "=", "\x1e", "-", "_", " ", "é"), maxLength: 30 }),
  fc.tuple(fc.constantFrom("b", "4", ""), fc.base64String({ maxLength: 40 })).map(([head, tail]) => head + tail),
);

/**
 * A packet in a form deep equality can check: vitest's toEqual treats any two ArrayBuffers as equal,
 * so binary data is turned into its kind and bytes.
 */
function comparable(p: { type: string; data?: unknown }): unknown {
  const { data } = p;
  if (data === undefined || typeof data === "string") return p;
  const kind = Buffer.isBuffer(data) ? "Buffer" : data instanceof ArrayBuffer ? "ArrayBuffer" : String(data);
  const view = data instanceof ArrayBuffer ? new Uint8Array(data) : (data as Uint8Array);
  return { type: p.type, kind, bytes: Array.from(view) };
}

const comparableAll = (packets: Array<{ type: string; data?: unknown }>): unknown[] => packets.map(comparable);

/** The official parser returns a view's whole underlying buffer for "arraybuffer": compare others only. */
function isPartialView(data: unknown): boolean {
  return ArrayBuffer.isView(data) && data.byteLength !== data.buffer.byteLength;
}

function syncResult<T>(run: (done: (value: T) => void) => void): T {
  const box: { value?: T; done: boolean } = { done: false };
  run((value) => {
    box.value = value;
    box.done = true;
  });
  expect(box.done).toBe(true);
  return box.value as T;
}

describe("engine-parser vs engine.io-parser 5.2.3", () => {
  it("encodes every packet identically, with and without binary support", () => {
    fc.assert(
      fc.property(packet, fc.boolean(), (p, supportsBinary) => {
        const expected = syncResult<RawData>((done) => official.encodePacket(theirs(p), supportsBinary, done));
        const mine = syncResult<RawData>((done) => ours.encodePacket(p, supportsBinary, done));
        expect(mine).toBe(expected);
        expect(ours.encodePacketSync(p, supportsBinary)).toBe(expected);
      }),
      { numRuns: RUNS },
    );
  });

  it("encodes payloads byte for byte and decodes theirs to the same packets", () => {
    fc.assert(
      fc.property(fc.array(packet, { minLength: 1, maxLength: 12 }), binaryType, (packets, type) => {
        const expected = syncResult<string>((done) => official.encodePayload(packets.map(theirs), done));
        expect(syncResult<string>((done) => ours.encodePayload(packets, done))).toBe(expected);
        expect(ours.encodePayloadSync(packets)).toBe(expected);
        expect(comparableAll(ours.decodePayload(expected, type))).toEqual(comparableAll(official.decodePayload(expected, type)));
      }),
      { numRuns: RUNS },
    );
  });

  it("decodes their encoded packets (text, binary frames, base64) to the same packets", () => {
    fc.assert(
      fc.property(packet, fc.boolean(), binaryType, (p, supportsBinary, type) => {
        const encoded = syncResult<RawData>((done) => official.encodePacket(theirs(p), supportsBinary, done));
        const mine = ours.decodePacket(encoded, type);
        if (type === "arraybuffer" && isPartialView(encoded)) {
          // ours: exactly the view's bytes
          expect(comparable(mine)).toEqual(comparable({ type: "message", data: new Uint8Array(encoded as Uint8Array).buffer }));
        } else {
          expect(comparable(mine)).toEqual(comparable(official.decodePacket(encoded, type)));
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("decodes hostile packets and payloads exactly as they do, never throwing", () => {
    fc.assert(
      fc.property(hostileText, binaryType, (text, type) => {
        expect(comparable(ours.decodePacket(text, type))).toEqual(comparable(official.decodePacket(text, type)));
        expect(comparableAll(ours.decodePayload(text, type))).toEqual(comparableAll(official.decodePayload(text, type)));
      }),
      { numRuns: RUNS * 4 },
    );
  });
});
