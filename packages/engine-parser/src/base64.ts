// Base64 for the browser build, which has no Buffer. Decoding is as lenient as Node's Buffer: it
// accepts the standard and the URL-safe alphabet, skips any other character and stops at "=".

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const NOT_IN_ALPHABET = 255;
const PADDING = 61; // "="

const SEXTET_OF_CHAR_CODE = new Uint8Array(128).fill(NOT_IN_ALPHABET);
for (let i = 0; i < ALPHABET.length; i++) SEXTET_OF_CHAR_CODE[ALPHABET.charCodeAt(i)] = i;
SEXTET_OF_CHAR_CODE[45] = 62; // "-" (URL-safe)
SEXTET_OF_CHAR_CODE[95] = 63; // "_" (URL-safe)

export function bytesToBase64(bytes: Uint8Array): string {
  let out = "";
  const whole = bytes.length - (bytes.length % 3);
  for (let i = 0; i < whole; i += 3) {
    const triple = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out +=
      ALPHABET[triple >> 18]! + ALPHABET[(triple >> 12) & 63]! + ALPHABET[(triple >> 6) & 63]! + ALPHABET[triple & 63]!;
  }
  const rest = bytes.length - whole;
  if (rest === 1) {
    const b0 = bytes[whole]!;
    out += ALPHABET[b0 >> 2]! + ALPHABET[(b0 & 3) << 4]! + "==";
  } else if (rest === 2) {
    const pair = (bytes[whole]! << 8) | bytes[whole + 1]!;
    out += ALPHABET[pair >> 10]! + ALPHABET[(pair >> 4) & 63]! + ALPHABET[(pair & 15) << 2]! + "=";
  }
  return out;
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
