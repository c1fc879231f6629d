// Binary handling of the Node build. The browser build swaps this module for ../browser/platform.ts
// (see browser-build.ts at the package root); both export the same functions.
import { Buffer } from "node:buffer";
import { exactArrayBuffer, isBlob, type BinaryData, type BinaryType } from "../commons";

/** A Buffer over the bytes of an ArrayBuffer or view, without copying. */
export function toBytes(data: ArrayBuffer | ArrayBufferView): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

export function toBase64(data: ArrayBuffer | ArrayBufferView): string {
  return toBytes(data).toString("base64");
}

/** Lenient: characters outside the (standard or URL-safe) alphabet are skipped. */
export function fromBase64(base64: string): Uint8Array {
  return Buffer.from(base64, "base64");
}

/** Incoming binary as a Buffer, or as an ArrayBuffer of exactly its bytes for "arraybuffer". */
export function mapBinary(data: BinaryData, binaryType: BinaryType | undefined): BinaryData {
  // a Blob cannot be read synchronously: hand it back as it came
  if (isBlob(data)) return data;
  if (binaryType === "arraybuffer") return data instanceof ArrayBuffer ? data : exactArrayBuffer(data);
  return toBytes(data);
}

/** UTF-8 bytes of a string (lone surrogates become U+FFFD). */
export function encodeUtf8(text: string): Uint8Array {
  return Buffer.from(text, "utf8");
}
