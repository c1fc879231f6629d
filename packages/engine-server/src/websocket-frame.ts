/**
 * Builds complete, unmasked server-to-client WebSocket frames (RFC 6455) in one Buffer, so a message
 * reaches the kernel as a single chunk and a broadcast can share the very same frame.
 */

const OPCODE_TEXT = 0x1;
const OPCODE_BINARY = 0x2;
const FIN = 0x80;

function headerLength(payloadLength: number): number {
  return payloadLength < 126 ? 2 : payloadLength < 65536 ? 4 : 10;
}

function writeHeader(frame: Buffer, opcode: number, payloadLength: number): number {
  frame[0] = FIN | opcode;
  if (payloadLength < 126) {
    frame[1] = payloadLength;
    return 2;
  }
  if (payloadLength < 65536) {
    frame[1] = 126;
    frame.writeUInt16BE(payloadLength, 2);
    return 4;
  }
  frame[1] = 127;
  frame.writeUInt32BE(Math.floor(payloadLength / 0x100000000), 2);
  frame.writeUInt32BE(payloadLength >>> 0, 6);
  return 10;
}

/** A text frame holding `<prefixDigit><text>` (prefixDigit < 0 means no prefix). */
export function textFrame(prefixDigit: number, text: string): Buffer {
  const prefixLength = prefixDigit < 0 ? 0 : 1;
  const payloadLength = prefixLength + Buffer.byteLength(text);
  const frame = Buffer.allocUnsafe(headerLength(payloadLength) + payloadLength);
  let offset = writeHeader(frame, OPCODE_TEXT, payloadLength);
  if (prefixLength === 1) frame[offset++] = 48 + prefixDigit;
  frame.write(text, offset, "utf8");
  return frame;
}

/** A binary frame holding the bytes, optionally preceded by one type byte (protocol 3). */
export function binaryFrame(bytes: Uint8Array, typeByte: number): Buffer {
  const prefixLength = typeByte < 0 ? 0 : 1;
  const payloadLength = prefixLength + bytes.length;
  const frame = Buffer.allocUnsafe(headerLength(payloadLength) + payloadLength);
  let offset = writeHeader(frame, OPCODE_BINARY, payloadLength);
  if (prefixLength === 1) frame[offset++] = typeByte;
  frame.set(bytes, offset);
  return frame;
}
