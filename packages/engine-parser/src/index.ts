// The Node build. The browser build (index.browser.ts) exports the same API over browser binary types.
import { createPacketCodec } from "./codec";
import { nodePlatform } from "./node/platform";

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
} = createPacketCodec(nodePlatform);

export * from "./exports";
