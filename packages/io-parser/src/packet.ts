/** The Socket.IO protocol revision this parser speaks. */
export const protocol = 5;

/** The packet type: the first character of every encoded packet. */
export enum PacketType {
  CONNECT = 0,
  DISCONNECT = 1,
  EVENT = 2,
  ACK = 3,
  CONNECT_ERROR = 4,
  BINARY_EVENT = 5,
  BINARY_ACK = 6,
}

/** The name of each packet type, by number, for error messages. */
export const PACKET_TYPE_NAMES: readonly string[] = [
  "CONNECT",
  "DISCONNECT",
  "EVENT",
  "ACK",
  "CONNECT_ERROR",
  "BINARY_EVENT",
  "BINARY_ACK",
];

/** Binary values the encoder detects and sends as separate attachments. */
export type BinaryData = ArrayBuffer | ArrayBufferView | Blob;

/** A binary attachment as handed over by older Engine.IO parsers that could not produce an ArrayBuffer. */
export interface Base64Attachment {
  base64: true;
  data: string;
}

/** What `Decoder#add` accepts: one Engine.IO message. */
export type DecoderChunk = string | BinaryData | Base64Attachment;

/**
 * A packet as the encoder accepts it (the shape of socket.io-parser's `Packet`).
 * `data` is whatever the packet type allows; see {@link DecodedPacket} for the narrowed forms.
 */
export interface Packet {
  type: PacketType;
  nsp: string;
  data?: unknown;
  id?: number;
  attachments?: number;
}

/** A plain object, such as CONNECT auth data. */
export type PacketObject = Record<string, unknown>;

export interface ConnectPacket {
  type: PacketType.CONNECT;
  nsp: string;
  /** The auth payload (client to server) or `{ sid, pid? }` (server to client). */
  data?: PacketObject;
  id?: undefined;
}

export interface DisconnectPacket {
  type: PacketType.DISCONNECT;
  nsp: string;
  data?: undefined;
  id?: undefined;
}

export interface EventPacket {
  type: PacketType.EVENT;
  nsp: string;
  /** The event name (or a number), then the arguments; binary attachments are already in place. */
  data: [event: string | number, ...args: unknown[]];
  /** Present when the sender expects an acknowledgement. */
  id?: number;
}

export interface AckPacket {
  type: PacketType.ACK;
  nsp: string;
  /** The acknowledgement's arguments; binary attachments are already in place. */
  data: unknown[];
  id: number;
}

export interface ConnectErrorPacket {
  type: PacketType.CONNECT_ERROR;
  nsp: string;
  /** `{ message, data? }` from Socket.IO 3+ servers; a bare string from older ones. */
  data: string | PacketObject;
  id?: undefined;
}

/**
 * What the decoder emits. Binary packets come out as EVENT or ACK with their attachments
 * reconstructed, exactly as socket.io-parser emits them.
 */
export type DecodedPacket = ConnectPacket | DisconnectPacket | EventPacket | AckPacket | ConnectErrorPacket;
