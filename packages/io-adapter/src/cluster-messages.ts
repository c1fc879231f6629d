import type { BroadcastFlags, BroadcastOptions, Room } from "./types";

/** The id of one adapter instance in the cluster (random per namespace and process). */
export type ServerId = string;

/** A position in the transport's message log (e.g. a Redis stream id), used as a recovery offset. */
export type Offset = string;

/**
 * The kinds of cluster messages. The numbering is the wire format shared with socket.io-adapter 2.5
 * and the official Redis, Postgres and Mongo adapters: never renumber.
 */
export enum MessageType {
  INITIAL_HEARTBEAT = 1,
  HEARTBEAT = 2,
  BROADCAST = 3,
  SOCKETS_JOIN = 4,
  SOCKETS_LEAVE = 5,
  DISCONNECT_SOCKETS = 6,
  FETCH_SOCKETS = 7,
  FETCH_SOCKETS_RESPONSE = 8,
  SERVER_SIDE_EMIT = 9,
  SERVER_SIDE_EMIT_RESPONSE = 10,
  BROADCAST_CLIENT_COUNT = 11,
  BROADCAST_ACK = 12,
  ADAPTER_CLOSE = 13,
}

/** {@link BroadcastOptions} as it travels between nodes: Sets become arrays. */
export interface EncodedBroadcastOptions {
  rooms: Room[];
  except: Room[];
  flags?: BroadcastFlags;
}

/** A message one node publishes to all the others. */
export type ClusterMessage = { uid: ServerId; nsp: string } & (
  | { type: MessageType.INITIAL_HEARTBEAT | MessageType.HEARTBEAT | MessageType.ADAPTER_CLOSE }
  | {
      type: MessageType.BROADCAST;
      data: { opts: EncodedBroadcastOptions; packet: unknown; requestId?: string };
    }
  | {
      type: MessageType.SOCKETS_JOIN | MessageType.SOCKETS_LEAVE;
      data: { opts: EncodedBroadcastOptions; rooms: Room[] };
    }
  | { type: MessageType.DISCONNECT_SOCKETS; data: { opts: EncodedBroadcastOptions; close?: boolean } }
  | { type: MessageType.FETCH_SOCKETS; data: { opts: EncodedBroadcastOptions; requestId: string } }
  | { type: MessageType.SERVER_SIDE_EMIT; data: { requestId?: string; packet: unknown[] } }
);

/** A message one node sends back to the node that made a request. */
export type ClusterResponse = { uid: ServerId; nsp: string } & (
  | { type: MessageType.FETCH_SOCKETS_RESPONSE; data: { requestId: string; sockets: unknown[] } }
  | { type: MessageType.SERVER_SIDE_EMIT_RESPONSE; data: { requestId: string; packet: unknown } }
  | { type: MessageType.BROADCAST_CLIENT_COUNT; data: { requestId: string; clientCount: number } }
  | { type: MessageType.BROADCAST_ACK; data: { requestId: string; packet: unknown } }
);

/** `Omit` applied to each member of a union, keeping the union discriminated. */
export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A message before the adapter stamps its `uid` and `nsp`. */
export type UnstampedMessage = DistributiveOmit<ClusterMessage, "uid" | "nsp">;
/** A response before the adapter stamps its `uid` and `nsp`. */
export type UnstampedResponse = DistributiveOmit<ClusterResponse, "uid" | "nsp">;

export function encodeOptions(opts: BroadcastOptions): EncodedBroadcastOptions {
  return { rooms: [...opts.rooms], except: [...(opts.except ?? [])], flags: opts.flags };
}

/** Decodes options received from another node; `undefined` when they are malformed. */
export function decodeOptions(value: unknown): BroadcastOptions | undefined {
  if (!isRecord(value)) return undefined;
  const { rooms, except, flags } = value;
  if (!isRoomList(rooms) || !(except === undefined || isRoomList(except))) return undefined;
  if (!(flags === undefined || flags === null || isRecord(flags))) return undefined;
  return { rooms: new Set(rooms), except: new Set(except), flags: flags ?? {} };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function isRoomList(value: unknown): value is Room[] {
  return Array.isArray(value) && value.every((room) => typeof room === "string");
}

/** Whether `value` is an event packet's data: `[eventName, ...args]`. */
export function isEventData(value: unknown): value is unknown[] {
  return Array.isArray(value) && typeof value[0] === "string";
}
