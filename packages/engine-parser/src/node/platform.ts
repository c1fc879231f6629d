import { Buffer } from "node:buffer";
import { exactArrayBuffer, isBlob, type BinaryData, type BinaryType } from "../commons";
import type { BinaryPlatform } from "../platform";

function toBuffer(data: ArrayBuffer | ArrayBufferView): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/** Node: binary arrives and leaves as Buffers unless `arraybuffer` is asked for. */
export const nodePlatform: BinaryPlatform = {
  toBase64: (data) => toBuffer(data).toString("base64"),
  fromBase64: (base64) => Buffer.from(base64, "base64"),
  mapBinary(data: BinaryData, binaryType: BinaryType | undefined): BinaryData {
    // a Blob cannot be read synchronously: hand it back as it came
    if (isBlob(data)) return data;
    if (binaryType === "arraybuffer") {
      return data instanceof ArrayBuffer ? data : exactArrayBuffer(data);
    }
    return toBuffer(data);
  },
  toBytes: toBuffer,
  encodeUtf8: (text) => Buffer.from(text, "utf8"),
};
