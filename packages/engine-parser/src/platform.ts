import type { BinaryData, BinaryType } from "./commons";

/**
 * What differs between the Node and the browser build: how bytes become base64 and back, and which
 * binary form decoded data takes. Everything else in the codec is shared.
 */
export interface BinaryPlatform {
  /** Base64 of the bytes of an ArrayBuffer or view. */
  toBase64(data: ArrayBuffer | ArrayBufferView): string;
  /** The bytes of a base64 string (lenient: characters outside the alphabet are skipped). */
  fromBase64(base64: string): Uint8Array;
  /** Incoming binary data in the form `binaryType` asks for (the platform's default when absent). */
  mapBinary(data: BinaryData, binaryType: BinaryType | undefined): BinaryData;
  /** The bytes of an ArrayBuffer or view without copying (a Buffer in Node). */
  toBytes(data: ArrayBuffer | ArrayBufferView): Uint8Array;
  /** UTF-8 bytes of a string (lone surrogates become U+FFFD). */
  encodeUtf8(text: string): Uint8Array;
}
