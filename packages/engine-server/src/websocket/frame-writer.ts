/**
 * Builds complete, unmasked server-to-client WebSocket frames (RFC 6455) in one Buffer, so a message
 * reaches the kernel as a single chunk and a broadcast can share the very same frame.
 */

/** Frame opcodes (RFC 6455 section 5.2), shared by the writer and the reader. */
export const OPCODE_CONTINUATION = 0x0;
export const OPCODE_TEXT = 0x1;
export const OPCODE_BINARY = 0x2;
export const OPCODE_CLOSE = 0x8;
export const OPCODE_PING = 0x9;
export const OPCODE_PONG = 0xa;
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

/** A control frame (pong, close) carrying `payload` (at most 125 bytes, as RFC 6455 requires). */
export function controlFrame(opcode: number, payload: Uint8Array): Buffer {
  const frame = Buffer.allocUnsafe(2 + payload.length);
  frame.set(payload, writeHeader(frame, opcode, payload.length));
  return frame;
}
