import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Encoder, PacketType, hasBinary, isBinary, type BinaryData, type Packet } from "@sockwave/io-parser";
import { stringifyPlain } from "../src/plain-json";

const encode = (packet: Packet): unknown[] => new Encoder().encode(packet);

describe("Encoder: text packets", () => {
  it("omits the namespace for / and for an empty namespace", () => {
    expect(encode({ type: PacketType.EVENT, nsp: "/", data: ["a"] })).toEqual(['2["a"]']);
    expect(encode({ type: PacketType.EVENT, nsp: "", data: ["a"] })).toEqual(['2["a"]']);
  });

  it("writes the ack id after the namespace, including id 0", () => {
    expect(encode({ type: PacketType.EVENT, nsp: "/n", id: 0, data: ["a"] })).toEqual(['2/n,0["a"]']);
    expect(encode({ type: PacketType.ACK, nsp: "/", id: 99, data: [] })).toEqual(["399[]"]);
  });

  it("writes no JSON for absent or null data", () => {
    expect(encode({ type: PacketType.CONNECT, nsp: "/", data: null })).toEqual(["0"]);
    expect(encode({ type: PacketType.DISCONNECT, nsp: "/x" })).toEqual(["1/x,"]);
  });

  it("serialises like JSON.stringify: undefined, functions, NaN, nested objects, escapes", () => {
    const data = ["e", undefined, () => 1, Number.NaN, -0, 1e21, { u: undefined, s: 'q"\\\n\u2028\ud800', n: { d: [1.5] } }];
    expect(encode({ type: PacketType.EVENT, nsp: "/", data })).toEqual(["2" + JSON.stringify(data)]);
  });

  it("honours toJSON on values without binary (Date, custom classes)", () => {
    const when = new Date(0);
    const custom = { toJSON: () => ({ kind: "custom" }) };
    expect(encode({ type: PacketType.EVENT, nsp: "/", data: ["t", when, custom] })).toEqual([
      '2["t","1970-01-01T00:00:00.000Z",{"kind":"custom"}]',
    ]);
  });

  it("passes the replacer to JSON.stringify", () => {
    const encoder = new Encoder((key, value) => (key === "secret" ? undefined : value));
    expect(encoder.encode({ type: PacketType.EVENT, nsp: "/", data: ["x", { secret: 1, open: 2 }] })).toEqual([
      '2["x",{"open":2}]',
    ]);
  });

  it("does not scan CONNECT or CONNECT_ERROR data for binaries (as the official encoder)", () => {
    const bytes = new Uint8Array([1]);
    expect(encode({ type: PacketType.CONNECT, nsp: "/", data: { bytes } })).toEqual(['0{"bytes":{"0":1}}']);
  });

  it("encodes a caller-built binary packet with the count it declares", () => {
    expect(
      encode({ type: PacketType.BINARY_EVENT, nsp: "/", attachments: 1, data: ["a", { _placeholder: true, num: 0 }] }),
    ).toEqual(['51-["a",{"_placeholder":true,"num":0}]']);
  });

  it("propagates JSON.stringify's error for BigInt and cycles", () => {
    expect(() => encode({ type: PacketType.EVENT, nsp: "/", data: ["b", 1n] })).toThrow(TypeError);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => encode({ type: PacketType.CONNECT, nsp: "/", data: cyclic })).toThrow(TypeError);
  });

  it("says why when EVENT data is circular (instead of a bare stack overflow)", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => encode({ type: PacketType.EVENT, nsp: "/", data: ["c", cyclic] })).toThrow(
      /cannot encode the EVENT packet: its data is circular or nested too deeply/,
    );
    const encoder = new Encoder();
    expect(encoder.encode({ type: PacketType.EVENT, nsp: "/", data: ["fine"] })).toEqual(['2["fine"]']);
  });
});

