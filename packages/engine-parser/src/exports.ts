// What both builds export besides the codec functions.
export type { BinaryData, BinaryType, Packet, PacketOptions, PacketType, RawData } from "./commons";
export type { PacketCodec } from "./codec";
export { encodeTextPacket } from "./text";

/** The Engine.IO protocol revision this codec speaks. */
export const protocol = 4;
