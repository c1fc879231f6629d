import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DecodeError, Decoder, Encoder, PacketType, type DecodedPacket } from "@sockwave/io-parser";

type Chunk = Parameters<Decoder["add"]>[0];

/** Feeds chunks one by one; returns what was decoded and the errors thrown (each one checked). */
function feed(decoder: Decoder, chunks: readonly Chunk[]): { packets: DecodedPacket[]; errors: number } {
  const packets: DecodedPacket[] = [];
  decoder.on("decoded", (packet) => packets.push(packet));
  let errors = 0;
  for (const chunk of chunks) {
    try {
      decoder.add(chunk);
    } catch (error) {
      errors++;
      expect(error).toBeInstanceOf(DecodeError);
      expect((error as Error).message.length).toBeGreaterThan(10);
    }
  }
  return { packets, errors };
}

/** Structural checks every emitted packet satisfies, whatever the input. */
function expectWellFormed(packet: DecodedPacket): void {
  expect(typeof packet.nsp).toBe("string");
  switch (packet.type) {
    case PacketType.EVENT:
      expect(Array.isArray(packet.data)).toBe(true);
      expect(["string", "number"]).toContain(typeof packet.data[0]);
      break;
    case PacketType.ACK:
      expect(Array.isArray(packet.data)).toBe(true);
      expect(Number.isSafeInteger(packet.id)).toBe(true);
      break;
    case PacketType.CONNECT:
    case PacketType.DISCONNECT:
    case PacketType.CONNECT_ERROR:
      break;
    default:
      throw new Error(`unexpected decoded type ${String((packet as { type: unknown }).type)}`);
  }
}

/** Text that looks like a packet: a type digit, maybe attachments, namespace, id, and JSON or junk. */
const packetLikeText = fc
  .tuple(
    fc.constantFrom("0", "1", "2", "3", "4", "5", "6", "7", "", "x"),
    fc.option(fc.constantFrom("1-", "2-", "0-", "11-", "-", "1"), { nil: "" }),
    fc.option(fc.constantFrom("/", "/a,", "/chat,", "/,", "/a"), { nil: "" }),
    fc.option(fc.nat().map(String), { nil: "" }),
    fc.oneof(
      fc.json(),
      fc.jsonValue().map((value) => JSON.stringify(["ev", value])),
      fc.constantFrom('["ev",{"_placeholder":true,"num":0}]', '[{"_placeholder":true,"num":1}]', ""),
      fc.string(),
    ),
  )
  .map((parts) => parts.join(""));

const binaryChunk = fc.oneof(
  fc.uint8Array({ maxLength: 8 }),
  fc.integer({ min: 0, max: 8 }).map((n) => new ArrayBuffer(n)),
  fc.constant({ base64: true as const, data: "AA==" }),
);

const anyChunk: fc.Arbitrary<Chunk> = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary" }),
  packetLikeText,
  binaryChunk,
  fc.anything().map((value) => value as Chunk),
);

