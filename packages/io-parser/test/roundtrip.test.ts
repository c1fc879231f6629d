import { describe, expect, it } from "vitest";
import { Decoder, Encoder, PacketType, protocol, type DecodedPacket, type Packet } from "@sockwave/io-parser";

function decodeAll(chunks: ReadonlyArray<string | ArrayBuffer | ArrayBufferView | Blob>): DecodedPacket[] {
  const decoder = new Decoder();
  const out: DecodedPacket[] = [];
  decoder.on("decoded", (packet) => out.push(packet));
  for (const chunk of chunks) decoder.add(chunk);
  return out;
}

function roundTrip(packet: Packet): DecodedPacket[] {
  return decodeAll(new Encoder().encode(packet));
}

describe("encode then decode", () => {
  it("speaks protocol 5", () => {
    expect(protocol).toBe(5);
  });

  it("CONNECT to the main namespace, with and without auth", () => {
    expect(new Encoder().encode({ type: PacketType.CONNECT, nsp: "/" })).toEqual(["0"]);
    expect(roundTrip({ type: PacketType.CONNECT, nsp: "/" })).toStrictEqual([{ type: PacketType.CONNECT, nsp: "/" }]);
    expect(new Encoder().encode({ type: PacketType.CONNECT, nsp: "/admin", data: { token: "x" } })).toEqual([
      '0/admin,{"token":"x"}',
    ]);
    expect(roundTrip({ type: PacketType.CONNECT, nsp: "/admin", data: { token: "x" } })).toStrictEqual([
      { type: PacketType.CONNECT, nsp: "/admin", data: { token: "x" } },
    ]);
  });

  it("DISCONNECT", () => {
    expect(new Encoder().encode({ type: PacketType.DISCONNECT, nsp: "/chat" })).toEqual(["1/chat,"]);
    expect(roundTrip({ type: PacketType.DISCONNECT, nsp: "/chat" })).toStrictEqual([
      { type: PacketType.DISCONNECT, nsp: "/chat" },
    ]);
  });

  it("EVENT with and without ack id", () => {
    expect(new Encoder().encode({ type: PacketType.EVENT, nsp: "/", data: ["hi", 1, null] })).toEqual(['2["hi",1,null]']);
    expect(new Encoder().encode({ type: PacketType.EVENT, nsp: "/a", id: 12, data: ["hi"] })).toEqual(['2/a,12["hi"]']);
    expect(roundTrip({ type: PacketType.EVENT, nsp: "/a", id: 12, data: ["hi", { x: [1] }] })).toStrictEqual([
      { type: PacketType.EVENT, nsp: "/a", id: 12, data: ["hi", { x: [1] }] },
    ]);
  });

  it("ACK", () => {
    expect(new Encoder().encode({ type: PacketType.ACK, nsp: "/", id: 3, data: ["ok"] })).toEqual(['33["ok"]']);
    expect(roundTrip({ type: PacketType.ACK, nsp: "/", id: 3, data: [] })).toStrictEqual([
      { type: PacketType.ACK, nsp: "/", id: 3, data: [] },
    ]);
  });

  it("CONNECT_ERROR with an object or a string", () => {
    expect(new Encoder().encode({ type: PacketType.CONNECT_ERROR, nsp: "/x", data: { message: "Invalid namespace" } })).toEqual([
      '4/x,{"message":"Invalid namespace"}',
    ]);
    expect(roundTrip({ type: PacketType.CONNECT_ERROR, nsp: "/", data: "nope" })).toStrictEqual([
      { type: PacketType.CONNECT_ERROR, nsp: "/", data: "nope" },
    ]);
  });

  it("BINARY_EVENT: placeholders and attachments, reconstructed in place", () => {
    const a = new Uint8Array([1, 2, 3]);
    const b = new ArrayBuffer(2);
    const encoded = new Encoder().encode({ type: PacketType.EVENT, nsp: "/", data: ["up", a, { nested: [b] }] });
    expect(encoded).toEqual([
      '52-["up",{"_placeholder":true,"num":0},{"nested":[{"_placeholder":true,"num":1}]}]',
      a,
      b,
    ]);
    const [decoded] = decodeAll(encoded);
    expect(decoded).toStrictEqual({ type: PacketType.EVENT, nsp: "/", data: ["up", a, { nested: [b] }] });
  });

  it("BINARY_ACK with namespace and id", () => {
    const buf = new Uint8Array([9]);
    const encoded = new Encoder().encode({ type: PacketType.ACK, nsp: "/n", id: 7, data: [buf] });
    expect(encoded).toEqual(['61-/n,7[{"_placeholder":true,"num":0}]', buf]);
    expect(decodeAll(encoded)).toStrictEqual([{ type: PacketType.ACK, nsp: "/n", id: 7, data: [buf] }]);
  });
});
