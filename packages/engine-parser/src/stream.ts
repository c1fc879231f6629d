// WebTransport framing: each packet is a header (a WebSocket-style length, top bit set for binary)
// followed by its bytes. One encoded frame is one contiguous chunk.

import { bytesOf, errorPacket, isBinary, isBlob, isBufferSource, type BinaryType, type Packet } from "./commons";
import { decodePacket, encodePacketToBytes } from "./packet";

const SHORT_LENGTH_LIMIT = 126;
const MEDIUM_LENGTH_MARKER = 126;
const LONG_LENGTH_MARKER = 127;
const BINARY_FLAG = 0x80;
const TWO_POW_32 = 2 ** 32;

/** Prefixes an encoded packet with its WebTransport frame header. */
function frameBytes(payload: Uint8Array, binary: boolean): Uint8Array {
  const length = payload.length;
  const headerLength = length < SHORT_LENGTH_LIMIT ? 1 : length < 65536 ? 3 : 9;
  const frame = new Uint8Array(headerLength + length);
  const view = new DataView(frame.buffer, frame.byteOffset, headerLength);
  if (headerLength === 1) {
    frame[0] = length;
  } else if (headerLength === 3) {
    frame[0] = MEDIUM_LENGTH_MARKER;
    view.setUint16(1, length);
  } else {
    frame[0] = LONG_LENGTH_MARKER;
    view.setUint32(1, Math.floor(length / TWO_POW_32));
    view.setUint32(5, length >>> 0);
  }
  if (binary) frame[0]! |= BINARY_FLAG;
  frame.set(payload, headerLength);
  return frame;
}

/** Sockwave addition: the complete WebTransport frame of a packet, header and payload in one chunk. */
export function encodePacketToFrame(packet: Packet): Uint8Array {
  return frameBytes(encodePacketToBytes(packet), isBinary(packet.data));
}

/** WebTransport: packets in, frames out. Blob data is read asynchronously (frame order is kept). */
export function createPacketEncoderStream(): TransformStream<Packet, Uint8Array> {
  return new TransformStream<Packet, Uint8Array>({
    async transform(packet, controller) {
      const data = packet.data;
      if (isBlob(data)) {
        // a Blob: TransformStream awaits this before taking the next packet
        controller.enqueue(frameBytes(new Uint8Array(await data.arrayBuffer()), true));
        return;
      }
      controller.enqueue(encodePacketToFrame(packet));
    },
  });
}

const enum DecoderState {
  Header,
  ExtendedLength,
  Payload,
  /** After an error nothing more is read: the peer is out of sync or hostile. */
  Failed,
}

/** Smallest buffer a payload split across chunks starts with; it doubles up to the frame's size. */
const MIN_COLLECT_CAPACITY = 1024;

let textDecoder: TextDecoder | undefined;

/**
 * Reads frames from chunks of any size. A payload inside one chunk is decoded from a view of it;
 * one split across chunks is copied into a buffer that grows with what actually arrived (never
 * more than twice that, and never beyond the announced length), so a peer cannot make it hold
 * memory it did not send, nor one object per tiny chunk.
 */
class FrameDecoder {
  private state = DecoderState.Header;
  private binary = false;
  private expectedLength = 0;
  private readonly lengthBytes = new Uint8Array(8);
  private lengthNeeded = 0;
  private lengthFilled = 0;
  private collected: Uint8Array | undefined;
  private collectedLength = 0;

  constructor(
    private readonly maxPayload: number,
    private readonly binaryType: BinaryType | undefined,
  ) {}

