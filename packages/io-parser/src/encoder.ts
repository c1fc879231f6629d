import { arrayHasBinary, hasBinary, replaceBinaries } from "./binary";
import { PacketType, type BinaryData, type Packet } from "./packet";

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
      // Event arguments are an array; its primitives are checked inline, objects recursively.
      if (Array.isArray(data) ? arrayHasBinary(data) : hasBinary(data)) {
        return this.encodeWithAttachments(
          type === PacketType.EVENT ? PacketType.BINARY_EVENT : PacketType.BINARY_ACK,
          packet,
        );
      }
    }
    return [this.encodeText(type, undefined, packet.nsp, packet.id, packet.data, packet.attachments)];
  }

  private encodeWithAttachments(
    type: PacketType.BINARY_EVENT | PacketType.BINARY_ACK,
    packet: Packet,
  ): EncodedPacket {
    const attachments: BinaryData[] = [];
    const data = replaceBinaries(packet.data, attachments);
    const text = this.encodeText(type, attachments.length, packet.nsp, packet.id, data, undefined);
    return [text, ...attachments];
  }

  /** `<type>[<attachments>-][<nsp>,][<id>][<json>]`, the namespace omitted for "/". */
  private encodeText(
    type: PacketType,
    attachmentCount: number | undefined,
    nsp: string,
    id: number | undefined,
    data: unknown,
    declaredAttachments: number | undefined,
  ): string {
    let text = "" + type;
    if (type === PacketType.BINARY_EVENT || type === PacketType.BINARY_ACK) {
      // A caller passing a binary type directly declares the count itself, as with the official encoder.
      text += (attachmentCount ?? declaredAttachments) + "-";
    }
    if (nsp && nsp !== "/") text += nsp + ",";
    if (id != null) text += id;
    if (data != null) text += JSON.stringify(data, this.replacer);
    return text;
  }
}
