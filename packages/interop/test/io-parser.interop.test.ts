import fc from "fast-check";
import * as official from "socket.io-parser";
import { describe, expect, it } from "vitest";
import * as ours from "@sockwave/io-parser";

// Our encoder against socket.io-parser 4.2.7's: identical bytes, identical attachment order; and
// each decoder reads the other's output into the same packets.

const RESERVED = new Set(["connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"]);

const binary: fc.Arbitrary<unknown> = fc.oneof(
  fc.uint8Array({ maxLength: 6 }).map((bytes) => Buffer.from(bytes)),
  fc.uint8Array({ maxLength: 6 }),
  fc.integer({ min: 0, max: 6 }).map((n) => new ArrayBuffer(n)),
  fc.integer({ min: 0, max: 6 }).map((n) => new DataView(new ArrayBuffer(n))),
  fc.float32Array({ maxLength: 3 }),
  fc.string({ maxLength: 4 }).map((text) => new Blob([text])),
);

/** Event arguments: JSON values, binaries at any depth, Dates and toJSON holders. */
const argument: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.jsonValue({ maxDepth: 2 }),
    binary,
    fc.date({ noInvalidDate: true }),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.string({ maxLength: 5 }), fc.constantFrom("0", "10", "toJSON", "_placeholder", "num")), tie("value"), { maxKeys: 4 }),
    tie("value").map((inner) => ({ toJSON: () => inner })),
  ),
})).value;

const namespace = fc.oneof(
  fc.constant("/"),
  fc.constantFrom("/admin", "/chat", "/a/b", "/ünï", "/with space"),
  fc.string({ maxLength: 12 }).map((s) => "/" + s.replace(/,/g, "")),
);
const eventName = fc.oneof(fc.string({ maxLength: 10 }).filter((name) => !RESERVED.has(name)), fc.nat());
const ackId = fc.nat({ max: 2 ** 31 });

const packet: fc.Arbitrary<ours.Packet> = fc.oneof(
  fc.record({ type: fc.constant(ours.PacketType.CONNECT), nsp: namespace, data: fc.option(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 })), { nil: undefined }) }),
  fc.record({ type: fc.constant(ours.PacketType.DISCONNECT), nsp: namespace }),
  fc.record({
    type: fc.constant(ours.PacketType.EVENT),
    nsp: namespace,
    id: fc.option(ackId, { nil: undefined }),
    data: fc.tuple(eventName, fc.array(argument, { maxLength: 5 })).map(([name, args]) => [name, ...args]),
  }),
  fc.record({ type: fc.constant(ours.PacketType.ACK), nsp: namespace, id: ackId, data: fc.array(argument, { maxLength: 5 }) }),
  fc.record({
    type: fc.constant(ours.PacketType.CONNECT_ERROR),
    nsp: namespace,
    data: fc.oneof(fc.string(), fc.record({ message: fc.string(), data: fc.option(fc.jsonValue({ maxDepth: 2 }), { nil: undefined }) })),
  }),
);

/** Removes properties whose value is undefined, as a packet literal would not have them. */
function withoutUndefined(value: ours.Packet): ours.Packet {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as unknown as ours.Packet;
}

function decodeWith(decoder: { add(chunk: unknown): void; on(event: "decoded", listener: (packet: unknown) => void): unknown }, chunks: unknown[]): unknown[] {
  const out: unknown[] = [];
  decoder.on("decoded", (decoded) => out.push(decoded));
  for (const chunk of chunks) decoder.add(chunk);
  return out;
}

/** Adds `text`, then attachments one at a time while the decoder still waits for some. */
function decodeTextThenAttachments(decoder: Parameters<typeof decodeWith>[0], text: string, attachments: unknown[]): unknown[] | Error {
  const out: unknown[] = [];
  decoder.on("decoded", (decoded) => out.push(decoded));
  try {
    decoder.add(text);
    for (const attachment of attachments) {
      if (out.length > 0) break;
      decoder.add(attachment);
    }
  } catch (error) {
    return error as Error;
  }
  return out;
}

/**
 * True when user data holds a placeholder-shaped object whose `num` is a non-integer number. In a
 * binary packet socket.io-parser replaces it with `undefined` (`buffers[0.5]`); we refuse it, a
 * documented difference (io-parser README, "Stricter decoding").
 */
