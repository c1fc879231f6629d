/** The Engine.IO packet model shared by the server's transports and socket (engine.io-parser's shapes). */

export type PacketType = "open" | "close" | "ping" | "pong" | "message" | "upgrade" | "noop" | "error";

/** Binary payloads the server accepts from users; received binaries are always Node Buffers. */
export type BinaryData = Buffer | ArrayBuffer | ArrayBufferView;

export type RawData = string | BinaryData;

export interface PacketOptions {
  /** Whether the payload may be compressed (permessage-deflate, HTTP compression). Defaults to true. */
  compress?: boolean;
}

export interface Packet {
  type: PacketType;
  options?: PacketOptions;
  data?: RawData;
}

/** Packet type -> wire digit. */
export const PACKET_CODES: Readonly<Record<PacketType, number>> = {
  open: 0,
  close: 1,
  ping: 2,
  pong: 3,
  message: 4,
  upgrade: 5,
  noop: 6,
  error: -1,
};

export function isBinaryData(data: unknown): data is BinaryData {
  return Buffer.isBuffer(data) || data instanceof ArrayBuffer || ArrayBuffer.isView(data);
}

/** Views a user binary as a Buffer without copying. */
export function toBuffer(data: BinaryData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}
