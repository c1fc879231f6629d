import { arrayHasBinary, hasBinary, replaceBinaries } from "./binary";
import { PACKET_TYPE_NAMES, PacketType, type BinaryData, type Packet } from "./packet";
import { stringifyPlain } from "./plain-json";

/** A JSON.stringify replacer. */
export type JSONReplacer = (this: unknown, key: string, value: unknown) => unknown;

/** The encoder's output: the packet's text, then its binary attachments in placeholder order. */
export type EncodedPacket = [text: string, ...attachments: BinaryData[]];

/**
 * Encodes packets into Engine.IO messages: one string, followed by one binary message per
 * attachment for packets that carry binary data. Output is byte-identical to socket.io-parser 4.2.
 */
export class Encoder {
  /** @param replacer passed to JSON.stringify for every payload */
  constructor(private readonly replacer?: JSONReplacer) {}

  encode(packet: Packet): EncodedPacket {
    const type = packet.type;
    if (type === PacketType.EVENT || type === PacketType.ACK) {
      const data = packet.data;
      if (data != null && this.replacer === undefined) {
        // The common case: small plain arguments, serialised in one pass that also collects binaries.
        const encoded: EncodedPacket = [""];
        const json = stringifyPlain(data, encoded);
        if (json !== undefined) {
          const attachments = encoded.length - 1;
          encoded[0] = header(attachments === 0 ? type : binaryTypeOf(type), attachments, packet.nsp, packet.id) + json;
          return encoded;
        }
      }
      let binary: boolean;
      try {
        binary = Array.isArray(data) ? arrayHasBinary(data) : hasBinary(data);
      } catch (error) {
        // The scan recurses like JSON.stringify; say why rather than "Maximum call stack size exceeded".
        if (error instanceof RangeError) {
          throw new TypeError(`cannot encode the ${PACKET_TYPE_NAMES[type]} packet: its data is circular or nested too deeply`);
        }
        throw error;
      }
      if (binary) return this.encodeWithAttachments(binaryTypeOf(type), packet);
    }
    // A caller passing a binary type directly declares the attachment count itself, as with the official encoder.
    return [header(type, packet.attachments, packet.nsp, packet.id) + this.json(packet.data)];
  }

  private encodeWithAttachments(
    type: PacketType.BINARY_EVENT | PacketType.BINARY_ACK,
    packet: Packet,
  ): EncodedPacket {
    const encoded: EncodedPacket = [""];
    const data = replaceBinaries(packet.data, encoded);
    encoded[0] = header(type, encoded.length - 1, packet.nsp, packet.id) + this.json(data);
    return encoded;
  }

  private json(data: unknown): string {
    return data != null ? JSON.stringify(data, this.replacer) : "";
  }
}

function binaryTypeOf(type: PacketType.EVENT | PacketType.ACK): PacketType.BINARY_EVENT | PacketType.BINARY_ACK {
  return type === PacketType.EVENT ? PacketType.BINARY_EVENT : PacketType.BINARY_ACK;
}

/** `<type>[<attachments>-][<nsp>,][<id>]`: everything before the JSON, the namespace omitted for "/". */
function header(type: PacketType, attachments: number | undefined, nsp: string, id: number | undefined): string {
  let text = "" + type;
  if (type === PacketType.BINARY_EVENT || type === PacketType.BINARY_ACK) text += attachments + "-";
  if (nsp && nsp !== "/") text += nsp + ",";
  if (id != null) text += id;
  return text;
}
