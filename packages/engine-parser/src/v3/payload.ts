// Protocol 3 polling payloads (engine.io-parser 2.2). Text: "<length>:<packet>" repeated, the length
// counted in UTF-16 code units, binary as "b" + type digit + base64. Binary (XHR2): per packet a
// marker byte (0 text, 1 binary), the length as one byte per decimal digit, 255, then the bytes.
import { Buffer } from "node:buffer";
import { errorPacket, isBinary, isBufferSource, type BinaryType, type Packet } from "../commons";
import { splitAtCallback } from "./arguments";
import { decodePacket, encodePacketSync, toBuffer } from "./packet";

/** Receives each decoded packet with its position; returning `false` stops a text payload's decoding. */
export type PayloadCallback = (packet: Packet, index: number, total: number) => boolean | void;

const EMPTY_TEXT_PAYLOAD = "0:";
const TEXT_MARKER = 0;
const BINARY_MARKER = 1;
const LENGTH_END = 255;
/** Longest length field engine.io-parser 2 reads (the digits of Number.MAX_VALUE) before giving up. */
const MAX_LENGTH_DIGITS = 310;

/**
 * Sockwave addition: `encodePayload` without the callback: a Buffer in the binary format when the
 * client `supportsBinary` and a packet is binary, else the text format.
 */
export function encodePayloadSync(packets: Packet[], supportsBinary = false): string | Buffer {
  if (supportsBinary && packets.some((packet) => isBinary(packet.data))) return encodePayloadAsBinarySync(packets);
  if (packets.length === 0) return EMPTY_TEXT_PAYLOAD;
  let payload = "";
  for (const packet of packets) {
    const encoded = encodePacketSync(packet, supportsBinary) as string;
    payload += encoded.length + ":" + encoded;
  }
  return payload;
}

/** Encodes packets into one polling body (see `encodePayloadSync`); the callback runs synchronously. */
export function encodePayload(packets: Packet[], callback: (payload: string | Buffer) => void): void;
export function encodePayload(
  packets: Packet[],
  supportsBinary: boolean | null | undefined,
  callback: (payload: string | Buffer) => void,
): void;
export function encodePayload(
  packets: Packet[],
  ...rest: [(payload: string | Buffer) => void] | [boolean | null | undefined, (payload: string | Buffer) => void]
): void {
  const { optional, callback } = splitAtCallback<(payload: string | Buffer) => void>("encodePayload", rest);
  callback(encodePayloadSync(packets, Boolean(optional[0])));
}

/** Sockwave addition: `encodePayloadAsBinary` without the callback. */
export function encodePayloadAsBinarySync(packets: Packet[]): Buffer {
  const parts: Buffer[] = [];
  for (const packet of packets) {
    const encoded = encodePacketSync(packet, true, true);
    const bytes = typeof encoded === "string" ? Buffer.from(encoded, "latin1") : encoded;
    const digits = String(bytes.length);
    const header = Buffer.allocUnsafe(digits.length + 2);
    header[0] = typeof encoded === "string" ? TEXT_MARKER : BINARY_MARKER;
    for (let i = 0; i < digits.length; i++) header[i + 1] = digits.charCodeAt(i) - 48;
    header[header.length - 1] = LENGTH_END;
    parts.push(header, bytes);
  }
  return Buffer.concat(parts);
}

/** Encodes packets in the XHR2 binary payload format; the callback runs synchronously. */
export function encodePayloadAsBinary(packets: Packet[], callback: (payload: Buffer) => void): void {
  callback(encodePayloadAsBinarySync(packets));
}

/**
 * Decodes a polling body: a string in the text format, binary in the XHR2 format. Packets go to the
 * callback as they are read; a malformed text payload ends with one `(errorPacket, 0, 1)` call.
 */
export function decodePayload(payload: string | ArrayBuffer | ArrayBufferView, callback: PayloadCallback): void;
export function decodePayload(
  payload: string | ArrayBuffer | ArrayBufferView,
  binaryType: BinaryType | null | undefined,
  callback: PayloadCallback,
): void;
export function decodePayload(
  payload: string | ArrayBuffer | ArrayBufferView,
  ...rest: [PayloadCallback] | [BinaryType | null | undefined, PayloadCallback]
): void {
  const { optional, callback } = splitAtCallback<PayloadCallback>("decodePayload", rest);
  const binaryType = (optional[0] as BinaryType | null | undefined) ?? undefined;
  if (typeof payload !== "string") return decodePayloadAsBinary(payload, binaryType, callback);
  if (payload === "") return void callback(errorPacket(), 0, 1);

  let start = 0;
  while (start < payload.length) {
    const colon = payload.indexOf(":", start);
    if (colon === -1) break;
    const lengthText = payload.substring(start, colon);
    // the length is read as engine.io-parser 2 reads it, with Number(): it must then match exactly
    const length = Number(lengthText);
    const message = payload.substr(colon + 1, length);
    if (lengthText === "" || length !== message.length) return void callback(errorPacket(), 0, 1);
    if (message.length > 0) {
      const packet = decodePacket(message, binaryType, false);
      if (packet.type === "error") return void callback(errorPacket(), 0, 1);
      if (callback(packet, colon + length, payload.length) === false) return;
    }
    start = colon + length + 1;
  }
  // characters left over without a ":" are a truncated length
  if (start < payload.length) callback(errorPacket(), 0, 1);
}

/**
 * Decodes the XHR2 binary payload format. Every packet is read first; an unreadable length field
 * gives a single `(errorPacket, 0, 1)` call, and each packet then goes to the callback in turn.
 */
export function decodePayloadAsBinary(payload: ArrayBuffer | ArrayBufferView, callback: PayloadCallback): void;
export function decodePayloadAsBinary(
  payload: ArrayBuffer | ArrayBufferView,
  binaryType: BinaryType | null | undefined,
  callback: PayloadCallback,
): void;
export function decodePayloadAsBinary(
  payload: ArrayBuffer | ArrayBufferView,
  ...args: [PayloadCallback] | [BinaryType | null | undefined, PayloadCallback]
): void {
  const { optional, callback } = splitAtCallback<PayloadCallback>("decodePayloadAsBinary", args);
  const binaryType = (optional[0] as BinaryType | null | undefined) ?? undefined;
  // untyped callers may hand over anything: only real binary is an XHR2 payload
  if (!isBufferSource(payload)) return void callback(errorPacket(), 0, 1);
  let rest = toBuffer(payload);
  const messages: Array<string | Buffer> = [];
  while (rest.length > 0) {
    const isText = rest[0] === TEXT_MARKER;
    // the length field is built the way engine.io-parser 2 builds it: the decimal text of each byte
    // up to 255 (past the end of input, "undefined"), consuming one byte per character of that text
    let lengthText = "";
    for (let i = 1; rest[i] !== LENGTH_END; i++) {
      if (lengthText.length > MAX_LENGTH_DIGITS) return void callback(errorPacket(), 0, 1);
      lengthText += String(rest[i]);
    }
    rest = rest.subarray(lengthText.length + 1);
    const length = parseInt(lengthText, 10);
    const message = rest.subarray(1, length + 1);
    messages.push(isText ? message.toString("latin1") : message);
    rest = rest.subarray(length + 1);
  }
  for (let i = 0; i < messages.length; i++) {
    callback(decodePacket(messages[i], binaryType, true), i, messages.length);
  }
}
