// Cuts a WebSocket byte stream into frames, however TCP cut it: a chunk may end inside a frame (the
// rest is kept for the next chunk) or hold several. Shared by the load generators' client (server
// frames, unmasked) and the floor server (client frames, masked).

/** Frame opcodes (RFC 6455 section 5.2). */
export const OPCODE_CONTINUATION = 0x0;
export const OPCODE_TEXT = 0x1;
export const OPCODE_BINARY = 0x2;
export const OPCODE_CLOSE = 0x8;
export const OPCODE_PING = 0x9;
export const OPCODE_PONG = 0xa;

/** @typedef {(opcode: number, final: boolean, payload: Buffer) => void} FrameListener */

export class FrameSplitter {
  /** @param {number} [maxPayload] a frame announcing more bytes ends the stream */
  constructor(maxPayload = Number.MAX_SAFE_INTEGER) {
    this.maxPayload = maxPayload;
    /** @type {Buffer | null} */
    this.pending = null;
  }

  /**
   * Hands every complete frame of the stream so far to `onFrame`, masked payloads unmasked in place.
   * @param {Buffer} chunk
   * @param {FrameListener} onFrame
   * @returns {boolean} false when a frame announces more than `maxPayload` bytes
   */
  split(chunk, onFrame) {
    const data = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    let offset = 0;
    while (data.length - offset >= 2) {
      const first = data[offset];
      const second = data[offset + 1];
      let length = second & 0x7f;
      let headerLength = 2;
      if (length === 126) {
        if (data.length - offset < 4) break;
        length = data.readUInt16BE(offset + 2);
        headerLength = 4;
      } else if (length === 127) {
        if (data.length - offset < 10) break;
        length = Number(data.readBigUInt64BE(offset + 2));
        headerLength = 10;
      }
      if (length > this.maxPayload) return false;
      const maskAt = offset + headerLength;
      const masked = (second & 0x80) !== 0;
      if (masked) headerLength += 4;
      if (data.length - offset < headerLength + length) break;
      const payload = data.subarray(offset + headerLength, offset + headerLength + length);
      // the buffer is ours, so the XOR of RFC 6455 section 5.3 can happen in place
      if (masked) for (let index = 0; index < length; index++) payload[index] ^= data[maskAt + (index & 3)];
      offset += headerLength + length;
      onFrame(first & 0x0f, (first & 0x80) !== 0, payload);
    }
    // Copied: a subarray would keep the whole chunk alive until the frame completes.
    this.pending = offset < data.length ? Buffer.from(data.subarray(offset)) : null;
    return true;
  }
}
