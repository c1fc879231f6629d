import * as parserV4 from "@sockwave/engine-parser";
import * as parserV3 from "@sockwave/engine-parser/v3";
import type { Packet, RawData } from "./packet";

/**
 * The server's synchronous view of @sockwave/engine-parser for both protocol revisions. Received
 * binaries are always Node Buffers (the parser's Node default); packets stop at the first malformed one,
 * which is included as an `error` packet.
 */

type ParserPacket = parserV4.Packet;

export function decodePacket(protocol: 3 | 4, data: RawData): Packet {
  const packet = protocol === 4 ? parserV4.decodePacket(data, "nodebuffer") : parserV3.decodePacket(data, "nodebuffer");
  return packet as Packet;
}

export function decodePayload(protocol: 3 | 4, payload: string | Buffer): Packet[] {
  if (protocol === 4) {
    return typeof payload === "string" ? (parserV4.decodePayload(payload, "nodebuffer") as Packet[]) : [{ type: "error", data: "parser error" }];
  }
  const packets: Packet[] = [];
  parserV3.decodePayload(payload, "nodebuffer", (packet) => {
    packets.push(packet as Packet);
    return packet.type !== "error";
  });
  return packets;
}

/** A polling body: text for protocol 4; text or the XHR2 binary format for protocol 3. */
export function encodePayload(protocol: 3 | 4, packets: Packet[], supportsBinary: boolean): string | Buffer {
  const parserPackets = packets as ParserPacket[];
  return protocol === 4 ? parserV4.encodePayloadSync(parserPackets) : parserV3.encodePayloadSync(parserPackets, supportsBinary);
}

/** One protocol 3 packet for a WebSocket frame (binary with a leading type byte, or `b<type><base64>`). */
export function encodePacketV3(packet: Packet, supportsBinary: boolean): string | Buffer {
  return parserV3.encodePacketSync(packet as ParserPacket, supportsBinary);
}
