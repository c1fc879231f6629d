import { PACKET_CODES, PACKET_TYPES, PARSE_ERROR, isBinaryData, toBuffer, type Packet, type RawData } from "../packet";

/**
 * Synchronous protocol 4 codec for the server's hot paths (engine.io-parser 5's wire format).
 * Kept here rather than in @sockwave/engine-parser because the server needs sync, allocation-light helpers.
 */

export const RECORD_SEPARATOR = "\x1e";

/** A packet as it travels in a polling body: text packets as-is, binaries as `b<base64>`. */
export function encodePacketToString(packet: Packet): string {
  const data = packet.data;
  if (data !== undefined && isBinaryData(data)) return "b" + toBuffer(data).toString("base64");
  return data === undefined ? String(PACKET_CODES[packet.type]) : PACKET_CODES[packet.type] + String(data);
}

export function encodePayload(packets: readonly Packet[]): string {
  let out = "";
  for (let i = 0; i < packets.length; i++) {
    if (i > 0) out += RECORD_SEPARATOR;
    out += encodePacketToString(packets[i]!);
  }
  return out;
}

export function decodePacket(data: RawData): Packet {
  if (typeof data !== "string") return { type: "message", data: isBinaryData(data) ? toBuffer(data) : data };
  if (data.length === 0) return PARSE_ERROR;
  const code = data.charCodeAt(0);
  if (code === 98 /* b */) return { type: "message", data: Buffer.from(data.slice(1), "base64") };
  const type = PACKET_TYPES[code - 48];
  if (type === undefined) return PARSE_ERROR;
  return data.length > 1 ? { type, data: data.slice(1) } : { type };
}

/** Decodes a polling body; stops at (and includes) the first malformed packet. */
export function decodePayload(payload: string): Packet[] {
  const packets: Packet[] = [];
  let start = 0;
  while (start <= payload.length) {
    let end = payload.indexOf(RECORD_SEPARATOR, start);
    if (end === -1) end = payload.length;
    const packet = decodePacket(payload.slice(start, end));
    packets.push(packet);
    if (packet.type === "error") break;
    start = end + 1;
  }
  return packets;
}
