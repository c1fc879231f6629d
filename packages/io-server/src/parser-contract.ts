import type { EngineData } from "./engine";

/**
 * What io-server uses of a Socket.IO parser (@sockwave/io-parser, socket.io-parser 4 or
 * socket.io-msgpack-parser): an `Encoder` class and a `Decoder` class of these shapes.
 */

/** Packet type numbers of the Socket.IO protocol 5. */
export const PacketType = {
  CONNECT: 0,
  DISCONNECT: 1,
  EVENT: 2,
  ACK: 3,
  CONNECT_ERROR: 4,
  BINARY_EVENT: 5,
  BINARY_ACK: 6,
} as const;

export interface Packet {
  type: number;
  nsp: string;
  data?: unknown;
  id?: number;
  attachments?: number;
}

/** A packet before the server fills in its namespace. */
export type OutgoingPacket = Omit<Packet, "nsp"> & { nsp?: string };

export interface PacketEncoder {
  encode(packet: Packet): EngineData[];
}

export interface PacketDecoder {
  add(chunk: unknown): void;
  on(event: "decoded", listener: (packet: Packet) => void): unknown;
  removeListener?(event: "decoded", listener: (packet: Packet) => void): unknown;
  destroy(): void;
}

/**
 * The `parser` server option as users pass it: @sockwave/io-parser, socket.io-parser 4 and
 * socket.io-msgpack-parser all fit. `encode` returns `unknown` because their typings differ from
 * what they return (io-parser's include browser Blobs; socket.io-msgpack-parser declares an
 * ArrayBuffer and returns an array); at run time every one returns an array of strings and
 * buffers, so the server reads the option as a `Parser`.
 */
export interface ParserOption {
  Encoder: new () => { encode(packet: Packet): unknown };
  Decoder: new () => PacketDecoder;
}

/** The parser as the server uses it. */
export interface Parser {
  Encoder: new () => PacketEncoder;
  Decoder: new () => PacketDecoder;
}
