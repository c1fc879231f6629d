// Property tests on large random inputs: Sockwave's protocol 4 codec against engine.io-parser 5.2.3,
// and its protocol 3 codec against engine.io-parser 2.2.1 (what engine.io uses for EIO=3 clients).
import { Buffer } from "node:buffer";
import { createRequire } from "node:module";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as official from "engine.io-parser";
import * as ours from "@sockwave/engine-parser";
import type { BinaryType, Packet, RawData } from "@sockwave/engine-parser";
import * as oursV3 from "@sockwave/engine-parser/v3";

const RUNS = 300;

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
// in Node both parsers hand "blob" requests a Buffer
const binaryType = fc.constantFrom<BinaryType | undefined>(undefined, "nodebuffer", "arraybuffer", "blob");

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
  const kind = Buffer.isBuffer(data) ? "Buffer" : data instanceof ArrayBuffer ? "ArrayBuffer" : "other";
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

/** Runs inputs through a web TransformStream and collects what comes out. */
async function throughStream<I, O>(stream: TransformStream<I, O>, inputs: readonly I[]): Promise<O[]> {
  const outputs: O[] = [];
  const collecting = stream.readable.pipeTo(new WritableStream<O>({ write: (chunk) => void outputs.push(chunk) }));
  const writer = stream.writable.getWriter();
  for (const input of inputs) await writer.write(input);
  await writer.close();
  await collecting;
  return outputs;
}

function splitAt(bytes: Buffer, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.filter((cut) => cut > 0 && cut < bytes.length))].sort((a, b) => a - b);
  return [0, ...points].map((start, i) => new Uint8Array(bytes.subarray(start, [...points, bytes.length][i])));
}

/**
 * After a framing error (a zero or too large length) the official decoder goes on reading out of
 * sync, while ours stops: compare up to and including the first such error.
 */
function expectSameUntilFramingError(mine: Packet[], theirs: Packet[]): void {
  expect(comparableAll(mine)).toEqual(comparableAll(theirs.slice(0, mine.length)));
  if (mine.length < theirs.length) expect(mine.at(-1)?.type).toBe("error");
}

/** The official stream codecs are typed `any`; these are their real shapes. */
const officialEncoderStream = (): TransformStream<Packet, Uint8Array> => official.createPacketEncoderStream();
const officialDecoderStream = (maxPayload: number, type: BinaryType): TransformStream<Uint8Array, Packet> =>
  official.createPacketDecoderStream(maxPayload, type);

describe("engine-parser WebTransport streams vs engine.io-parser 5.2.3", () => {
  it("frames packets byte for byte as they do", async () => {
    const bigText = fc.string({ minLength: 120, maxLength: 400 }).map((data): Packet => ({ type: "message", data }));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(packet, bigText), { minLength: 1, maxLength: 8 }), async (packets) => {
        const theirs = Buffer.concat(await throughStream(officialEncoderStream(), packets));
        const mine = Buffer.concat(await throughStream(ours.createPacketEncoderStream(), packets));
        expect(mine.equals(theirs)).toBe(true);
        const frames = Buffer.concat(packets.map((p) => ours.encodePacketToFrame(p)));
        expect(frames.equals(theirs)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it("decodes their frames, however chunked, to the same packets", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(packet, { minLength: 1, maxLength: 8 }),
        fc.array(fc.nat(600), { maxLength: 8 }),
        fc.constantFrom<BinaryType>("nodebuffer", "arraybuffer"),
        async (packets, cuts, type) => {
          const frames = Buffer.concat(await throughStream(officialEncoderStream(), packets));
          const mine = await throughStream(ours.createPacketDecoderStream(1e6, type), splitAt(frames, cuts));
          const theirs = await throughStream(officialDecoderStream(1e6, type), splitAt(frames, cuts));
          // an empty binary packet is framed with length 0, which both decoders then refuse
          expectSameUntilFramingError(mine, theirs);
        },
      ),
      { numRuns: 100 },
    );
  });

  it("decodes hostile byte streams as they do, up to and including the first framing error", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), fc.array(fc.nat(200), { maxLength: 6 }), async (bytes, cuts) => {
        const chunks = splitAt(Buffer.from(bytes), cuts);
        const mine = await throughStream(ours.createPacketDecoderStream(50, "nodebuffer"), chunks);
        const theirs = await throughStream(officialDecoderStream(50, "nodebuffer"), chunks);
        expectSameUntilFramingError(mine, theirs);
      }),
      { numRuns: 300 },
    );
  });
});

