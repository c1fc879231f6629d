// Protocol 4 packets: text is the type digit followed by the data; binary is sent as it is where the
// transport supports it, else as "b" + base64.
import {
  digitOf,
  errorPacket,
  isBinary,
  isBlob,
  isBufferSource,
  packetTypeOfCharCode,
  type BinaryType,
  type Packet,
  type PacketType,
  type RawData,
} from "./commons";
import { encodeUtf8, fromBase64, mapBinary, toBase64, toBytes } from "./node/platform";

const BASE64_MARKER = 98; // "b"

export function blobError(): TypeError {
  return new TypeError(
    "engine-parser: a Blob cannot be encoded synchronously; use encodePacket/encodePayload, which accept Blobs",
  );
}

const MESSAGE_DIGIT_CODE = 52; // "4"

/** The wire digit of a type, with the message type (nearly every packet) settled by one comparison. */
function digitOfType(type: PacketType): string {
  return type === "message" ? "4" : digitOf(type);
}

/**
 * Sockwave addition: the text form of a packet from its type and string data, for hot paths that
 * already know their data is text (`encodeTextPacket("message", "hello")` is `"4hello"`).
 */
export function encodeTextPacket(type: PacketType, data?: string): string {
  // like the official parser: absent or empty data adds nothing
  return data ? digitOfType(type) + data : digitOfType(type);
}

/** Sockwave addition: `encodePacket` without the callback. Throws a TypeError for Blob data. */
export function encodePacketSync(packet: Packet, supportsBinary: boolean): string | ArrayBuffer | ArrayBufferView {
  const data = packet.data;
  // text first: it is what nearly every packet carries (empty data gives the digit alone)
  if (typeof data === "string") return digitOfType(packet.type) + data;
  return encodeNonText(packet, data, supportsBinary);
}

/** Everything but string data, kept out of the text path so that path stays small enough to inline. */
function encodeNonText(
  packet: Packet,
  data: Exclude<RawData, string> | undefined,
  supportsBinary: boolean,
): string | ArrayBuffer | ArrayBufferView {
  if (data === undefined) return digitOfType(packet.type);
  if (isBufferSource(data)) return supportsBinary ? data : "b" + toBase64(data);
  if (isBlob(data)) throw blobError();
  // from untyped callers (a number...): written as text, as the official parser does
  return encodeTextPacket(packet.type, data);
}

/**
 * Encodes one packet for a transport. Binary data is passed through as it is when the transport
 * `supportsBinary`, else sent as "b" + base64; text is the type digit followed by the data. The
 * callback runs synchronously, except for a Blob to be sent as base64 (it has to be read first).
 */
export function encodePacket(packet: Packet, supportsBinary: boolean, callback: (encodedPacket: RawData) => void): void {
  const data = packet.data;
  // the common case as a straight line: no object, no closure, one comparison for the digit
  if (typeof data === "string") return callback(digitOfType(packet.type) + data);
  if (isBlob(data)) return encodeBlob(data, supportsBinary, callback);
  callback(encodeNonText(packet, data, supportsBinary));
}

function encodeBlob(data: Blob, supportsBinary: boolean, callback: (encodedPacket: RawData) => void): void {
  if (supportsBinary) return callback(data);
  void data.arrayBuffer().then((buffer) => callback("b" + toBase64(buffer)));
}

/**
 * Decodes one packet: text, "b" + base64, or binary (a message). Binary comes back as a Buffer in
 * Node, an ArrayBuffer in browsers, or as `binaryType` asks. Unreadable input gives
 * `{ type: "error", data: "parser error" }`.
 */
export function decodePacket(encodedPacket: RawData, binaryType?: BinaryType): Packet {
  if (typeof encodedPacket !== "string") return decodeBinary(encodedPacket, binaryType);
  const first = encodedPacket.charCodeAt(0);
  // a message with data, nearly every packet: one comparison instead of the type lookup
  if (first === MESSAGE_DIGIT_CODE && encodedPacket.length > 1) {
    return { type: "message", data: encodedPacket.substring(1) };
  }
  if (first === BASE64_MARKER) {
    return { type: "message", data: mapBinary(fromBase64(encodedPacket.substring(1)), binaryType) };
  }
  const type = packetTypeOfCharCode(first);
  if (type === undefined) return errorPacket();
  return encodedPacket.length > 1 ? { type, data: encodedPacket.substring(1) } : { type };
}

function decodeBinary(encodedPacket: unknown, binaryType: BinaryType | undefined): Packet {
  // untyped callers may hand over anything: only real binary is a message
  if (!isBinary(encodedPacket)) return errorPacket();
  return { type: "message", data: mapBinary(encodedPacket, binaryType) };
}

/** Sockwave addition: the bytes of a packet (UTF-8 text, or the binary data as it is; a Buffer in Node). */
export function encodePacketToBytes(packet: Packet): Uint8Array {
  const data = packet.data;
  if (isBufferSource(data)) return toBytes(data);
  if (isBlob(data)) throw blobError();
  return encodeUtf8(encodeTextPacket(packet.type, data));
}
