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

/** Buffered input bytes, consumed from the front without copying when a read fits one chunk. */
class ChunkQueue {
  private chunks: Uint8Array[] = [];
  private head = 0; // bytes of chunks[0] already consumed
  length = 0;

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.length += chunk.length;
  }

  /** Removes and returns the next `size` bytes; the caller checked that they are buffered. */
  take(size: number): Uint8Array {
    this.length -= size;
    const first = this.chunks[0]!;
    if (first.length - this.head >= size) {
      const bytes = first.subarray(this.head, this.head + size);
      this.head += size;
      if (this.head === first.length) this.dropFirst();
      return bytes;
    }
    const bytes = new Uint8Array(size);
    let filled = 0;
    while (filled < size) {
      const chunk = this.chunks[0]!;
      const count = Math.min(size - filled, chunk.length - this.head);
      bytes.set(chunk.subarray(this.head, this.head + count), filled);
      filled += count;
      this.head += count;
      if (this.head === chunk.length) this.dropFirst();
    }
    return bytes;
  }

  clear(): void {
    this.chunks = [];
    this.head = 0;
    this.length = 0;
  }

  private dropFirst(): void {
    this.chunks.shift();
    this.head = 0;
  }
}

const enum DecoderState {
  Header,
  MediumLength,
  LongLength,
  Payload,
  /** After an error nothing more is read: the peer is out of sync or hostile. */
  Failed,
}

let textDecoder: TextDecoder | undefined;

/**
 * WebTransport: frames in, packets out. A zero length or a length above `maxPayload` yields one error packet,
 * after which the stream ignores its input (the official one keeps buffering it).
 */
export function createPacketDecoderStream(maxPayload: number, binaryType?: BinaryType): TransformStream<Uint8Array, Packet> {
  const queue = new ChunkQueue();
  let state = DecoderState.Header;
  let expectedLength = 0;
  let binary = false;

  function fail(controller: TransformStreamDefaultController<Packet>): void {
    state = DecoderState.Failed;
    queue.clear();
    controller.enqueue(errorPacket());
  }

  return new TransformStream<Uint8Array, Packet>({
    transform(chunk, controller) {
      if (state === DecoderState.Failed) return;
      if (!isBufferSource(chunk)) return fail(controller);
      queue.push(bytesOf(chunk));
      while (true) {
        if (state === DecoderState.Header) {
          if (queue.length < 1) return;
          const header = queue.take(1)[0]!;
          binary = (header & BINARY_FLAG) !== 0;
          expectedLength = header & ~BINARY_FLAG;
          state =
            expectedLength === MEDIUM_LENGTH_MARKER
              ? DecoderState.MediumLength
              : expectedLength === LONG_LENGTH_MARKER
                ? DecoderState.LongLength
                : DecoderState.Payload;
        } else if (state === DecoderState.MediumLength) {
          if (queue.length < 2) return;
          const bytes = queue.take(2);
          expectedLength = (bytes[0]! << 8) | bytes[1]!;
          state = DecoderState.Payload;
        } else if (state === DecoderState.LongLength) {
          if (queue.length < 8) return;
          const bytes = queue.take(8);
          const view = new DataView(bytes.buffer, bytes.byteOffset, 8);
          expectedLength = view.getUint32(0) * TWO_POW_32 + view.getUint32(4);
          state = DecoderState.Payload;
        } else {
          if (queue.length < expectedLength) return;
          const payload = queue.take(expectedLength);
          controller.enqueue(decodePacket(binary ? payload : (textDecoder ??= new TextDecoder()).decode(payload), binaryType));
          state = DecoderState.Header;
          continue;
        }
        // checked after every header step, as the official decoder does
        if (expectedLength === 0 || expectedLength > maxPayload) return fail(controller);
      }
    },
  });
}
