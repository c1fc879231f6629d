import { protocol } from "@sockwave/io-parser";
import { lookup } from "./lookup";
import { Manager } from "./manager";
import { Socket } from "./socket";

/**
 * `io(uri?, opts?)`: a Socket for the namespace in the URI's path. It doubles as a namespace
 * (`io.connect()`, `new io.Manager()`, `io.protocol`), as in socket.io-client.
 */
const io = Object.assign(lookup, { Manager, Socket, io: lookup, connect: lookup, protocol });

export { protocol, Manager, Socket, io, io as connect, io as default };
export type { LookupOptions } from "./lookup";
export type { ManagerOptions, ManagerReservedEvents, Parser, ParserDecoder, ParserEncoder } from "./manager";
export type { DisconnectDescription, ExtendedError, SocketOptions, SocketReservedEvents } from "./socket";
export type { DecorateAcknowledgements } from "./typed-events";
export type { DefaultEventsMap, EventNames, EventParams, EventsMap } from "@sockwave/engine-client";
// the transports, for the `transports` option, as socket.io-client re-exports them (no WebTransport yet)
export { Fetch, NodeXHR, XHR, NodeWebSocket, WebSocket } from "@sockwave/engine-client";
