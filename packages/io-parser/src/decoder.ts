import { isBinary } from "./binary";
import { emitOne } from "./emit-one";
import { TypedEmitter } from "./emitter";
import { DecodeError } from "./errors";
import {
  PACKET_TYPE_NAMES,
  PacketType,
  type AckPacket,
  type Base64Attachment,
  type DecodedPacket,
  type DecoderChunk,
  type EventPacket,
} from "./packet";
import { BinaryReconstruction, findPlaceholders } from "./reconstruction";
import { isPlainObject, RESERVED_EVENTS } from "./validation";

/** A JSON.parse reviver. */
export type JSONReviver = (this: unknown, key: string, value: unknown) => unknown;

export interface DecoderOptions {
  /** Passed to JSON.parse for every payload. */
  reviver?: JSONReviver;
  /** Most binary attachments one packet may declare. @default 10 */
  maxAttachments?: number;
  /**
   * Longest namespace accepted, in UTF-16 code units (Sockwave addition). Generous because
   * socket.io v2 clients (allowEIO3) put their query, often a token, in the namespace. @default 16384
   */
  maxNamespaceLength?: number;
}

export interface DecoderEvents {
  decoded: (packet: DecodedPacket) => void;
}

const DEFAULT_MAX_ATTACHMENTS = 10;
const DEFAULT_MAX_NAMESPACE_LENGTH = 16_384;

const ZERO = 48;
const NINE = 57;
const DASH = 45;
const SLASH = 47;

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : typeof value;
}

function checkLimit(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || Number.isNaN(value) || value < 0 || (Number.isFinite(value) && !Number.isInteger(value))) {
    throw new TypeError(`Decoder option ${name} must be a non-negative integer (or Infinity), got ${String(value)}`);
  }
  return value;
}

function isBase64Attachment(chunk: unknown): chunk is Base64Attachment {
  return typeof chunk === "object" && chunk !== null && Boolean((chunk as { base64?: unknown }).base64);
}

function invalid(type: number, reason: string): DecodeError {
  return new DecodeError(`invalid ${PACKET_TYPE_NAMES[type]} packet: ${reason}`);
}

/**
 * Decodes Engine.IO messages into Socket.IO packets and emits each complete packet as `decoded`.
 * A binary packet is emitted once all its attachments have arrived. Invalid input throws a
 * {@link DecodeError}; the decoder then drops any half-received packet and can go on.
 */
export class Decoder extends TypedEmitter<DecoderEvents> {
  private readonly reviver: JSONReviver | undefined;
  private readonly maxAttachments: number;
  private readonly maxNamespaceLength: number;
  private reconstruction: BinaryReconstruction | null = null;

  /** @param options the options, or just a reviver (as socket.io-parser accepts) */
  constructor(options?: DecoderOptions | JSONReviver) {
    super();
    const opts: DecoderOptions = typeof options === "function" ? { reviver: options } : (options ?? {});
    this.reviver = opts.reviver;
    this.maxAttachments = checkLimit("maxAttachments", opts.maxAttachments, DEFAULT_MAX_ATTACHMENTS);
    this.maxNamespaceLength = checkLimit("maxNamespaceLength", opts.maxNamespaceLength, DEFAULT_MAX_NAMESPACE_LENGTH);
  }

  /** Decodes one Engine.IO message: a packet's text, or one binary attachment of the current packet. */
  add(chunk: DecoderChunk): void {
    if (typeof chunk === "string") {
      if (this.reconstruction !== null) {
        const missing = this.reconstruction.missing;
        this.reconstruction = null;
        throw new DecodeError(
          `got a text packet while ${missing} binary attachment${missing === 1 ? " was" : "s were"} still expected`,
        );
      }
      const packet = this.decodeText(chunk);
      if (packet !== null) emitOne(this, "decoded", packet);
      return;
    }
    if (isBinary(chunk) || isBase64Attachment(chunk)) {
      const reconstruction = this.reconstruction;
      if (reconstruction === null) {
        throw new DecodeError("got binary data but no binary packet is waiting for attachments");
      }
      const packet = reconstruction.add(chunk);
      if (packet !== null) {
        this.reconstruction = null;
        emitOne(this, "decoded", packet);
      }
      return;
    }
    throw new DecodeError(`cannot decode ${describe(chunk)}: expected a string or binary data`);
  }

  /** Drops a half-received binary packet. */
  destroy(): void {
    this.reconstruction = null;
  }

