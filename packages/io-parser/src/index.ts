export { Encoder, type EncodedPacket, type JSONReplacer } from "./encoder";
export { Decoder, type DecoderEvents, type DecoderOptions, type JSONReviver } from "./decoder";
export { DecodeError } from "./errors";
export { isPacketValid, RESERVED_EVENTS } from "./validation";
export { isBinary, hasBinary } from "./binary";
export { TypedEmitter, type EventsMap } from "./emitter";
export {
  protocol,
  PacketType,
  type Packet,
  type DecodedPacket,
  type ConnectPacket,
  type DisconnectPacket,
  type EventPacket,
  type AckPacket,
  type ConnectErrorPacket,
  type PacketObject,
  type BinaryData,
  type Base64Attachment,
  type DecoderChunk,
} from "./packet";
