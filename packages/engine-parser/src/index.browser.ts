// The browser build: no Node API; binary decodes to ArrayBuffer (or Blob), base64 is done in JS.
import { browserPlatform } from "./browser/platform";
import { createPacketCodec } from "./codec";

export const {
  encodePacket,
  decodePacket,
  encodePayload,
  decodePayload,
  createPacketEncoderStream,
  createPacketDecoderStream,
  encodePacketSync,
  encodePayloadSync,
  encodePacketToBytes,
  encodePacketToFrame,
} = createPacketCodec(browserPlatform);

export * from "./exports";
