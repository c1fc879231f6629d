/** The Engine.IO packet types. `error` is never sent: decoders return it for input they cannot read. */
export type PacketType = "open" | "close" | "ping" | "pong" | "message" | "upgrade" | "noop" | "error";

/**
 * Binary data as the platforms hand it over: a Buffer or other typed array / DataView, an
 * ArrayBuffer, or (in browsers) a Blob.
 */
export type BinaryData = ArrayBuffer | ArrayBufferView | Blob;

/** What a packet carries and what an encoded packet is: text or binary. */
export type RawData = string | BinaryData;

/** How decoded binary data is handed back: a Node Buffer, an ArrayBuffer, or a Blob (browsers). */
export type BinaryType = "nodebuffer" | "arraybuffer" | "blob";

/** Per-packet transport options. Transports may add fields through declaration merging. */
export interface PacketOptions {
  compress?: boolean;
}

export interface Packet {
  type: PacketType;
  options?: PacketOptions;
  data?: RawData;
}

/** The packet types that can travel, indexed by their wire digit. */
export const PACKET_TYPE_NAMES = ["open", "close", "ping", "pong", "message", "upgrade", "noop"] as const;

export type WirePacketType = (typeof PACKET_TYPE_NAMES)[number];

/** Wire digit of each packet type that can travel. */
export const PACKET_TYPE_DIGITS: Readonly<Record<WirePacketType, string>> = {
  open: "0",
  close: "1",
  ping: "2",
  pong: "3",
  message: "4",
  upgrade: "5",
  noop: "6",
};

const CHAR_CODE_ZERO = 48;

/** The packet type a number (0 to 6) stands for, or undefined for anything else. */
export function packetTypeOfNumber(number: number): WirePacketType | undefined {
  // a range check rather than an out-of-bounds read, which engines handle on a slow path
  return number >= 0 && number < PACKET_TYPE_NAMES.length ? PACKET_TYPE_NAMES[number] : undefined;
}

/** The packet type a wire digit (as a char code) stands for, or undefined for anything else. */
export function packetTypeOfCharCode(code: number): WirePacketType | undefined {
  return packetTypeOfNumber(code - CHAR_CODE_ZERO);
}

/** The wire digit of a packet type; encoding an `error` packet or an unknown type is a caller bug. */
export function digitOf(type: PacketType): string {
  const digit: unknown = (PACKET_TYPE_DIGITS as Readonly<Record<string, unknown>>)[type];
  // not just `undefined`: names like "constructor" find Object.prototype members
  if (typeof digit !== "string") {
    throw new TypeError(
      `engine-parser: cannot encode a packet of type ${JSON.stringify(type)}; expected one of ${PACKET_TYPE_NAMES.join(", ")}`,
    );
  }
  return digit;
}

/** What decoders return for input they cannot read (a fresh object, so callers may keep it). */
export function errorPacket(): Packet {
  return { type: "error", data: "parser error" };
}

/** The record separator that joins packets in a protocol 4 polling payload. */
export const SEPARATOR = "\x1e";

const hasBlob = typeof Blob === "function";

export function isBlob(data: unknown): data is Blob {
  return hasBlob && data instanceof Blob;
}

/** Synchronously readable binary data: an ArrayBuffer or any view over one. */
export function isBufferSource(data: unknown): data is ArrayBuffer | ArrayBufferView {
  return data instanceof ArrayBuffer || ArrayBuffer.isView(data);
}

export function isBinary(data: unknown): data is BinaryData {
  return isBufferSource(data) || isBlob(data);
}

/** The bytes of an ArrayBuffer or view, without copying. */
export function bytesOf(data: ArrayBuffer | ArrayBufferView): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** The exact bytes of a view as an ArrayBuffer: the view's own buffer when it covers it whole. */
export function exactArrayBuffer(bytes: ArrayBufferView): ArrayBuffer {
  const buffer = bytes.buffer as ArrayBuffer;
  if (bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength) return buffer;
  return buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
}