// protocol 3 binary packets may have any type (a leading type byte carries it)
const binaryPacketV3 = fc.record({ type: fc.constantFrom(...WIRE_TYPES), data: binary }) as fc.Arbitrary<Packet>;
const packetV3 = fc.oneof(textPacket, binaryPacketV3);
// engine.io-parser 2 only counts Buffers, ArrayBuffers and Blobs as binary in a payload (it writes
// other typed arrays as garbled text); Sockwave treats every typed array as binary.
const payloadPacket = fc.oneof(
  textPacket,
  fc.record({
    type: fc.constantFrom(...WIRE_TYPES),
    data: fc.oneof(bytes.map((b) => Buffer.from(b)), bytes.map((b) => b.slice().buffer)),
  }) as fc.Arbitrary<Packet>,
);
const packetList = fc.array(payloadPacket, { maxLength: 10 });
const binaryTypeV3 = fc.constantFrom<BinaryType | undefined>(undefined, "arraybuffer");

type Done<T> = (value: T) => void;
type Calls = (packet: Packet, index: number, total: number) => void;
/** The parts of engine.io-parser 2 under test (it ships no type declarations). */
interface EngineIoParserV3 {
  protocol: number;
  packets: Record<string, number>;
  encodePacket(packet: Packet, supportsBinary: boolean, utf8encode: boolean | Done<string | Buffer>, done?: Done<string | Buffer>): void;
  decodePacket(data: string | Buffer, binaryType?: BinaryType, utf8decode?: boolean): Packet;
  encodePayload(packets: Packet[], supportsBinary: boolean, done: Done<string | Buffer>): void;
  encodePayloadAsBinary(packets: Packet[], done: Done<Buffer>): void;
  decodePayload(data: string | Buffer, binaryType: BinaryType | undefined, callback: Calls): void;
}
const officialV3 = createRequire(import.meta.url)("engine.io-parser-v3") as EngineIoParserV3;

type Call = [packet: unknown, index: number, total: number];

function comparableEncoding(encoded: unknown): unknown {
  return typeof encoded === "string" ? encoded : { bytes: Array.from(encoded as Buffer) };
}

function callsOf(run: (callback: (packet: Packet, index: number, total: number) => void) => void): Call[] {
  const calls: Call[] = [];
  run((packet, index, total) => void calls.push([comparable(packet), index, total]));
  return calls;
}

/**
 * Where engine.io-parser 2 hands out a packet whose type is undefined (unknown type byte or base64
 * type digit), Sockwave reports a parser error instead: check that, compare everything else.
 */
function expectSameCalls(mine: Call[], theirs: Call[]): void {
  const undefinedType = theirs.findIndex(([p]) => (p as { type?: string }).type === undefined);
  if (undefinedType === -1) {
    expect(mine).toEqual(theirs);
  } else {
    expect(mine.some(([p]) => (p as { type: string }).type === "error")).toBe(true);
  }
}

