// The Node build. The browser build (index.browser.ts) exports the same API over browser binary types.
import { nodePlatform } from "./node/platform";
import { createPacketCodec } from "./codec";
import type { BinaryType, Packet } from "./commons";
import { createFrameDecoderStream, createFrameEncoderStream, encodeFrame } from "./stream";

const codec = createPacketCodec(nodePlatform);

export const {
  encodePacket,
  decodePacket,
  encodePayload,
  decodePayload,
  encodePacketSync,
  encodePayloadSync,
  encodePacketToBytes,
} = codec;

/** WebTransport: a stream turning packets into length-prefixed frames. */
export const createPacketEncoderStream = (): TransformStream<Packet, Uint8Array> => createFrameEncoderStream(codec);

/** WebTransport: a stream turning frames back into packets; frames above `maxPayload` bytes are an error. */
export const createPacketDecoderStream = (maxPayload: number, binaryType?: BinaryType): TransformStream<Uint8Array, Packet> =>
  createFrameDecoderStream(codec, maxPayload, binaryType);

/** Sockwave addition: the complete WebTransport frame of a packet, header and payload in one chunk. */
export const encodePacketToFrame = (packet: Packet): Uint8Array => encodeFrame(codec, packet);

export * from "./exports";
