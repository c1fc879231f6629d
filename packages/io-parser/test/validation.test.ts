import { describe, expect, it } from "vitest";
import { PacketType, isPacketValid, type Packet } from "@sockwave/io-parser";

describe("isPacketValid", () => {
  const valid: Packet[] = [
    { type: PacketType.CONNECT, nsp: "/" },
    { type: PacketType.CONNECT, nsp: "/a", data: { token: 1 } },
    { type: PacketType.DISCONNECT, nsp: "/" },
    { type: PacketType.EVENT, nsp: "/", data: ["e", 1] },
    { type: PacketType.EVENT, nsp: "/", data: [7], id: 3 },
    { type: PacketType.ACK, nsp: "/", data: [], id: 0 },
    { type: PacketType.ACK, nsp: "/", data: [] },
    { type: PacketType.CONNECT_ERROR, nsp: "/", data: "refused" },
    { type: PacketType.CONNECT_ERROR, nsp: "/", data: { message: "refused" } },
  ];
  for (const packet of valid) {
    it(`accepts ${JSON.stringify(packet)}`, () => expect(isPacketValid(packet)).toBe(true));
  }

  const invalid: Array<[string, unknown]> = [
    ["a non-string namespace", { type: PacketType.EVENT, nsp: 1, data: ["e"] }],
    ["a fractional ack id", { type: PacketType.EVENT, nsp: "/", data: ["e"], id: 1.5 }],
    ["a string ack id", { type: PacketType.EVENT, nsp: "/", data: ["e"], id: "1" }],
    ["CONNECT with array data", { type: PacketType.CONNECT, nsp: "/", data: [] }],
    ["DISCONNECT with data", { type: PacketType.DISCONNECT, nsp: "/", data: {} }],
    ["EVENT without data", { type: PacketType.EVENT, nsp: "/" }],
    ["EVENT with an empty array", { type: PacketType.EVENT, nsp: "/", data: [] }],
    ["EVENT with a reserved name", { type: PacketType.EVENT, nsp: "/", data: ["disconnecting"] }],
    ["ACK with object data", { type: PacketType.ACK, nsp: "/", data: {} }],
    ["CONNECT_ERROR with a number", { type: PacketType.CONNECT_ERROR, nsp: "/", data: 1 }],
    ["a binary type (the encoder picks those)", { type: PacketType.BINARY_EVENT, nsp: "/", data: ["e"] }],
    ["an unknown type", { type: 9, nsp: "/" }],
    ["null", null],
  ];
  for (const [name, packet] of invalid) {
    it(`refuses ${name}`, () => expect(isPacketValid(packet as Packet)).toBe(false));
  }
});