function holdsNonIntegerPlaceholder(value: unknown, depth = 0): boolean {
  if (typeof value !== "object" || value === null || depth > 64) return false;
  const record = value as { _placeholder?: unknown; num?: unknown };
  if (record._placeholder === true && typeof record.num === "number" && !Number.isInteger(record.num)) return true;
  return Object.values(value).some((inner) => holdsNonIntegerPlaceholder(inner, depth + 1));
}

/** Decodes with ours where the official decoder succeeded; a refusal is only allowed for the documented case. */
function expectSameDecoding(makeOurs: () => Parameters<typeof decodeWith>[0], chunks: unknown[], reference: unknown[], inputs: unknown[]): void {
  let mine: unknown[];
  try {
    mine = decodeWith(makeOurs(), chunks);
  } catch (error) {
    expect(error).toBeInstanceOf(ours.DecodeError);
    expect((error as Error).message).toMatch(/placeholder num .* is not an attachment index/);
    expect(inputs.some((input) => holdsNonIntegerPlaceholder(input))).toBe(true);
    return;
  }
  expect(mine).toStrictEqual(reference);
}

const oursDecoder = () => new ours.Decoder({ maxAttachments: 1000 }) as unknown as Parameters<typeof decodeWith>[0];
const officialDecoder = () => new official.Decoder({ maxAttachments: 1000 }) as unknown as Parameters<typeof decodeWith>[0];

