// The "byte string" UTF-8 of engine.io-parser 2 (utf8.js, non-strict): a string whose char codes are
// the UTF-8 bytes of the text. Protocol 3 uses it for text packets inside binary (XHR2) payloads.
import { Buffer } from "node:buffer";

/** UTF-8 bytes of `text` as a byte string; lone surrogates become U+FFFD, as utf8.js does. */
export function utf8ToByteString(text: string): string {
  return Buffer.from(text, "utf8").toString("latin1");
}

const CONTINUATION_MASK = 0xc0;
const CONTINUATION_TAG = 0x80;
const REPLACEMENT_CHARACTER = 0xfffd;

/**
 * Decodes a byte string back to text, or returns undefined when it is not valid UTF-8 (truncated or
 * overlong sequences, stray continuation bytes). Encoded surrogates become U+FFFD instead of failing.
 * Like utf8.js, each character counts as one byte: its code point (pairs joined) masked to 8 bits.
 */
export function byteStringToUtf8(byteString: string): string | undefined {
  const bytes: number[] = [];
  for (let i = 0; i < byteString.length; i++) {
    const codePoint = byteString.codePointAt(i)!;
    if (codePoint > 0xffff) i++;
    bytes.push(codePoint & 0xff);
  }
  const codePoints: number[] = [];
  let index = 0;
  const continuation = (): number => {
    if (index >= bytes.length) return -1;
    const byte = bytes[index++]!;
    return (byte & CONTINUATION_MASK) === CONTINUATION_TAG ? byte & 0x3f : -1;
  };
  while (index < bytes.length) {
    const lead = bytes[index++]!;
    if ((lead & 0x80) === 0) {
      codePoints.push(lead);
      continue;
    }
    if ((lead & 0xe0) === 0xc0) {
      const b2 = continuation();
      if (b2 < 0) return undefined;
      const codePoint = ((lead & 0x1f) << 6) | b2;
      if (codePoint < 0x80) return undefined;
      codePoints.push(codePoint);
      continue;
    }
    if ((lead & 0xf0) === 0xe0) {
      const b2 = continuation();
      if (b2 < 0) return undefined;
      const b3 = continuation();
      if (b3 < 0) return undefined;
      const codePoint = ((lead & 0x0f) << 12) | (b2 << 6) | b3;
      if (codePoint < 0x800) return undefined;
      codePoints.push(codePoint >= 0xd800 && codePoint <= 0xdfff ? REPLACEMENT_CHARACTER : codePoint);
      continue;
    }
    if ((lead & 0xf8) === 0xf0) {
      const b2 = continuation();
      if (b2 < 0) return undefined;
      const b3 = continuation();
      if (b3 < 0) return undefined;
      const b4 = continuation();
      if (b4 < 0) return undefined;
      const codePoint = ((lead & 0x07) << 18) | (b2 << 12) | (b3 << 6) | b4;
      if (codePoint < 0x10000 || codePoint > 0x10ffff) return undefined;
      codePoints.push(codePoint);
      continue;
    }
    return undefined;
  }
  let text = "";
  // in slices, so that a long text never spreads too many arguments at once
  for (let i = 0; i < codePoints.length; i += 4096) {
    text += String.fromCodePoint(...codePoints.slice(i, i + 4096));
  }
  return text;
}