describe("hostile input never crashes the decoder", () => {
  it("random strings", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), fc.string({ unit: "binary" })), { maxLength: 5 }), (chunks) => {
        const { packets } = feed(new Decoder(), chunks);
        packets.forEach(expectWellFormed);
      }),
      { numRuns: 600 },
    );
  });

  it("random packet-like text", () => {
    fc.assert(
      fc.property(fc.array(packetLikeText, { maxLength: 6 }), (chunks) => {
        const { packets } = feed(new Decoder(), chunks);
        packets.forEach(expectWellFormed);
      }),
      { numRuns: 600 },
    );
  });

  it("random chunk sequences mixing text, binaries and junk values", () => {
    fc.assert(
      fc.property(fc.array(anyChunk, { maxLength: 12 }), (chunks) => {
        const decoder = new Decoder();
        const { packets } = feed(decoder, chunks);
        packets.forEach(expectWellFormed);
        // Whatever happened, the decoder is usable afterwards once reset.
        decoder.destroy();
        feed(decoder, ['2["after"]']);
      }),
      { numRuns: 600 },
    );
  });

  it("random structured packets survive an encode/decode round trip", () => {
    const eventName = fc.string().filter((name) => !["connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"].includes(name));
    const binary = fc.uint8Array({ maxLength: 4 });
    const argument = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        fc.jsonValue(),
        binary,
        fc.array(tie("value"), { maxLength: 3 }),
        fc.dictionary(fc.string(), tie("value"), { maxKeys: 3 }),
      ),
    })).value;
    const packet = fc.record({
      type: fc.constantFrom(PacketType.EVENT, PacketType.ACK),
      nsp: fc.oneof(fc.constant("/"), fc.string().map((s) => "/" + s.replace(/,/g, ""))),
      id: fc.option(fc.nat(), { nil: undefined }),
      args: fc.array(argument, { maxLength: 4 }),
      name: eventName,
    });
    fc.assert(
      fc.property(packet, ({ type, nsp, id, args, name }) => {
        const ackId = type === PacketType.ACK ? (id ?? 0) : id;
        const data = type === PacketType.EVENT ? [name, ...args] : args;
        const encoded = new Encoder().encode({ type, nsp, id: ackId, data });
        const decoder = new Decoder({ maxAttachments: Number.POSITIVE_INFINITY });
        const { packets, errors } = feed(decoder, encoded);
        expect(errors).toBe(0);
        expect(packets).toHaveLength(1);
        // A packet with binaries loses own "__proto__" keys, as with socket.io-parser's encoder (the
        // interop tests compare that case with the official one).
        const expected = JSON.parse(
          JSON.stringify(data, (key, value: unknown) => (value instanceof Uint8Array ? "BIN" : key === "__proto__" && encoded.length > 1 ? undefined : value)),
        );
        const actual = JSON.parse(JSON.stringify(packets[0]!.data, (_key, value: unknown) => (value instanceof Uint8Array ? "BIN" : value)));
        expect(actual).toEqual(expected);
        expect(packets[0]!.nsp).toBe(nsp === "/" ? "/" : nsp || "/");
      }),
      { numRuns: 500 },
    );
  });
});

describe("hostile input stays bounded", () => {
  it("deeply nested JSON in a binary packet does not overflow the stack", () => {
    const depth = 200_000;
    const text = `51-["deep",${"[".repeat(depth)}{"_placeholder":true,"num":0}${"]".repeat(depth)}]`;
    const decoder = new Decoder();
    const { packets, errors } = feed(decoder, [text, new Uint8Array([1])]);
    expect(errors).toBe(0);
    expect(packets).toHaveLength(1);
  });

  it("deeply nested JSON in an event decodes (JSON.parse is iterative)", () => {
    const depth = 100_000;
    const { packets } = feed(new Decoder(), [`2["deep",${"[".repeat(depth)}${"]".repeat(depth)}]`]);
    expect(packets).toHaveLength(1);
  });

  it("deep nesting with a reviver is refused with a clear error, not a stack overflow", () => {
    const depth = 200_000;
    const decoder = new Decoder((_key, value) => value);
    expect(() => decoder.add(`2["deep",${"[".repeat(depth)}${"]".repeat(depth)}]`)).toThrow(/nested too deeply/);
    const after: DecodedPacket[] = [];
    decoder.on("decoded", (packet) => after.push(packet));
    decoder.add('2["ok"]');
    expect(after).toHaveLength(1);
  });

  it("an enormous argument list decodes once, without copies per argument", () => {
    const args = new Array<number>(200_000).fill(1);
    const { packets } = feed(new Decoder(), ["2" + JSON.stringify(["many", ...args])]);
    expect(packets).toHaveLength(1);
    expect((packets[0]!.data as unknown[]).length).toBe(200_001);
  });

  it("many placeholders pointing at one attachment are fine; buffers held are capped by maxAttachments", () => {
    const placeholders = new Array(50_000).fill('{"_placeholder":true,"num":0}').join(",");
    const buf = new Uint8Array([1]);
    const { packets } = feed(new Decoder(), [`51-["p",${placeholders}]`, buf]);
    expect(packets).toHaveLength(1);
    expect((packets[0]!.data as unknown[]).every((item, i) => i === 0 || item === buf)).toBe(true);
  });

  it("a flood of binary chunks without a packet is refused chunk by chunk", () => {
    const decoder = new Decoder();
    const { errors, packets } = feed(decoder, Array.from({ length: 1000 }, () => new Uint8Array(1)));
    expect(errors).toBe(1000);
    expect(packets).toHaveLength(0);
  });

  it("a huge namespace is refused before it is copied", () => {
    const { errors } = feed(new Decoder(), [`2/${"a".repeat(1_000_000)},["x"]`]);
    expect(errors).toBe(1);
  });
});