describe("Encoder: binary attachments", () => {
  const kinds: Array<[string, () => unknown]> = [
    ["Buffer", () => Buffer.from([1, 2])],
    ["ArrayBuffer", () => new ArrayBuffer(3)],
    ["Uint8Array", () => new Uint8Array([4])],
    ["Float64Array", () => new Float64Array([1.5])],
    ["DataView", () => new DataView(new ArrayBuffer(2))],
    ["Blob", () => new Blob(["x"])],
    ["File", () => new File(["y"], "y.txt")],
  ];
  for (const [name, make] of kinds) {
    it(`detects ${name} and sends it as an attachment`, () => {
      const value = make();
      expect(isBinary(value)).toBe(true);
      const encoded = encode({ type: PacketType.EVENT, nsp: "/", data: ["bin", value] });
      expect(encoded).toHaveLength(2);
      expect(encoded[0]).toBe('51-["bin",{"_placeholder":true,"num":0}]');
      expect(encoded[1]).toBe(value);
    });
  }

  it("numbers placeholders depth-first: array items in order, object keys in order", () => {
    const [a, b, c, d] = [0, 1, 2, 3].map((i) => new Uint8Array([i]));
    const encoded = encode({
      type: PacketType.EVENT,
      nsp: "/",
      data: ["deep", { x: [a, { y: b }], z: c }, d],
    });
    expect(encoded).toEqual([
      '54-["deep",{"x":[{"_placeholder":true,"num":0},{"y":{"_placeholder":true,"num":1}}],"z":{"_placeholder":true,"num":2}},{"_placeholder":true,"num":3}]',
      a,
      b,
      c,
      d,
    ]);
  });

  it("follows toJSON once to find binaries, as the official encoder", () => {
    const bytes = new Uint8Array([5]);
    const holder = { toJSON: () => ({ payload: bytes }) };
    expect(encode({ type: PacketType.EVENT, nsp: "/", data: ["j", holder] })).toEqual([
      '51-["j",{"payload":{"_placeholder":true,"num":0}}]',
      bytes,
    ]);
    // A toJSON hiding a binary hides it from the scan too.
    const hidden = { raw: new Uint8Array([1]), toJSON: () => "hidden" };
    expect(hasBinary(hidden)).toBe(false);
    expect(encode({ type: PacketType.EVENT, nsp: "/", data: ["h", hidden] })).toEqual(['2["h","hidden"]']);
  });

  it("keeps Dates intact next to binaries", () => {
    const bytes = new Uint8Array([1]);
    expect(encode({ type: PacketType.EVENT, nsp: "/", data: ["d", new Date(0), bytes] })).toEqual([
      '51-["d","1970-01-01T00:00:00.000Z",{"_placeholder":true,"num":0}]',
      bytes,
    ]);
  });

  it("BINARY_ACK with namespace and id", () => {
    const bytes = new ArrayBuffer(1);
    expect(encode({ type: PacketType.ACK, nsp: "/ns", id: 4, data: [{ f: bytes }] })).toEqual([
      '61-/ns,4[{"f":{"_placeholder":true,"num":0}}]',
      bytes,
    ]);
  });

  it("does not modify the caller's data", () => {
    const bytes = new Uint8Array([1]);
    const data = ["keep", { bytes }];
    encode({ type: PacketType.EVENT, nsp: "/", data });
    expect(data).toEqual(["keep", { bytes }]);
  });

  it("SharedArrayBuffer is not binary (as the official encoder)", () => {
    expect(isBinary(new SharedArrayBuffer(1))).toBe(false);
  });
});

describe("plain JSON fast path", () => {
  it("is JSON.stringify exactly, or gives up", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.anything({ withBigInt: false, withBoxedValues: true, withMap: true }), (json, anything) => {
        for (const value of [json, anything, [json], ["e", anything]]) {
          const fast = stringifyPlain(value, [""]);
          if (fast !== undefined) expect(fast).toBe(JSON.stringify(value));
        }
      }),
      { numRuns: 500 },
    );
  });

  it("writes placeholders for binaries and collects them in order", () => {
    const a = new Uint8Array([1]);
    const b = new ArrayBuffer(1);
    const sink: [unknown, ...BinaryData[]] = [""];
    expect(stringifyPlain(["f", { x: a }, [b]], sink)).toBe(
      '["f",{"x":{"_placeholder":true,"num":0}},[{"_placeholder":true,"num":1}]]',
    );
    expect(sink).toEqual(["", a, b]);
  });

  it("leaves the sink with its first item only when it gives up", () => {
    const sink: [unknown, ...BinaryData[]] = [""];
    expect(stringifyPlain(["f", new Uint8Array(1), new Date(0)], sink)).toBeUndefined();
    expect(sink).toEqual([""]);
  });

  it("takes typical event arguments, gives up on toJSON, class instances, __proto__ keys and large values", () => {
    expect(stringifyPlain(["msg", "hi", 1, true, null, { a: [1, { b: "c" }] }], [""])).toBe(
      '["msg","hi",1,true,null,{"a":[1,{"b":"c"}]}]',
    );
    expect(stringifyPlain(["p", JSON.parse('{"__proto__":1}')], [""])).toBeUndefined();
    expect(stringifyPlain(["d", new Date(0)], [""])).toBeUndefined();
    expect(stringifyPlain(["m", new Map()], [""])).toBeUndefined();
    expect(stringifyPlain(["big", Array.from({ length: 100 }, (_, i) => i)], [""])).toBeUndefined();
    expect(stringifyPlain([[[[[[[[[["deep"]]]]]]]]]], [""])).toBeUndefined();
    expect(stringifyPlain(["n", 1n], [""])).toBeUndefined();
  });
});