describe("io-parser against socket.io-parser 4.2.7", () => {
  it("encodes byte-identically, with the same attachments in the same order", () => {
    let withAttachments = 0;
    fc.assert(
      fc.property(packet, (generated) => {
        const input = withoutUndefined(generated);
        const mine = new ours.Encoder().encode({ ...input });
        const theirs = new official.Encoder().encode({ ...input } as official.Packet) as unknown[];
        expect(mine.length).toBe(theirs.length);
        expect(mine[0]).toBe(theirs[0]);
        for (let i = 1; i < mine.length; i++) expect(mine[i]).toBe(theirs[i]);
        if (mine.length > 1) withAttachments++;
      }),
      { numRuns: 3000 },
    );
    // The generator must have exercised the binary path, not just text packets.
    expect(withAttachments).toBeGreaterThan(300);
  });

  it("encodes byte-identically with a replacer", () => {
    const replacer = (key: string, value: unknown): unknown => (key === "drop" ? undefined : typeof value === "number" ? value * 2 : value);
    fc.assert(
      fc.property(packet, (generated) => {
        const input = withoutUndefined(generated);
        const mine = new ours.Encoder(replacer).encode({ ...input });
        const theirs = new official.Encoder(replacer).encode({ ...input } as official.Packet) as unknown[];
        expect(mine).toEqual(theirs);
        expect(mine[0]).toBe(theirs[0]);
      }),
      { numRuns: 500 },
    );
  });

  it("decodes the official encoder's output as the official decoder does, and the other way round", () => {
    fc.assert(
      fc.property(fc.array(packet, { minLength: 1, maxLength: 4 }), (generated) => {
        const inputs = generated.map(withoutUndefined);
        const officialChunks = inputs.flatMap((input) => new official.Encoder().encode({ ...input } as official.Packet) as unknown[]);
        const ourChunks = inputs.flatMap((input) => new ours.Encoder().encode({ ...input }) as unknown[]);

        let reference: unknown[];
        try {
          reference = decodeWith(officialDecoder(), officialChunks);
        } catch {
          // User data holding {"_placeholder":true} makes a binary packet ambiguous: the official
          // decoder refuses its own output then, and so must we.
          expect(() => decodeWith(oursDecoder(), officialChunks)).toThrow(ours.DecodeError);
          return;
        }
        expect(reference).toHaveLength(inputs.length);
        expectSameDecoding(oursDecoder, officialChunks, reference, inputs);
        expectSameDecoding(oursDecoder, ourChunks, decodeWith(officialDecoder(), ourChunks), inputs);
      }),
      { numRuns: 1500 },
    );
  });

  it("applies a reviver as the official decoder does", () => {
    const reviver = (key: string, value: unknown): unknown =>
      typeof value === "number" ? value + 1 : key === "hide" ? undefined : value;
    fc.assert(
      fc.property(packet, (generated) => {
        const chunks = new official.Encoder().encode({ ...withoutUndefined(generated) } as official.Packet) as unknown[];
        let reference: unknown[];
        try {
          reference = decodeWith(new official.Decoder({ reviver, maxAttachments: 1000 }) as unknown as Parameters<typeof decodeWith>[0], chunks);
        } catch {
          expect(() => decodeWith(new ours.Decoder({ reviver, maxAttachments: 1000 }) as unknown as Parameters<typeof decodeWith>[0], chunks)).toThrow(ours.DecodeError);
          return;
        }
        expectSameDecoding(() => new ours.Decoder({ reviver, maxAttachments: 1000 }) as unknown as Parameters<typeof decodeWith>[0], chunks, reference, [generated]);
      }),
      { numRuns: 500 },
    );
  });

  it("accepts no text the official decoder refuses, and decodes what both accept identically", () => {
    const text = fc
      .tuple(
        fc.constantFrom("0", "1", "2", "2", "2", "3", "3", "4", "5", "6", "9", "", " "),
        fc.constantFrom("", "", "", "1-", "2-", "0-", "01-", "-"),
        fc.constantFrom("", "", "/", "/a,", "/chat,", "/,", "/b"),
        fc.constantFrom("", "", "0", "7", "007", "42"),
        fc.oneof(
          fc.json({ maxDepth: 2 }),
          fc.jsonValue({ maxDepth: 2 }).map((value) => JSON.stringify(["ev", value])),
          fc.constantFrom('["ev",{"_placeholder":true,"num":0}]', '["ev",[{"_placeholder":true,"num":1}]]', "{}", '{"token":1}', '"msg"', '["ev",{"_placeholder":true,"num":1}]', '["connect"]', "[1]", ""),
          fc.string({ maxLength: 6 }),
        ),
      )
      .map((parts) => parts.join(""));
    const attachments = [Buffer.from([1]), Buffer.from([2])];
    let acceptedByUs = 0;
    fc.assert(
      fc.property(text, (input) => {
        const mine = decodeTextThenAttachments(oursDecoder(), input, attachments);
        const theirs = decodeTextThenAttachments(officialDecoder(), input, attachments);
        if (mine instanceof Error) {
          expect(mine).toBeInstanceOf(ours.DecodeError);
          return;
        }
        // We accepted: the official decoder must have accepted it the same way.
        expect(theirs).not.toBeInstanceOf(Error);
        expect(mine).toStrictEqual(theirs);
        acceptedByUs++;
      }),
      { numRuns: 3000 },
    );
    expect(acceptedByUs).toBeGreaterThan(100);
  });

  it("encodes own __proto__ keys as the official encoder does, with and without binaries", () => {
    for (const withBinary of [false, true]) {
      const data = ["p", JSON.parse('{"__proto__":{"x":1},"y":2}'), ...(withBinary ? [Buffer.from([1])] : [])];
      const mine = new ours.Encoder().encode({ type: ours.PacketType.EVENT, nsp: "/", data });
      const theirs = new official.Encoder().encode({ type: official.PacketType.EVENT, nsp: "/", data }) as unknown[];
      expect(mine).toEqual(theirs);
    }
  });

  it("exports the same protocol number and packet type values", () => {
    expect(ours.protocol).toBe(official.protocol);
    for (const name of ["CONNECT", "DISCONNECT", "EVENT", "ACK", "CONNECT_ERROR", "BINARY_EVENT", "BINARY_ACK"] as const) {
      expect(ours.PacketType[name]).toBe(official.PacketType[name]);
    }
  });

  it("isPacketValid agrees with the official one on random packets", () => {
    const loose = fc.record({
      type: fc.integer({ min: -1, max: 7 }),
      nsp: fc.oneof(fc.string(), fc.integer()),
      id: fc.option(fc.oneof(fc.integer(), fc.double(), fc.string()), { nil: undefined }),
      data: fc.option(fc.oneof(fc.jsonValue(), fc.constantFrom(["connect"], ["x"], [1], [], "s", {})), { nil: undefined }),
    });
    fc.assert(
      fc.property(loose, (candidate) => {
        expect(ours.isPacketValid(candidate as ours.Packet)).toBe(official.isPacketValid(candidate as official.Packet));
      }),
      { numRuns: 2000 },
    );
  });
});
