import { describe, expectTypeOf, it } from "vitest";
import {
  decodePacket,
  decodePayload,
  encodePacket,
  encodePacketSync,
  type BinaryType,
  type Packet,
  type PacketType,
  type RawData,
} from "@sockwave/engine-parser";
import * as v3 from "@sockwave/engine-parser/v3";

describe("public types", () => {
  it("has no any: RawData is text or binary", () => {
    expectTypeOf<RawData>().not.toBeAny();
    expectTypeOf<string>().toMatchTypeOf<RawData>();
    expectTypeOf<ArrayBuffer>().toMatchTypeOf<RawData>();
    expectTypeOf<Uint8Array>().toMatchTypeOf<RawData>();
    expectTypeOf<Blob>().toMatchTypeOf<RawData>();
    expectTypeOf<number>().not.toMatchTypeOf<RawData>();
    expectTypeOf<{ data: string }>().not.toMatchTypeOf<RawData>();
  });

  it("types the packet and its fields", () => {
    expectTypeOf<Packet["type"]>().toEqualTypeOf<PacketType>();
    expectTypeOf<"message">().toMatchTypeOf<PacketType>();
    expectTypeOf<"data">().not.toMatchTypeOf<PacketType>();
    expectTypeOf<BinaryType>().toEqualTypeOf<"nodebuffer" | "arraybuffer" | "blob">();
    expectTypeOf(decodePacket).returns.toEqualTypeOf<Packet>();
    expectTypeOf(decodePayload).returns.toEqualTypeOf<Packet[]>();
    expectTypeOf(encodePacket).parameter(2).parameter(0).toEqualTypeOf<RawData>();
    expectTypeOf(encodePacketSync).returns.not.toBeAny();
  });

  it("types the protocol 3 callbacks", () => {
    expectTypeOf<typeof v3.protocol>().toEqualTypeOf<3>();
    v3.decodePayload("1:2", (packet, index, total) => {
      expectTypeOf(packet).toEqualTypeOf<Packet>();
      expectTypeOf(index).toBeNumber();
      expectTypeOf(total).toBeNumber();
    });
    v3.encodePacket({ type: "ping" }, (encoded) => expectTypeOf(encoded).toEqualTypeOf<string | Buffer>());
  });
});
