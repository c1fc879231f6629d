import { constants, isUtf8 } from "node:buffer";
import { OPCODE_BINARY, OPCODE_CLOSE, OPCODE_CONTINUATION, OPCODE_PING, OPCODE_PONG, OPCODE_TEXT } from "./frame-writer";

/** Close codes sent on failures (RFC 6455 section 7.4.1). */
export const CLOSE_PROTOCOL_ERROR = 1002;
export const CLOSE_INVALID_PAYLOAD = 1007;
export const CLOSE_TOO_BIG = 1009;

/** Longest header: 2 bytes, a 64-bit length, a 4-byte mask. */
const MAX_HEADER = 14;
const EMPTY = Buffer.alloc(0);

/** Close codes a peer may send (RFC 6455 section 7.4, IANA registry): 1004-1006 and 1015 never travel. */
export function isValidCloseCode(code: number): boolean {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}

/** Bytes of a header whose second byte is `b1` (the length marker and the mask bit decide it). */
function headerLength(b1: number): number {
  const marker = b1 & 0x7f;
  return (marker < 126 ? 2 : marker === 126 ? 4 : 10) + (b1 & 0x80 ? 4 : 0);
}

/** XORs `data` with the 4-byte key (big-endian in `key`), in place. */
function unmask(data: Buffer, key: number): void {
  const m0 = key >>> 24;
  const m1 = (key >>> 16) & 0xff;
  const m2 = (key >>> 8) & 0xff;
  const m3 = key & 0xff;
  const length = data.length;
  let i = 0;
  for (const end = length - 3; i < end; i += 4) {
    data[i]! ^= m0;
    data[i + 1]! ^= m1;
    data[i + 2]! ^= m2;
    data[i + 3]! ^= m3;
  }
  for (; i < length; i++) data[i]! ^= (key >>> (24 - 8 * (i & 3))) & 0xff;
}

/**
 * Incremental reader of client-to-server WebSocket frames (RFC 6455 section 5), for any chunking of
 * the TCP stream. A frame wholly inside one chunk is handed on as a view of that chunk (no copy); only
 * a header split across chunks, a payload split across chunks or a fragmented message is buffered, and
 * never more than `maxPayload` plus one header.
 */
export abstract class FrameReader {
  /** Largest message (all its fragments together); larger ones fail with 1009. */
  readonly maxPayload: number;
  /** The header bytes seen so far when a header is split across chunks (created on first need). */
  private partialHeader: Buffer | null = null;
  private partialHeaderLength = 0;
  /** The current frame, once its header is complete. */
  private inPayload = false;
  private fin = false;
  private opcode = 0;
  private payloadLength = 0;
  private maskKey = 0;
  /** Where a payload split across chunks is gathered, and how much of it has arrived. */
  private payloadTarget: Buffer | null = null;
  private payloadStart = 0;
  private payloadReceived = 0;
  /** The fragmented message in progress: its opcode (0 when none) and the bytes gathered so far. */
  private messageOpcode = 0;
  private message: Buffer | null = null;
  private messageLength = 0;

  constructor(maxPayload: number) {
    // as in ws, 0 (or less) means no limit; yet never more than one Buffer can hold (allocating it would throw)
    this.maxPayload = maxPayload > 0 ? Math.min(maxPayload, constants.MAX_LENGTH) : constants.MAX_LENGTH;
  }

  /** Whether frames are still read (false once closing: what follows is ignored). */
  protected abstract readsFrames(): boolean;
  protected abstract onMessage(data: Buffer, isBinary: boolean): void;
  protected abstract onPing(payload: Buffer): void;
  /** A valid close frame; `code` is -1 when it carried none. */
  protected abstract onCloseFrame(code: number): void;
  /** A protocol violation: the reader stops; the subclass must stop calling `readFrames`. */
  protected abstract onProtocolError(closeCode: number, message: string, errorCode: string): void;

  /** Reads the frames in one chunk of the TCP stream (continuing any frame a previous chunk began). */
  protected readFrames(chunk: Buffer): void {
    const end = chunk.length;
    let offset = 0;
    while (offset < end && this.readsFrames()) {
      if (!this.inPayload) {
        let header = chunk;
        let at = offset;
        const available = end - offset;
        if (this.partialHeaderLength === 0 && available >= 2 && available >= headerLength(chunk[offset + 1]!)) {
          // the common case: the whole header is in this chunk
          if (!this.checkStart(chunk[offset]!, chunk[offset + 1]!)) return;
          offset += headerLength(chunk[offset + 1]!);
        } else {
          offset = this.gatherHeader(chunk, offset);
          if (offset < 0) return;
          if (!this.inPayload) continue;
          header = this.partialHeader!;
          at = 0;
          this.partialHeaderLength = 0;
        }
        if (!this.startFrame(header, at)) return;
        if (this.payloadLength === 0) {
          this.endFrame(EMPTY);
          continue;
        }
      }
      offset = this.readPayload(chunk, offset);
    }
  }

