// engine.io-parser 5.2.3 vs @sockwave/engine-parser: Engine.IO packets (WebSocket) and payloads (polling).

import { isDeepStrictEqual } from 'node:util';
import { binaryAttachment, largeEventArgs, smallEventArgs } from './fixtures.mjs';

/** @typedef {import('./measure.mjs').ParserCase} ParserCase */
/**
 * @typedef {{ type: string, data?: unknown }} EnginePacket
 * @typedef {{
 *   encodePacket(packet: EnginePacket, supportsBinary: boolean, callback: (encoded: unknown) => void): void,
 *   decodePacket(data: unknown, binaryType?: string): unknown,
 *   encodePayload(packets: EnginePacket[], callback: (encoded: string) => void): void,
 *   decodePayload(payload: string, binaryType?: string): unknown,
 * }} EngineParserModule
 */

/**
 * The callback API is synchronous in Node; this turns it into a return value.
 * Each side gets its own copy of this helper (identical bodies): one shared helper would give its
 * `parser.encodePacket` call site feedback from both packages, and V8 then compiles whichever side
 * comes second with a polymorphic dispatch. Measured with a stand-in identical to the official
 * code as "ours", the shared helper showed 0.83x-0.87x; the separate copies 0.95x-1.03x.
 * @param {EngineParserModule} parser
 * @param {EnginePacket} packet
 */
function encodeNowOfficial(parser, packet) {
  /** @type {unknown} */ let encoded;
  parser.encodePacket(packet, true, (result) => {
    encoded = result;
  });
  return encoded;
}

/**
 * Same body as encodeNowOfficial, on purpose (see there).
 * @param {EngineParserModule} parser
 * @param {EnginePacket} packet
 */
function encodeNowOurs(parser, packet) {
  /** @type {unknown} */ let encoded;
  parser.encodePacket(packet, true, (result) => {
    encoded = result;
  });
  return encoded;
}

/** @param {unknown} value */
function comparable(value) {
  return JSON.parse(
    JSON.stringify(value, (_key, item) =>
      item && typeof item === 'object' && item.type === 'Buffer' && Array.isArray(item.data)
        ? Buffer.from(item.data).toString('base64')
        : item,
    ),
  );
}

/**
 * @param {EngineParserModule} official
 * @param {EngineParserModule} ours
 * @returns {ParserCase[]}
 */
export function engineParserCases(official, ours) {
  const smallMessage = { type: 'message', data: `2${JSON.stringify(smallEventArgs)}` };
  const largeMessage = { type: 'message', data: `2${JSON.stringify(largeEventArgs)}` };
  const binaryMessage = { type: 'message', data: binaryAttachment };
  const pollingBatch = Array.from({ length: 10 }, () => smallMessage);
  const smallWire = encodeNowOfficial(official, smallMessage);
  const largeWire = encodeNowOfficial(official, largeMessage);
  /** @type {string} */ let payloadWire = '';
  official.encodePayload(pollingBatch, (payload) => {
    payloadWire = payload;
  });

  /** @param {EnginePacket} packet */
  const encodeCase = (packet) => ({
    official: () => encodeNowOfficial(official, packet),
    ours: () => encodeNowOurs(ours, packet),
    sameOutput: () =>
      isDeepStrictEqual(comparable(encodeNowOfficial(official, packet)), comparable(encodeNowOurs(ours, packet))),
  });
  /** @param {unknown} wire */
  const decodeCase = (wire) => ({
    official: () => official.decodePacket(wire, 'nodebuffer'),
    ours: () => ours.decodePacket(wire, 'nodebuffer'),
    sameOutput: () =>
      isDeepStrictEqual(comparable(official.decodePacket(wire, 'nodebuffer')), comparable(ours.decodePacket(wire, 'nodebuffer'))),
  });

  const smallTarget = /** @type {const} */ ({ direction: 'at-least', ratio: 1.3 });
  return [
    { metric: 'engine-parser: small message encode', target: smallTarget, ...encodeCase(smallMessage) },
    { metric: 'engine-parser: small message decode', target: smallTarget, ...decodeCase(smallWire) },
    { metric: 'engine-parser: large message encode (10 KB)', ...encodeCase(largeMessage) },
    { metric: 'engine-parser: large message decode (10 KB)', ...decodeCase(largeWire) },
    { metric: 'engine-parser: binary message encode (1 KB)', ...encodeCase(binaryMessage) },
    { metric: 'engine-parser: binary message decode (1 KB)', ...decodeCase(binaryAttachment) },
    {
      metric: 'engine-parser: polling payload encode (10 packets)',
      official: () => official.encodePayload(pollingBatch, () => {}),
      ours: () => ours.encodePayload(pollingBatch, () => {}),
      sameOutput: () => {
        /** @type {string[]} */ const payloads = [];
        official.encodePayload(pollingBatch, (payload) => payloads.push(payload));
        ours.encodePayload(pollingBatch, (payload) => payloads.push(payload));
        return payloads.length === 2 && payloads[0] === payloads[1];
      },
    },
    {
      metric: 'engine-parser: polling payload decode (10 packets)',
      official: () => official.decodePayload(payloadWire, 'nodebuffer'),
      ours: () => ours.decodePayload(payloadWire, 'nodebuffer'),
      sameOutput: () =>
        isDeepStrictEqual(
          comparable(official.decodePayload(payloadWire, 'nodebuffer')),
          comparable(ours.decodePayload(payloadWire, 'nodebuffer')),
        ),
    },
  ];
}
