// Base64 for the browser build, which has no Buffer. Decoding is done here rather than with atob,
// which throws on stray characters: it is as lenient as Node's Buffer, accepting the standard and
// the URL-safe alphabet, skipping any other character and stopping at "=".

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const NOT_IN_ALPHABET = 255;
const PADDING = 61; // "="

const SEXTET_OF_CHAR_CODE = new Uint8Array(128).fill(NOT_IN_ALPHABET);
for (let i = 0; i < ALPHABET.length; i++) SEXTET_OF_CHAR_CODE[ALPHABET.charCodeAt(i)] = i;
SEXTET_OF_CHAR_CODE[45] = 62; // "-" (URL-safe)
SEXTET_OF_CHAR_CODE[95] = 63; // "_" (URL-safe)

const CHUNK = 0x8000; // bytes per String.fromCharCode call, well under engines' argument limits

/** Base64 through the platform's btoa (one latin1 char per byte), the smallest and fastest way. */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode.apply(null, bytes.subarray(i, i + CHUNK) as unknown as number[]);
  }
  return btoa(binary);
}

export function base64ToBytes(base64: string): Uint8Array {
  // every 4 characters give at most 3 bytes, so this bounds the output by the input
  const out = new Uint8Array(Math.floor((base64.length * 3) / 4) + 3);
  let length = 0;
  let accumulator = 0;
  let bits = 0;
  for (let i = 0; i < base64.length; i++) {
    const code = base64.charCodeAt(i);
    if (code === PADDING) break;
    const sextet = code < 128 ? SEXTET_OF_CHAR_CODE[code]! : NOT_IN_ALPHABET;
    if (sextet === NOT_IN_ALPHABET) continue;
    accumulator = ((accumulator << 6) | sextet) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[length++] = (accumulator >> bits) & 0xff;
    }
  }
  return out.subarray(0, length);
}