  /**
   * Copies header bytes of a header split across chunks; returns the new offset, or -1 after a failure.
   * Leaves `inPayload` true once the header is complete (then `startFrame` reads it).
   */
  private gatherHeader(chunk: Buffer, offset: number): number {
    // Buffer.alloc, not allocUnsafe: a small allocUnsafe is a slice of a shared 8 KB pool, which this
    // long-lived buffer would keep alive
    const header = (this.partialHeader ??= Buffer.alloc(MAX_HEADER));
    const end = chunk.length;
    while (offset < end) {
      header[this.partialHeaderLength++] = chunk[offset++]!;
      if (this.partialHeaderLength === 2 && !this.checkStart(header[0]!, header[1]!)) return -1;
      if (this.partialHeaderLength >= 2 && this.partialHeaderLength === headerLength(header[1]!)) {
        this.inPayload = true;
        return offset;
      }
    }
    return offset;
  }

  /** Checks what the first two header bytes say, before waiting for the rest of the header. */
  private checkStart(b0: number, b1: number): boolean {
    if ((b0 & 0x70) !== 0) return this.fail(CLOSE_PROTOCOL_ERROR, "RSV bits must be clear", "WS_ERR_UNEXPECTED_RSV");
    const opcode = b0 & 0x0f;
    const fin = (b0 & 0x80) !== 0;
    if (opcode === OPCODE_CONTINUATION) {
      if (this.messageOpcode === 0) return this.fail(CLOSE_PROTOCOL_ERROR, "invalid opcode 0", "WS_ERR_INVALID_OPCODE");
    } else if (opcode === OPCODE_TEXT || opcode === OPCODE_BINARY) {
      if (this.messageOpcode !== 0) return this.fail(CLOSE_PROTOCOL_ERROR, `invalid opcode ${opcode}`, "WS_ERR_INVALID_OPCODE");
    } else if (opcode === OPCODE_CLOSE || opcode === OPCODE_PING || opcode === OPCODE_PONG) {
      if (!fin) return this.fail(CLOSE_PROTOCOL_ERROR, "FIN must be set", "WS_ERR_EXPECTED_FIN");
      if ((b1 & 0x7f) > 125) return this.fail(CLOSE_PROTOCOL_ERROR, `invalid payload length ${b1 & 0x7f}`, "WS_ERR_INVALID_CONTROL_PAYLOAD_LENGTH");
    } else {
      return this.fail(CLOSE_PROTOCOL_ERROR, `invalid opcode ${opcode}`, "WS_ERR_INVALID_OPCODE");
    }
    // client frames must be masked (RFC 6455 section 5.1)
    if ((b1 & 0x80) === 0) return this.fail(CLOSE_PROTOCOL_ERROR, "MASK must be set", "WS_ERR_EXPECTED_MASK");
    return true;
  }

  /** Reads a complete (already checked) header at `at`. */
  private startFrame(header: Buffer, at: number): boolean {
    const b0 = header[at]!;
    const marker = header[at + 1]! & 0x7f;
    let length = marker;
    let maskAt = at + 2;
    if (marker === 126) {
      length = header.readUInt16BE(at + 2);
      maskAt = at + 4;
    } else if (marker === 127) {
      const high = header.readUInt32BE(at + 2);
      // lengths beyond 2^53 - 1 cannot be represented exactly (and exceed any maxPayload anyway)
      if (high > 0x1fffff) return this.fail(CLOSE_TOO_BIG, "payload length > 2^53 - 1", "WS_ERR_UNSUPPORTED_DATA_PAYLOAD_LENGTH");
      length = high * 0x100000000 + header.readUInt32BE(at + 6);
      maskAt = at + 10;
    }
    const opcode = b0 & 0x0f;
    // checked at the header, so an oversized message is refused before any of it is buffered
    if (opcode < OPCODE_CLOSE && this.messageLength + length > this.maxPayload) {
      return this.fail(CLOSE_TOO_BIG, "Max payload size exceeded", "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH");
    }
    this.fin = (b0 & 0x80) !== 0;
    this.opcode = opcode;
    this.payloadLength = length;
    this.maskKey = header.readUInt32BE(maskAt);
    this.inPayload = true;
    return true;
  }