  push(chunk: Uint8Array, emit: (packet: Packet) => void): void {
    let offset = 0;
    while (offset < chunk.length && this.state !== DecoderState.Failed) {
      if (this.state === DecoderState.Header) {
        const header = chunk[offset++]!;
        this.binary = (header & BINARY_FLAG) !== 0;
        this.expectedLength = header & ~BINARY_FLAG;
        if (this.expectedLength === MEDIUM_LENGTH_MARKER || this.expectedLength === LONG_LENGTH_MARKER) {
          this.lengthNeeded = this.expectedLength === MEDIUM_LENGTH_MARKER ? 2 : 8;
          this.lengthFilled = 0;
          this.state = DecoderState.ExtendedLength;
        } else {
          this.state = DecoderState.Payload;
        }
        // checked on the first byte too, as the official decoder does
        this.checkLength(emit);
      } else if (this.state === DecoderState.ExtendedLength) {
        while (this.lengthFilled < this.lengthNeeded && offset < chunk.length) {
          this.lengthBytes[this.lengthFilled++] = chunk[offset++]!;
        }
        if (this.lengthFilled < this.lengthNeeded) return;
        const view = new DataView(this.lengthBytes.buffer);
        this.expectedLength =
          this.lengthNeeded === 2 ? view.getUint16(0) : view.getUint32(0) * TWO_POW_32 + view.getUint32(4);
        this.state = DecoderState.Payload;
        this.checkLength(emit);
      } else {
        offset = this.readPayload(chunk, offset, emit);
      }
    }
  }

  /** Takes payload bytes from `chunk` at `offset`; returns the offset after them. */
  private readPayload(chunk: Uint8Array, offset: number, emit: (packet: Packet) => void): number {
    const available = chunk.length - offset;
    if (this.collected === undefined && available >= this.expectedLength) {
      const end = offset + this.expectedLength;
      this.emitPayload(chunk.subarray(offset, end), emit);
      return end;
    }
    const count = Math.min(available, this.expectedLength - this.collectedLength);
    this.reserve(this.collectedLength + count);
    this.collected!.set(chunk.subarray(offset, offset + count), this.collectedLength);
    this.collectedLength += count;
    if (this.collectedLength === this.expectedLength) {
      const payload = this.collected!.subarray(0, this.collectedLength);
      this.collected = undefined;
      this.collectedLength = 0;
      this.emitPayload(payload, emit);
    }
    return offset + count;
  }

  private reserve(size: number): void {
    const current = this.collected;
    if (current !== undefined && current.length >= size) return;
    const capacity = Math.min(this.expectedLength, Math.max(size, (current?.length ?? 0) * 2, MIN_COLLECT_CAPACITY));
    const grown = new Uint8Array(capacity);
    if (current !== undefined) grown.set(current.subarray(0, this.collectedLength));
    this.collected = grown;
  }

  private emitPayload(payload: Uint8Array, emit: (packet: Packet) => void): void {
    this.state = DecoderState.Header;
    const encoded = this.binary ? payload : (textDecoder ??= new TextDecoder()).decode(payload);
    emit(decodePacket(encoded, this.binaryType));
  }

  private checkLength(emit: (packet: Packet) => void): void {
    if (this.expectedLength === 0 || this.expectedLength > this.maxPayload) this.fail(emit);
  }

  fail(emit: (packet: Packet) => void): void {
    if (this.state === DecoderState.Failed) return;
    this.state = DecoderState.Failed;
    this.collected = undefined;
    emit(errorPacket());
  }
}

/**
 * WebTransport: frames in, packets out. A zero length or a length above `maxPayload` yields one
 * error packet, after which the stream ignores its input (the official one keeps buffering it).
 */
export function createPacketDecoderStream(maxPayload: number, binaryType?: BinaryType): TransformStream<Uint8Array, Packet> {
  const decoder = new FrameDecoder(maxPayload, binaryType);
  return new TransformStream<Uint8Array, Packet>({
    transform(chunk, controller) {
      const emit = (packet: Packet): void => controller.enqueue(packet);
      // untyped callers may write anything: only bytes are frames
      if (!isBufferSource(chunk)) return decoder.fail(emit);
      decoder.push(bytesOf(chunk), emit);
    },
  });
}