describe("engine-parser/v3 vs engine.io-parser 2.2.1", () => {
  it("speaks protocol 3 with the same packet numbers", () => {
    expect(oursV3.protocol).toBe(officialV3.protocol);
    expect(oursV3.packets).toEqual(officialV3.packets);
  });

  it("encodes packets identically (binary frames, base64, UTF-8 byte strings)", () => {
    fc.assert(
      fc.property(packetV3, fc.boolean(), fc.boolean(), (p, supportsBinary, utf8encode) => {
        const theirs = syncResult<unknown>((done) => officialV3.encodePacket(p, supportsBinary, utf8encode, done));
        const mine = syncResult<unknown>((done) => oursV3.encodePacket(p, supportsBinary, utf8encode, done));
        expect(comparableEncoding(mine)).toEqual(comparableEncoding(theirs));
      }),
      { numRuns: RUNS },
    );
  });

  it("encodes payloads identically, text (UTF-16 lengths) and XHR2 binary", () => {
    fc.assert(
      fc.property(packetList, fc.boolean(), (packets, supportsBinary) => {
        const theirs = syncResult<unknown>((done) => officialV3.encodePayload(packets, supportsBinary, done));
        expect(comparableEncoding(syncResult<unknown>((done) => oursV3.encodePayload(packets, supportsBinary, done)))).toEqual(
          comparableEncoding(theirs),
        );
        expect(comparableEncoding(oursV3.encodePayloadSync(packets, supportsBinary))).toEqual(comparableEncoding(theirs));
        const theirBinary = syncResult<Buffer>((done) => officialV3.encodePayloadAsBinary(packets, done));
        expect(Array.from(oursV3.encodePayloadAsBinarySync(packets))).toEqual(Array.from(theirBinary));
      }),
      { numRuns: RUNS },
    );
  });

  it("decodes their packets and payloads to the same packets and callback positions", () => {
    fc.assert(
      fc.property(packetList, fc.boolean(), binaryTypeV3, (packets, supportsBinary, type) => {
        for (const p of packets) {
          const encoded = syncResult<string | Buffer>((done) => officialV3.encodePacket(p, supportsBinary, done));
          expect(comparable(oursV3.decodePacket(encoded, type))).toEqual(comparable(officialV3.decodePacket(encoded, type)));
        }
        const payload = syncResult<string | Buffer>((done) => officialV3.encodePayload(packets, supportsBinary, done));
        expect(callsOf((cb) => oursV3.decodePayload(payload, type, cb))).toEqual(
          callsOf((cb) => officialV3.decodePayload(payload, type, cb)),
        );
      }),
      { numRuns: RUNS },
    );
  });

  it("decodes hostile text packets and payloads as they do", () => {
    const lengthy = fc.string({ unit: fc.constantFrom("1", "2", "0", ":", "4", "b", "x", " ", "e", "é", "🎉"), maxLength: 24 });
    fc.assert(
      fc.property(fc.oneof(anyText, lengthy), binaryType, fc.boolean(), (text, type, utf8decode) => {
        const theirs = officialV3.decodePacket(text, type, utf8decode);
        const mine = oursV3.decodePacket(text, type, utf8decode);
        if (theirs.type === undefined) expect(mine).toEqual({ type: "error", data: "parser error" });
        else expect(comparable(mine)).toEqual(comparable(theirs));
        expectSameCalls(
          callsOf((cb) => oursV3.decodePayload(text, type, cb)),
          callsOf((cb) => officialV3.decodePayload(text, type, cb)),
        );
      }),
      { numRuns: RUNS * 4 },
    );
  });

  it("decodes hostile UTF-8 byte strings as utf8.js does", () => {
    const byteString = fc.array(fc.nat(255), { maxLength: 12 }).map((codes) => "4" + String.fromCharCode(...codes));
    fc.assert(
      fc.property(byteString, (text) => {
        expect(oursV3.decodePacket(text, undefined, true)).toEqual(officialV3.decodePacket(text, undefined, true));
      }),
      { numRuns: RUNS * 4 },
    );
  });

  it("decodes hostile XHR2 binary payloads as they do", () => {
    const digitByte = fc.oneof(fc.nat(9), fc.nat(255));
    const record = fc
      .tuple(fc.constantFrom(0, 1, 2), fc.array(digitByte, { maxLength: 3 }), fc.boolean(), fc.uint8Array({ maxLength: 12 }))
      .map(([marker, digits, terminated, body]) => [marker, ...digits, ...(terminated ? [255] : []), ...body]);
    const payload = fc.oneof(
      fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b)),
      fc.array(record, { maxLength: 5 }).map((records) => Buffer.from(records.flat())),
    );
    fc.assert(
      fc.property(payload, binaryTypeV3, (data, type) => {
        expectSameCalls(
          callsOf((cb) => oursV3.decodePayload(data, type, cb)),
          callsOf((cb) => officialV3.decodePayload(data, type, cb)),
        );
      }),
      { numRuns: RUNS * 4 },
    );
  });
});