  /** Parses `<type>[<attachments>-][<nsp>,][<id>][<json>]` in one pass; null while attachments are due. */
  private decodeText(text: string): DecodedPacket | null {
    const length = text.length;
    const type = text.charCodeAt(0) - ZERO;
    if (!(type >= PacketType.CONNECT && type <= PacketType.BINARY_ACK)) {
      throw new DecodeError(
        length === 0
          ? "empty packet: expected a packet type digit from 0 to 6"
          : `unknown packet type ${JSON.stringify(text.charAt(0))}: expected a digit from 0 to 6`,
      );
    }
    let index = 1;
    let code: number;

    let attachmentCount = 0;
    if (type >= PacketType.BINARY_EVENT) {
      const start = index;
      for (code = text.charCodeAt(index); code >= ZERO && code <= NINE; code = text.charCodeAt(++index)) {
        attachmentCount = attachmentCount * 10 + (code - ZERO);
        if (attachmentCount > this.maxAttachments || attachmentCount > Number.MAX_SAFE_INTEGER) {
          throw invalid(type, `too many attachments (the limit is ${this.maxAttachments}, see maxAttachments)`);
        }
      }
      if (index === start || code !== DASH) {
        throw invalid(type, "expected the number of attachments followed by '-' after the type");
      }
      if (attachmentCount < 1) throw invalid(type, "a binary packet needs at least one attachment");
      index++;
    }

    let nsp = "/";
    if (text.charCodeAt(index) === SLASH) {
      let end = text.indexOf(",", index);
      if (end === -1) end = length;
      if (end - index > this.maxNamespaceLength) {
        throw invalid(type, `namespace longer than ${this.maxNamespaceLength} characters (see maxNamespaceLength)`);
      }
      nsp = text.slice(index, end);
      index = end + 1;
    }

    let id: number | undefined;
    code = text.charCodeAt(index);
    if (code >= ZERO && code <= NINE) {
      if (type !== PacketType.EVENT && type !== PacketType.ACK && type < PacketType.BINARY_EVENT) {
        throw invalid(type, "only EVENT and ACK packets carry an ack id");
      }
      let value = 0;
      do {
        value = value * 10 + (code - ZERO);
        if (value > Number.MAX_SAFE_INTEGER) throw invalid(type, "ack id larger than Number.MAX_SAFE_INTEGER");
        code = text.charCodeAt(++index);
      } while (code >= ZERO && code <= NINE);
      id = value;
    }

    if (index >= length) {
      if (type === PacketType.CONNECT || type === PacketType.DISCONNECT) return { type, nsp };
      throw invalid(type, "the payload is missing");
    }
    if (type === PacketType.DISCONNECT) throw invalid(type, "a DISCONNECT packet carries no payload");

    let data: unknown;
    try {
      data = JSON.parse(text.slice(index), this.reviver);
    } catch (error) {
      // JSON.parse itself is iterative; a reviver walks recursively and can exhaust the stack.
      if (error instanceof RangeError) throw invalid(type, "the payload is nested too deeply to revive");
      throw invalid(type, `the payload is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
    }

    switch (type) {
      case PacketType.EVENT:
      case PacketType.BINARY_EVENT: {
        if (!Array.isArray(data)) throw invalid(type, `the payload must be an array, got ${describe(data)}`);
        const name: unknown = data[0];
        if (typeof name !== "number") {
          if (typeof name !== "string") {
            throw invalid(type, `the first item must be the event name (a string) or a number, got ${describe(name)}`);
          }
          if (RESERVED_EVENTS.has(name)) throw invalid(type, `"${name}" is a reserved event name`);
        }
        const eventData = data as EventPacket["data"];
        const packet: EventPacket =
          id === undefined
            ? { type: PacketType.EVENT, nsp, data: eventData }
            : { type: PacketType.EVENT, nsp, id, data: eventData };
        return type === PacketType.EVENT ? packet : this.awaitAttachments(packet, attachmentCount);
      }
      case PacketType.ACK:
      case PacketType.BINARY_ACK: {
        if (!Array.isArray(data)) throw invalid(type, `the payload must be an array, got ${describe(data)}`);
        if (id === undefined) throw invalid(type, "the ack id is missing");
        const packet: AckPacket = { type: PacketType.ACK, nsp, id, data };
        return type === PacketType.ACK ? packet : this.awaitAttachments(packet, attachmentCount);
      }
      case PacketType.CONNECT:
        if (!isPlainObject(data)) throw invalid(type, `the payload must be a plain object, got ${describe(data)}`);
        return { type, nsp, data };
      default:
        if (typeof data !== "string" && !isPlainObject(data)) {
          throw invalid(type, `the payload must be a string or a plain object, got ${describe(data)}`);
        }
        return { type: PacketType.CONNECT_ERROR, nsp, data };
    }
  }

  private awaitAttachments(packet: EventPacket | AckPacket, attachmentCount: number): null {
    const slots = findPlaceholders(packet.data, attachmentCount, this.reviver !== undefined);
    this.reconstruction = new BinaryReconstruction(packet, attachmentCount, slots);
    return null;
  }
}