  /** Takes payload bytes from `offset`; returns the new offset. */
  private readPayload(chunk: Buffer, offset: number): number {
    const length = this.payloadLength;
    let target = this.payloadTarget;
    if (target === null) {
      const fragmented = this.opcode < OPCODE_CLOSE && (!this.fin || this.messageOpcode !== 0);
      if (!fragmented && chunk.length - offset >= length) {
        // the common case: a whole single-frame message or control frame in this chunk, read in place
        const payload = chunk.subarray(offset, offset + length);
        unmask(payload, this.maskKey);
        this.endFrame(payload);
        return offset + length;
      }
      if (fragmented) {
        target = this.messageBuffer(this.messageLength + length);
        this.payloadStart = this.messageLength;
      } else {
        target = Buffer.allocUnsafe(length);
        this.payloadStart = 0;
      }
      this.payloadTarget = target;
      this.payloadReceived = 0;
    }
    const count = Math.min(chunk.length - offset, length - this.payloadReceived);
    chunk.copy(target, this.payloadStart + this.payloadReceived, offset, offset + count);
    this.payloadReceived += count;
    if (this.payloadReceived === length) {
      this.payloadTarget = null;
      const payload = target.subarray(this.payloadStart, this.payloadStart + length);
      unmask(payload, this.maskKey);
      this.endFrame(payload);
    }
    return offset + count;
  }

  /** The fragmented message's buffer, grown (at most to maxPayload) to hold `needed` bytes. */
  private messageBuffer(needed: number): Buffer {
    const current = this.message;
    if (current !== null && current.length >= needed) return current;
    const capacity = Math.min(this.maxPayload, Math.max(needed, current === null ? 0 : current.length * 2));
    const grown = Buffer.allocUnsafe(capacity);
    if (current !== null) current.copy(grown, 0, 0, this.messageLength);
    this.message = grown;
    return grown;
  }

  /** A frame's unmasked payload (for fragments, already in the message buffer). */
  private endFrame(payload: Buffer): void {
    this.inPayload = false;
    const opcode = this.opcode;
    if (opcode >= OPCODE_CLOSE) {
      if (opcode === OPCODE_CLOSE) this.readClose(payload);
      else if (opcode === OPCODE_PING) this.onPing(payload);
      // a pong answers nothing we asked: ignored
      return;
    }
    if (this.messageOpcode === 0 && this.fin) {
      this.deliver(payload, opcode);
      return;
    }
    if (this.messageOpcode === 0) this.messageOpcode = opcode;
    this.messageLength += payload.length;
    if (!this.fin) return;
    const message = this.message === null ? EMPTY : this.message.subarray(0, this.messageLength);
    const messageOpcode = this.messageOpcode;
    // the buffer goes with the message: a long-lived connection keeps none between messages
    this.message = null;
    this.messageLength = 0;
    this.messageOpcode = 0;
    this.deliver(message, messageOpcode);
  }

  private deliver(data: Buffer, opcode: number): void {
    if (opcode === OPCODE_TEXT && !isUtf8(data)) {
      this.fail(CLOSE_INVALID_PAYLOAD, "invalid UTF-8 sequence", "WS_ERR_INVALID_UTF8");
      return;
    }
    this.onMessage(data, opcode === OPCODE_BINARY);
  }

  private readClose(payload: Buffer): void {
    if (payload.length === 0) {
      this.onCloseFrame(-1);
      return;
    }
    if (payload.length === 1) {
      this.fail(CLOSE_PROTOCOL_ERROR, "invalid payload length 1", "WS_ERR_INVALID_CONTROL_PAYLOAD_LENGTH");
      return;
    }
    const code = payload.readUInt16BE(0);
    if (!isValidCloseCode(code)) {
      this.fail(CLOSE_PROTOCOL_ERROR, `invalid status code ${code}`, "WS_ERR_INVALID_CLOSE_CODE");
      return;
    }
    if (!isUtf8(payload.subarray(2))) {
      this.fail(CLOSE_INVALID_PAYLOAD, "invalid UTF-8 sequence", "WS_ERR_INVALID_UTF8");
      return;
    }
    this.onCloseFrame(code);
  }

  private fail(closeCode: number, message: string, errorCode: string): false {
    // nothing buffered is needed any more
    this.message = null;
    this.payloadTarget = null;
    this.partialHeader = null;
    this.onProtocolError(closeCode, message, errorCode);
    return false;
  }
}
