import { PACKET_CODES, PACKET_TYPES, PARSE_ERROR, isBinaryData, toBuffer, type Packet, type RawData } from "../packet";

/**
 * Synchronous protocol 3 codec (engine.io-parser 2's wire format) for clients of socket.io 2,
 * enabled by `allowEIO3`. Text payloads are `<utf16 length>:<packet>`; binary payloads are the
 * XHR2 format `<0|1><length digits as bytes><0xff><bytes>`.
 */

function typeDigit(packet: Packet): number {
  return PACKET_CODES[packet.type];
}

/** One packet for a WebSocket frame: text as `<digit><data>`, binary as a leading type byte then the bytes. */
export function encodePacket(packet: Packet, supportsBinary: boolean): string | Buffer {
  const data = packet.data;
  if (data !== undefined && isBinaryData(data)) {
    const bytes = toBuffer(data);
    if (!supportsBinary) return "b" + typeDigit(packet) + bytes.toString("base64");
    const out = Buffer.allocUnsafe(bytes.length + 1);
    out[0] = typeDigit(packet);
    bytes.copy(out, 1);
    return out;
  }
  return data === undefined ? String(typeDigit(packet)) : typeDigit(packet) + String(data);
}

export function decodePacket(data: RawData): Packet {
  if (typeof data === "string") {
    if (data.length === 0) return PARSE_ERROR;
    if (data.charCodeAt(0) === 98 /* b */) {
      const type = PACKET_TYPES[data.charCodeAt(1) - 48];
      if (type === undefined) return PARSE_ERROR;
      return { type, data: Buffer.from(data.slice(2), "base64") };
    }
    const type = PACKET_TYPES[data.charCodeAt(0) - 48];
    if (type === undefined) return PARSE_ERROR;
    return data.length > 1 ? { type, data: data.slice(1) } : { type };
  }
  const bytes = toBuffer(data);
  const type = bytes.length > 0 ? PACKET_TYPES[bytes[0]!] : undefined;
  if (type === undefined) return PARSE_ERROR;
  return { type, data: bytes.subarray(1) };
}

function hasBinary(packets: readonly Packet[]): boolean {
  for (const packet of packets) if (packet.data !== undefined && isBinaryData(packet.data)) return true;
  return false;
}

export function encodePayload(packets: readonly Packet[], supportsBinary: boolean): string | Buffer {
  if (supportsBinary && hasBinary(packets)) return encodeBinaryPayload(packets);
  if (packets.length === 0) return "0:";
  let out = "";
  for (const packet of packets) {
    const encoded = encodePacket(packet, false) as string;
    out += encoded.length + ":" + encoded;
  }
  return out;
}

function encodeBinaryPayload(packets: readonly Packet[]): Buffer {
  const parts: Buffer[] = [];
  for (const packet of packets) {
    const encoded = encodePacket(packet, true);
    const isText = typeof encoded === "string";
    const bytes = isText ? Buffer.from(encoded, "utf8") : encoded;
    const digits = String(bytes.length);
    const header = Buffer.allocUnsafe(digits.length + 2);
    header[0] = isText ? 0 : 1;
    for (let i = 0; i < digits.length; i++) header[i + 1] = digits.charCodeAt(i) - 48;
    header[header.length - 1] = 0xff;
    parts.push(header, bytes);
  }
  return Buffer.concat(parts);
}

/** Decodes a polling body; a malformed body yields a single parse-error packet at the point of failure. */
export function decodePayload(payload: string | Buffer): Packet[] {
  return typeof payload === "string" ? decodeTextPayload(payload) : decodeBinaryPayload(payload);
}

function decodeTextPayload(payload: string): Packet[] {
  const packets: Packet[] = [];
  if (payload.length === 0) return [PARSE_ERROR];
  let i = 0;
  while (i < payload.length) {
    const colon = payload.indexOf(":", i);
    if (colon === -1 || colon === i || colon - i > 16) return fail(packets);
    const lengthText = payload.slice(i, colon);
    if (!/^\d+$/.test(lengthText)) return fail(packets);
    const length = Number(lengthText);
    const message = payload.substr(colon + 1, length);
    if (message.length !== length) return fail(packets);
    if (length > 0) {
      const packet = decodePacket(message);
      if (packet.type === "error") return fail(packets);
      packets.push(packet);
    }
    i = colon + 1 + length;
  }
  return packets;
}

function decodeBinaryPayload(payload: Buffer): Packet[] {
  const packets: Packet[] = [];
  let i = 0;
  while (i < payload.length) {
    const isText = payload[i] === 0;
    if (!isText && payload[i] !== 1) return fail(packets);
    let length = 0;
    let j = i + 1;
    for (; j < payload.length && payload[j] !== 0xff; j++) {
      const digit = payload[j]!;
      if (digit > 9 || j - i > 16) return fail(packets);
      length = length * 10 + digit;
    }
    if (j >= payload.length || j === i + 1 || j + 1 + length > payload.length) return fail(packets);
    const body = payload.subarray(j + 1, j + 1 + length);
    const packet = decodePacket(isText ? body.toString("utf8") : body);
    if (packet.type === "error") return fail(packets);
    packets.push(packet);
    i = j + 1 + length;
  }
  return packets;
}

function fail(packets: Packet[]): Packet[] {
  packets.push(PARSE_ERROR);
  return packets;
}
