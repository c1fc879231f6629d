// Protocol 3 (Engine.IO v3, socket.io v2 clients): the API of engine.io-parser 2.2. Node only.
export {
  packets,
  encodePacket,
  encodePacketSync,
  encodeBase64Packet,
  decodePacket,
  decodeBase64Packet,
} from "./packet";
export {
  encodePayload,
  encodePayloadSync,
  encodePayloadAsBinary,
  encodePayloadAsBinarySync,
  decodePayload,
  decodePayloadAsBinary,
  type PayloadCallback,
} from "./payload";
export type { BinaryType, Packet, PacketOptions, PacketType, RawData } from "../commons";

/** The Engine.IO protocol revision this codec speaks. */
export const protocol = 3;
