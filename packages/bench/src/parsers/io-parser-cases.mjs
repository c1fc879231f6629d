// socket.io-parser 4.2.7 vs @sockwave/io-parser: the Encoder and Decoder of the Socket.IO protocol.

import { isDeepStrictEqual } from 'node:util';
import { binaryAttachment, largeEventArgs, smallEventArgs } from './fixtures.mjs';

/** @typedef {import('./measure.mjs').ParserCase} ParserCase */
/**
 * @typedef {{
 *   Encoder: new () => { encode(packet: object): unknown[] },
 *   Decoder: new () => { on(event: 'decoded', listener: (packet: unknown) => void): unknown, add(chunk: unknown): void },
 * }} IoParserModule
 */

const EVENT = 2;

/**
 * A decoder that remembers the last packet it decoded, so a benchmark can feed it and a check
 * can compare what both decoders produced.
 * @param {IoParserModule} parser
 */
function recordingDecoder(parser) {
  const decoder = new parser.Decoder();
  const state = { last: /** @type {unknown} */ (undefined) };
  decoder.on('decoded', (packet) => {
    state.last = packet;
  });
  return { decoder, state };
}

/**
 * Plain-data view of a decoded packet, so both parsers compare equal whatever class or
 * prototype they use and whether or not they set `id: undefined`.
 * @param {unknown} packet
 */
function comparable(packet) {
  return JSON.parse(JSON.stringify(packet, (_key, value) => (value === undefined ? null : value)));
}

/**
 * Encoder output with every binary chunk as base64, so a Buffer and a Uint8Array holding the
 * same bytes compare equal.
 * @param {unknown[]} chunks
 */
function wireView(chunks) {
  return chunks.map((chunk) =>
    typeof chunk === 'string' ? chunk : Buffer.from(/** @type {Uint8Array} */ (chunk)).toString('base64'),
  );
}

/**
 * @param {IoParserModule} official
 * @param {IoParserModule} ours
 * @returns {ParserCase[]}
 */
export function ioParserCases(official, ours) {
  const officialEncoder = new official.Encoder();
  const oursEncoder = new ours.Encoder();
  const smallPacket = { type: EVENT, nsp: '/', data: smallEventArgs };
  const largePacket = { type: EVENT, nsp: '/', data: largeEventArgs };
  const binaryPacket = { type: EVENT, nsp: '/', data: ['file', binaryAttachment] };
  const smallWire = /** @type {string} */ (officialEncoder.encode(smallPacket)[0]);
  const largeWire = /** @type {string} */ (officialEncoder.encode(largePacket)[0]);
  const binaryWire = officialEncoder.encode(binaryPacket);

  /** @param {object} packet */
  const encodesAlike = (packet) => () =>
    isDeepStrictEqual(wireView(officialEncoder.encode(packet)), wireView(oursEncoder.encode(packet)));

  /** @param {unknown[]} chunks */
  const decodeCase = (chunks) => {
    const officialSide = recordingDecoder(official);
    const oursSide = recordingDecoder(ours);
    return {
      official: () => {
        for (const chunk of chunks) officialSide.decoder.add(chunk);
      },
      ours: () => {
        for (const chunk of chunks) oursSide.decoder.add(chunk);
      },
      sameOutput: () =>
        isDeepStrictEqual(comparable(officialSide.state.last), comparable(oursSide.state.last)) &&
        officialSide.state.last !== undefined,
    };
  };

  const smallEncodeTarget = /** @type {const} */ ({ direction: 'at-least', ratio: 1.3 });
  return [
    {
      metric: 'io-parser: small event encode',
      target: smallEncodeTarget,
      official: () => officialEncoder.encode(smallPacket),
      ours: () => oursEncoder.encode(smallPacket),
      sameOutput: encodesAlike(smallPacket),
    },
    { metric: 'io-parser: small event decode', target: smallEncodeTarget, ...decodeCase([smallWire]) },
    {
      metric: 'io-parser: large JSON encode (10 KB)',
      official: () => officialEncoder.encode(largePacket),
      ours: () => oursEncoder.encode(largePacket),
      sameOutput: encodesAlike(largePacket),
    },
    { metric: 'io-parser: large JSON decode (10 KB)', ...decodeCase([largeWire]) },
    {
      metric: 'io-parser: binary event encode (1 KB)',
      official: () => officialEncoder.encode(binaryPacket),
      ours: () => oursEncoder.encode(binaryPacket),
      sameOutput: encodesAlike(binaryPacket),
    },
    { metric: 'io-parser: binary event decode (1 KB)', ...decodeCase(binaryWire) },
  ];
}
