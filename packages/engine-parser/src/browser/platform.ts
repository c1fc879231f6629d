import { base64ToBytes, bytesToBase64 } from "../base64";
import { bytesOf, exactArrayBuffer, isBlob, type BinaryData, type BinaryType } from "../commons";
import type { BinaryPlatform } from "../platform";

let textEncoder: TextEncoder | undefined;

/** Browsers: binary arrives as an ArrayBuffer, or as a Blob when `blob` is asked for. */
export const browserPlatform: BinaryPlatform = {
  toBase64: (data) => bytesToBase64(bytesOf(data)),
  fromBase64: base64ToBytes,
  mapBinary(data: BinaryData, binaryType: BinaryType | undefined): BinaryData {
    if (binaryType === "blob") return isBlob(data) ? data : new Blob([data as ArrayBuffer]);
    // a Blob cannot be read synchronously: hand it back as it came
    if (isBlob(data) || data instanceof ArrayBuffer) return data;
    return exactArrayBuffer(data);
  },
  toBytes: bytesOf,
  encodeUtf8: (text) => (textEncoder ??= new TextEncoder()).encode(text),
};
