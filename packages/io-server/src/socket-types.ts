import type { IncomingHttpHeaders } from "node:http";
import type { ParsedUrlQuery } from "node:querystring";
import { RESERVED_EVENTS as PARSER_RESERVED_EVENTS } from "@sockwave/io-parser";

/**
 * Why a socket left its namespace. The first nine are socket.io 4.8's; `outbound buffer overflow`
 * is Sockwave's: the client fell too far behind reading what the server sent (see the README).
 */
export type DisconnectReason =
  | "transport error"
  | "transport close"
  | "forced close"
  | "ping timeout"
  | "parse error"
  | "server shutting down"
  | "forced server close"
  | "client namespace disconnect"
  | "server namespace disconnect"
  | "outbound buffer overflow";

/* eslint-disable @typescript-eslint/no-explicit-any -- the official listener signatures */
// any, as socket.io 4.8's listener signatures: narrower types would break user listeners.
export interface SocketReservedEventsMap {
  disconnect: (reason: DisconnectReason, description?: any) => void;
  disconnecting: (reason: DisconnectReason, description?: any) => void;
  error: (err: Error) => void;
}

export interface EventEmitterReservedEventsMap {
  newListener: (eventName: string | symbol, listener: (...args: any[]) => void) => void;
  removeListener: (eventName: string | symbol, listener: (...args: any[]) => void) => void;
}

/**
 * Event names a server may not emit to a client (the client reserves them): the list io-parser
 * refuses in incoming packets too.
 */
export const RESERVED_EVENTS: ReadonlySet<string | symbol> = PARSER_RESERVED_EVENTS;

/** What the server knew about a client when its socket connected. */
export interface Handshake {
  headers: IncomingHttpHeaders;
  time: string;
  address: string;
  xdomain: boolean;
  secure: boolean;
  issued: number;
  url: string;
  query: ParsedUrlQuery;
  // any, as socket.io 4.8 types the client's auth record: unknown would break user code.
  auth: { [key: string]: any };
}
