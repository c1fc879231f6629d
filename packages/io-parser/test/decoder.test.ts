import { describe, expect, it } from "vitest";
import { DecodeError, Decoder, PacketType, TypedEmitter, type DecodedPacket, type DecoderOptions } from "@sockwave/io-parser";

type Chunk = Parameters<Decoder["add"]>[0];

function decode(chunks: Chunk[], options?: DecoderOptions): DecodedPacket[] {
  const decoder = new Decoder(options);
  const out: DecodedPacket[] = [];
  decoder.on("decoded", (packet) => out.push(packet));
  for (const chunk of chunks) decoder.add(chunk);
  return out;
}

/** Asserts that adding `chunks` throws a DecodeError whose message matches `message`. */
function rejects(chunks: Chunk[], message: RegExp, options?: DecoderOptions): void {
  let caught: unknown;
  try {
    decode(chunks, options);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(DecodeError);
  expect(caught).toBeInstanceOf(Error);
  expect((caught as Error).message).toMatch(message);
}

describe("Decoder: valid packets", () => {
  it("CONNECT without payload, to / and to a namespace without trailing comma", () => {
    expect(decode(["0"])).toStrictEqual([{ type: PacketType.CONNECT, nsp: "/" }]);
    expect(decode(["0/admin,"])).toStrictEqual([{ type: PacketType.CONNECT, nsp: "/admin" }]);
    expect(decode(["0/admin"])).toStrictEqual([{ type: PacketType.CONNECT, nsp: "/admin" }]);
  });

  it("CONNECT with auth and the server's sid reply", () => {
    expect(decode(['0{"token":"abc"}'])).toStrictEqual([{ type: PacketType.CONNECT, nsp: "/", data: { token: "abc" } }]);
    expect(decode(['0/a,{"sid":"x","pid":"y"}'])).toStrictEqual([
      { type: PacketType.CONNECT, nsp: "/a", data: { sid: "x", pid: "y" } },
    ]);
  });

  it("DISCONNECT", () => {
    expect(decode(["1", "1/chat,"])).toStrictEqual([
      { type: PacketType.DISCONNECT, nsp: "/" },
      { type: PacketType.DISCONNECT, nsp: "/chat" },
    ]);
  });

  it("EVENT with a string or numeric first item, with ack ids, in namespaces", () => {
    expect(decode(['2["hello",1,{"a":[true,null]}]', "2[42]", '2/chat,7["x"]', '20["x"]'])).toStrictEqual([
      { type: PacketType.EVENT, nsp: "/", data: ["hello", 1, { a: [true, null] }] },
      { type: PacketType.EVENT, nsp: "/", data: [42] },
      { type: PacketType.EVENT, nsp: "/chat", id: 7, data: ["x"] },
      { type: PacketType.EVENT, nsp: "/", id: 0, data: ["x"] },
    ]);
  });

  it("ACK", () => {
    expect(decode(['31["ok"]', "3/a,9007199254740991[]"])).toStrictEqual([
      { type: PacketType.ACK, nsp: "/", id: 1, data: ["ok"] },
      { type: PacketType.ACK, nsp: "/a", id: Number.MAX_SAFE_INTEGER, data: [] },
    ]);
  });

  it("CONNECT_ERROR with an object or a string", () => {
    expect(decode(['4{"message":"Invalid namespace"}', '4/x,"not allowed"'])).toStrictEqual([
      { type: PacketType.CONNECT_ERROR, nsp: "/", data: { message: "Invalid namespace" } },
      { type: PacketType.CONNECT_ERROR, nsp: "/x", data: "not allowed" },
    ]);
  });

  it("BINARY_EVENT: emitted once the last attachment arrives, placeholders replaced anywhere", () => {
    const first = new Uint8Array([1]);
    const second = new ArrayBuffer(4);
    const decoder = new Decoder();
    const out: DecodedPacket[] = [];
    decoder.on("decoded", (packet) => out.push(packet));
    decoder.add('52-/up,5["file",{"a":{"_placeholder":true,"num":1}},[{"_placeholder":true,"num":0}]]');
    expect(out).toEqual([]);
    decoder.add(first);
    expect(out).toEqual([]);
    decoder.add(second);
    expect(out).toStrictEqual([{ type: PacketType.EVENT, nsp: "/up", id: 5, data: ["file", { a: second }, [first]] }]);
  });

  it("BINARY_ACK becomes an ACK with the attachment in place; one attachment may be used twice", () => {
    const buf = new Uint8Array([7]);
    expect(decode(['61-3[{"_placeholder":true,"num":0},{"_placeholder":true,"num":0}]', buf])).toStrictEqual([
      { type: PacketType.ACK, nsp: "/", id: 3, data: [buf, buf] },
    ]);
  });

  it("accepts the base64 attachment objects older engine parsers produce", () => {
    const attachment = { base64: true as const, data: "AQID" };
    expect(decode(['51-["b",{"_placeholder":true,"num":0}]', attachment])).toStrictEqual([
      { type: PacketType.EVENT, nsp: "/", data: ["b", attachment] },
    ]);
  });

  it("leaves placeholder-shaped objects alone in non-binary packets", () => {
    expect(decode(['2["e",{"_placeholder":true,"num":3}]'])).toStrictEqual([
      { type: PacketType.EVENT, nsp: "/", data: ["e", { _placeholder: true, num: 3 }] },
    ]);
  });

  it("applies a reviver, given directly or as an option", () => {
    const reviver = (key: string, value: unknown): unknown => (key === "when" ? new Date(value as string) : value);
    const text = '2["t",{"when":"2020-01-01T00:00:00.000Z"}]';
    for (const decoder of [new Decoder(reviver), new Decoder({ reviver })]) {
      const out: DecodedPacket[] = [];
      decoder.on("decoded", (packet) => out.push(packet));
      decoder.add(text);
      expect(out).toStrictEqual([
        { type: PacketType.EVENT, nsp: "/", data: ["t", { when: new Date("2020-01-01T00:00:00.000Z") }] },
      ]);
    }
  });

  it("a reviver that builds cycles does not hang the placeholder search", () => {
    const shared: Record<string, unknown> = {};
    shared.self = shared;
    const buf = new Uint8Array([1]);
    const out = decode(['51-["c",{"x":1},{"_placeholder":true,"num":0}]', buf], {
      reviver: (key, value) => (key === "1" ? shared : value),
    });
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ type: PacketType.EVENT, data: ["c", shared, buf] });
  });

  it("maxAttachments can be raised", () => {
    const text = `511-[${Array.from({ length: 11 }, (_, i) => `{"_placeholder":true,"num":${i}}`).join(",")}]`.replace(
      "[{",
      '["many",{',
    );
    const buffers = Array.from({ length: 11 }, (_, i) => new Uint8Array([i]));
    const [packet] = decode([text, ...buffers], { maxAttachments: 11 });
    expect(packet).toStrictEqual({ type: PacketType.EVENT, nsp: "/", data: ["many", ...buffers] });
  });

  it("calls listeners with the decoder as this, as component-emitter does", () => {
    const decoder = new Decoder();
    const receivers: unknown[] = [];
    function record(this: unknown): void {
      receivers.push(this);
    }
    decoder.on("decoded", record);
    decoder.add("0");
    decoder.on("decoded", record);
    decoder.add('51-["b",{"_placeholder":true,"num":0}]');
    decoder.add(new Uint8Array(1));
    expect(receivers).toEqual([decoder, decoder, decoder]);
    expect(receivers.every((receiver) => receiver === decoder)).toBe(true);
  });

  it("a listener that removes itself or adds another does not change the current round", () => {
    const decoder = new Decoder();
    const seen: string[] = [];
    const first = (): void => {
      seen.push("first");
      decoder.off("decoded", first);
      decoder.on("decoded", () => seen.push("late"));
    };
    decoder.on("decoded", first);
    decoder.on("decoded", () => seen.push("second"));
    decoder.add("0");
    expect(seen).toEqual(["first", "second"]);
    decoder.add("0");
    expect(seen).toEqual(["first", "second", "second", "late"]);
  });

  it("the emitter base is exported for other typed emitters", () => {
    const emitter = new TypedEmitter<{ ping: (n: number) => void }>();
    const got: number[] = [];
    emitter.on("ping", (n) => got.push(n));
    emitter.emit("ping", 3);
    expect(got).toEqual([3]);
  });

  it("listeners: once, off, and several listeners each see the packet", () => {
    const decoder = new Decoder();
    const seen: string[] = [];
    const onA = (): void => {
      seen.push("a");
    };
    decoder.on("decoded", onA);
    decoder.once("decoded", () => seen.push("once"));
    decoder.on("decoded", () => seen.push("b"));
    decoder.add("0");
    decoder.off("decoded", onA);
    decoder.add("0");
    expect(seen).toEqual(["a", "once", "b", "b"]);
    expect(decoder.listenerCount("decoded")).toBe(1);
    decoder.off();
    expect(decoder.hasListeners("decoded")).toBe(false);
  });
});

