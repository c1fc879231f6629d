// Protocol 3 packets (engine.io-parser 2.2): text is the type digit and the data; binary carries a
// leading type byte on WebSocket frames, or is "b" + type digit + base64 where binary is not supported.
import { Buffer } from "node:buffer";
import {
  digitOf,
  errorPacket,
  isBlob,
  isBufferSource,
  packetTypeOfCharCode,
  packetTypeOfNumber,
  type BinaryType,
  type Packet,
  type PacketType,
} from "../commons";
import { splitAtCallback } from "./arguments";
import { byteStringToUtf8, utf8ToByteString } from "./utf8";

/** Packet types and their numbers, as engine.io-parser 2 exports them. */
export const packets: Readonly<Record<Exclude<PacketType, "error">, number>> = {
  open: 0,
  close: 1,
  ping: 2,
  pong: 3,
  message: 4,
  upgrade: 5,
  noop: 6,
};

const BASE64_MARKER = "b";
const CHAR_CODE_ZERO = 48;

/** A Buffer over the bytes of an ArrayBuffer or view, without copying. */
export function toBuffer(data: ArrayBuffer | ArrayBufferView): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

function unsupportedBlob(): TypeError {
  return new TypeError("engine-parser/v3: Blob data is not supported by the protocol 3 codec; pass a Buffer or ArrayBuffer");
}

/**
 * Sockwave addition: `encodePacket` without the callback. Binary becomes a Buffer with a leading type
 * byte when `supportsBinary`, else "b" + type digit + base64; `utf8encode` turns text data into a
 * UTF-8 byte string (what binary payloads carry).
 */
export function encodePacketSync(packet: Packet, supportsBinary = false, utf8encode = false): string | Buffer {
  const data = packet.data;
  // text first: it is what nearly every packet carries (unlike protocol 4, "" is written too)
  if (typeof data === "string" && !utf8encode) return digitOf(packet.type) + data;
  if (isBufferSource(data)) {
    if (!supportsBinary) return encodeBase64PacketSync(packet);
    const bytes = toBuffer(data);
    const frame = Buffer.allocUnsafe(bytes.length + 1);
    frame[0] = digitOf(packet.type).charCodeAt(0) - CHAR_CODE_ZERO;
    bytes.copy(frame, 1);
    return frame;
  }
  if (isBlob(data)) throw unsupportedBlob();
  const digit = digitOf(packet.type);
  if (data === undefined) return digit;
  return digit + (utf8encode ? utf8ToByteString(String(data)) : String(data));
}

type EncodedCallback = (encoded: string | Buffer) => void;

/** Encodes one packet: `(packet, [supportsBinary], [utf8encode], callback)`; the callback runs synchronously. */
export function encodePacket(packet: Packet, callback: EncodedCallback): void;
export function encodePacket(packet: Packet, supportsBinary: boolean | null | undefined, callback: EncodedCallback): void;
export function encodePacket(
  packet: Packet,
  supportsBinary: boolean | null | undefined,
  utf8encode: boolean | null | undefined,
  callback: EncodedCallback,
): void;
export function encodePacket(
  packet: Packet,
  ...rest: [EncodedCallback] | [boolean | null | undefined, EncodedCallback] | [boolean | null | undefined, boolean | null | undefined, EncodedCallback]
): void {
  const { optional, callback } = splitAtCallback<EncodedCallback>("encodePacket", rest);
  callback(encodePacketSync(packet, Boolean(optional[0]), Boolean(optional[1])));
}

function encodeBase64PacketSync(packet: Packet): string {
  const data = packet.data;
  if (!isBufferSource(data)) {
    throw new TypeError("engine-parser/v3: encodeBase64Packet needs binary data (a Buffer, ArrayBuffer or typed array)");
  }
  return BASE64_MARKER + digitOf(packet.type) + toBuffer(data).toString("base64");
}

/** Encodes a binary packet as "b" + type digit + base64. */
export function encodeBase64Packet(packet: Packet, callback: (encoded: string) => void): void {
  callback(encodeBase64PacketSync(packet));
}

/** Decoded binary in the requested form: a Buffer, or a fresh ArrayBuffer for "arraybuffer". */
function binaryAs(bytes: Buffer, binaryType: BinaryType | undefined): Buffer | ArrayBuffer {
  if (binaryType !== "arraybuffer") return bytes;
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/**
 * Decodes a packet encoded as "b" + type digit + base64. An unknown type digit gives the error packet
 * (engine.io-parser 2 returns a packet whose type is undefined).
 */
export function decodeBase64Packet(encoded: string, binaryType?: BinaryType): Packet {
  const type = packetTypeOfCharCode(encoded.charCodeAt(0));
  if (type === undefined) return errorPacket();
  return { type, data: binaryAs(Buffer.from(encoded.substring(1), "base64"), binaryType) };
}

/**
 * Decodes one packet: text (type digit + data; `utf8decode` reads a UTF-8 byte string), "b" + base64,
 * or binary with a leading type byte. Unreadable input gives `{ type: "error", data: "parser error" }`.
 */
export function decodePacket(encoded: string | ArrayBuffer | ArrayBufferView | undefined, binaryType?: BinaryType, utf8decode?: boolean): Packet {
  if (encoded === undefined) return errorPacket();
  if (typeof encoded === "string") {
    if (encoded.charAt(0) === BASE64_MARKER) return decodeBase64Packet(encoded.substring(1), binaryType);
    const type = packetTypeOfCharCode(encoded.charCodeAt(0));
    if (type === undefined) return errorPacket();
    const text = utf8decode ? byteStringToUtf8(encoded) : encoded;
    if (text === undefined) return errorPacket();
    return text.length > 1 ? { type, data: text.substring(1) } : { type };
  }
  if (!isBufferSource(encoded)) return errorPacket();
  const bytes = toBuffer(encoded);
  const type = bytes.length > 0 ? packetTypeOfNumber(bytes[0]!) : undefined;
  // an empty frame or an unknown type byte: engine.io-parser 2 returns an undefined type here
  if (type === undefined) return errorPacket();
  return { type, data: binaryAs(bytes.subarray(1), binaryType) };
}
