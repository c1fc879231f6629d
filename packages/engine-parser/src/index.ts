// @sockwave/engine-parser: the Engine.IO protocol 4 codec with the API of engine.io-parser 5.2.
// The browser build is this same entry with ./node/platform swapped for ./browser/platform.
export type { BinaryData, BinaryType, Packet, PacketOptions, PacketType, RawData } from "./commons";
export { decodePacket, encodePacket, encodePacketSync, encodePacketToBytes, encodeTextPacket } from "./packet";
export { decodePayload, encodePayload, encodePayloadSync } from "./payload";
export { createPacketDecoderStream, createPacketEncoderStream, encodePacketToFrame } from "./stream";

/** The Engine.IO protocol revision this codec speaks. */
export const protocol = 4;
