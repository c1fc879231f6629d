import { describe, expectTypeOf, it } from "vitest";
import { Decoder, Encoder, PacketType, type BinaryData, type DecodedPacket, type EncodedPacket, type Packet } from "@sockwave/io-parser";

describe("public types", () => {
  it("the decoded event narrows by type", () => {
    new Decoder().on("decoded", (packet) => {
      expectTypeOf(packet).toEqualTypeOf<DecodedPacket>();
      if (packet.type === PacketType.EVENT) {
        expectTypeOf(packet.data[0]).toEqualTypeOf<string | number>();
        expectTypeOf(packet.id).toEqualTypeOf<number | undefined>();
      } else if (packet.type === PacketType.ACK) {
        expectTypeOf(packet.id).toEqualTypeOf<number>();
      } else if (packet.type === PacketType.CONNECT_ERROR) {
        expectTypeOf(packet.data).toEqualTypeOf<string | Record<string, unknown>>();
      }
    });
  });

  it("encode returns the text first, then binaries", () => {
    const encoded = new Encoder().encode({ type: PacketType.EVENT, nsp: "/", data: ["x"] });
    expectTypeOf(encoded).toEqualTypeOf<EncodedPacket>();
    expectTypeOf(encoded[0]).toEqualTypeOf<string>();
    expectTypeOf(encoded.slice(1)).toEqualTypeOf<Array<string | BinaryData>>();
  });

  it("a decoded packet can be encoded again (relays, adapters)", () => {
    expectTypeOf<DecodedPacket>().toExtend<Packet>();
  });

  it("the decoder accepts what Engine.IO hands over", () => {
    expectTypeOf<string>().toExtend<Parameters<Decoder["add"]>[0]>();
    expectTypeOf<Buffer>().toExtend<Parameters<Decoder["add"]>[0]>();
    expectTypeOf<ArrayBuffer>().toExtend<Parameters<Decoder["add"]>[0]>();
    expectTypeOf<Blob>().toExtend<Parameters<Decoder["add"]>[0]>();
  });

  it("only the decoded event can be listened to", () => {
    // @ts-expect-error unknown event name
    new Decoder().on("error", () => undefined);
  });
});