describe("Decoder: every validation rule rejects with a DecodeError", () => {
  it("empty packet", () => rejects([""], /empty packet/));
  it("unknown type digit", () => rejects(["7[]"], /unknown packet type "7"/));
  it("non-digit type", () => rejects(['x["a"]'], /unknown packet type "x"/));
  it("a space is not a type (the official decoder reads it as CONNECT)", () => rejects([" {}"], /unknown packet type/));
  it("attachments: not a number", () => rejects(['5a-["a"]'], /number of attachments followed by '-'/));
  it("attachments: missing '-'", () => rejects(['51["a"]'], /number of attachments followed by '-'/));
  it("attachments: zero (the official decoder refuses it too)", () => rejects(['50-["a"]'], /at least one attachment/));
  it("attachments: above maxAttachments", () => rejects(['511-["a"]'], /too many attachments \(the limit is 10/));
  it("attachments: custom limit", () => rejects(['53-["a"]'], /the limit is 2/, { maxAttachments: 2 }));
  it("attachments: a giant count stops at the limit", () => rejects([`5${"9".repeat(100_000)}-["a"]`], /too many attachments/));
  it("namespace longer than maxNamespaceLength", () => rejects([`0/${"n".repeat(16_384)},`], /namespace longer than 16384/));
  it("a namespace of exactly maxNamespaceLength is fine", () =>
    expect(decode([`0/${"n".repeat(16_383)},`])).toStrictEqual([{ type: PacketType.CONNECT, nsp: `/${"n".repeat(16_383)}` }]));
  it("namespace limit is configurable", () => rejects(["0/abcd,"], /longer than 3/, { maxNamespaceLength: 3 }));
  it("ack id above Number.MAX_SAFE_INTEGER", () => rejects(['29007199254740992["a"]'], /ack id larger than/));
  it("giant ack id", () => rejects([`2${"1".repeat(100_000)}["a"]`], /ack id larger than/));
  it("ack id on a CONNECT", () => rejects(["012{}"], /only EVENT and ACK packets carry an ack id/));
  it("ack id on a DISCONNECT", () => rejects(["13"], /only EVENT and ACK/));
  it("payload that is not JSON", () => rejects(['2["a"'], /invalid EVENT packet: the payload is not valid JSON/));
  it("trailing garbage after the JSON", () => rejects(['2["a"]x'], /not valid JSON/));
  it("CONNECT payload an array", () => rejects(["0[]"], /CONNECT packet: the payload must be a plain object, got an array/));
  it("CONNECT payload a string", () => rejects(['0"x"'], /plain object, got string/));
  it("CONNECT payload null", () => rejects(["0null"], /plain object, got null/));
  it("DISCONNECT with a payload", () => rejects(["1{}"], /DISCONNECT packet carries no payload/));
  it("EVENT without payload", () => rejects(["2"], /EVENT packet: the payload is missing/));
  it("EVENT payload an object", () => rejects(['2{"a":1}'], /EVENT packet: the payload must be an array, got an object/));
  it("EVENT with an empty array", () => rejects(["2[]"], /event name \(a string\) or a number, got undefined/));
  it("EVENT name of the wrong type", () => rejects(["2[null]"], /got null/));
  it("EVENT name an object", () => rejects(['2[{"a":1}]'], /got an object/));
  for (const name of ["connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"]) {
    it(`EVENT named "${name}" (reserved)`, () => rejects([`2["${name}"]`], new RegExp(`"${name}" is a reserved event name`)));
  }
  it("ACK payload not an array", () => rejects(['31{"a":1}'], /ACK packet: the payload must be an array/));
  it("ACK without an ack id", () => rejects(['3["a"]'], /ACK packet: the ack id is missing/));
  it("ACK without payload", () => rejects(["31"], /ACK packet: the payload is missing/));
  it("CONNECT_ERROR payload a number (digits read as an ack id)", () => rejects(["412"], /CONNECT_ERROR packet: only EVENT and ACK packets carry an ack id/));
  it("CONNECT_ERROR payload true", () => rejects(["4true"], /string or a plain object, got boolean/));
  it("CONNECT_ERROR payload an array", () => rejects(["4[1]"], /string or a plain object, got an array/));
  it("CONNECT_ERROR without payload", () => rejects(["4"], /CONNECT_ERROR packet: the payload is missing/));
  it("BINARY_EVENT payload not an array", () => rejects(['51-{"a":1}'], /BINARY_EVENT packet: the payload must be an array/));
  it("BINARY_EVENT with a reserved name", () => rejects(['51-["disconnect"]'], /reserved event name/));
  it("BINARY_ACK without an ack id", () => rejects(["61-[]"], /BINARY_ACK packet: the ack id is missing/));
  it("placeholder num out of range", () =>
    rejects(['51-["a",{"_placeholder":true,"num":1}]'], /placeholder num 1 is not an attachment index \(the packet declares 1 attachment/));
  it("placeholder num negative", () => rejects(['52-["a",{"_placeholder":true,"num":-1}]'], /placeholder num -1/));
  it("placeholder num not an integer", () => rejects(['52-["a",{"_placeholder":true,"num":0.5}]'], /placeholder num 0.5/));
  it("placeholder num a string", () => rejects(['52-["a",{"_placeholder":true,"num":"0"}]'], /placeholder num "0"/));
  it("placeholder num missing", () => rejects(['52-["a",{"_placeholder":true}]'], /placeholder num undefined/));
  it("text while attachments are awaited", () =>
    rejects(['52-["a",{"_placeholder":true,"num":0}]', new Uint8Array(1), '2["b"]'], /text packet while 1 binary attachment was still expected/));
  it("binary data when no packet awaits it", () => rejects([new Uint8Array(1)], /no binary packet is waiting/));
  it("a chunk that is neither text nor binary", () => {
    rejects([42 as unknown as Chunk], /cannot decode number: expected a string or binary data/);
    rejects([null as unknown as Chunk], /cannot decode null/);
    rejects([{ a: 1 } as unknown as Chunk], /cannot decode an object/);
  });
});

describe("Decoder: state after errors and destroy", () => {
  it("recovers after an error: the next valid packet decodes", () => {
    const decoder = new Decoder();
    const out: DecodedPacket[] = [];
    decoder.on("decoded", (packet) => out.push(packet));
    expect(() => decoder.add('51-["a",{"_placeholder":true,"num":0}]')).not.toThrow();
    expect(() => decoder.add("2[]")).toThrow(DecodeError);
    // The half-received packet was dropped with the error: a late attachment is refused too.
    expect(() => decoder.add(new Uint8Array(1))).toThrow(/no binary packet is waiting/);
    decoder.add('2["ok"]');
    expect(out).toStrictEqual([{ type: PacketType.EVENT, nsp: "/", data: ["ok"] }]);
  });

  it("a listener that throws leaves the decoder ready for the next packet", () => {
    const decoder = new Decoder();
    const seen: DecodedPacket[] = [];
    decoder.on("decoded", (packet) => {
      seen.push(packet);
      if (seen.length === 1) throw new Error("listener failure");
    });
    decoder.add('51-["a",{"_placeholder":true,"num":0}]');
    expect(() => decoder.add(new Uint8Array(1))).toThrow("listener failure");
    decoder.add('2["next"]');
    expect(seen).toHaveLength(2);
    expect(seen[1]).toStrictEqual({ type: PacketType.EVENT, nsp: "/", data: ["next"] });
  });

  it("destroy drops a half-received binary packet", () => {
    const decoder = new Decoder();
    const out: DecodedPacket[] = [];
    decoder.on("decoded", (packet) => out.push(packet));
    decoder.add('52-["a",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]');
    decoder.add(new Uint8Array(1));
    decoder.destroy();
    expect(() => decoder.add(new Uint8Array(1))).toThrow(/no binary packet is waiting/);
    decoder.add('2["after"]');
    expect(out).toStrictEqual([{ type: PacketType.EVENT, nsp: "/", data: ["after"] }]);
  });

  it("refuses bad options with a TypeError that names the option", () => {
    expect(() => new Decoder({ maxAttachments: -1 })).toThrow(/maxAttachments must be a non-negative integer/);
    expect(() => new Decoder({ maxAttachments: 1.5 })).toThrow(TypeError);
    expect(() => new Decoder({ maxNamespaceLength: Number.NaN })).toThrow(/maxNamespaceLength/);
    expect(() => new Decoder({ maxAttachments: Number.POSITIVE_INFINITY })).not.toThrow();
  });
});
