// Binary handling of the browser build, which replaces ../node/platform.ts there: no Buffer, binary
// arrives as an ArrayBuffer (or a Blob on request), base64 is done in JavaScript.
import { base64ToBytes, bytesToBase64 } from "../base64";
import { bytesOf, exactArrayBuffer, isBlob, type BinaryData, type BinaryType } from "../commons";

export { bytesOf as toBytes, base64ToBytes as fromBase64 };

export function toBase64(data: ArrayBuffer | ArrayBufferView): string {
  return bytesToBase64(bytesOf(data));
}

/** Incoming binary as an ArrayBuffer of exactly its bytes, or as a Blob for "blob". */
export function mapBinary(data: BinaryData, binaryType: BinaryType | undefined): BinaryData {
  if (binaryType === "blob") return isBlob(data) ? data : new Blob([data as ArrayBuffer]);
  // a Blob cannot be read synchronously: hand it back as it came
  if (isBlob(data) || data instanceof ArrayBuffer) return data;
  return exactArrayBuffer(data);
}

let textEncoder: TextEncoder | undefined;

export function encodeUtf8(text: string): Uint8Array {
  return (textEncoder ??= new TextEncoder()).encode(text);
}
