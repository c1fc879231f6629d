/**
 * @sockwave/io-server: a drop-in for socket.io 4.8's server.
 * `import { Server } from "@sockwave/io-server"`; CommonJS users may also call the module itself:
 * `require("@sockwave/io-server")(httpServer, options)`.
 */
export { Server, DEFAULT_MAX_OUTBOUND_BYTES, DEFAULT_MAX_OUTBOUND_PACKETS } from "./server";
export type { ServerOptions, ParentNspNameMatchFn } from "./server";
export { Namespace } from "./namespace";
export type { ExtendedError, NamespaceReservedEventsMap, ServerReservedEventsMap, AdapterConstructor } from "./namespace";
export { ParentNamespace } from "./parent-namespace";
export { Socket, MAX_EVENT_ARGUMENTS } from "./socket";
export type { Event } from "./socket";
export { BroadcastOperator, RemoteSocket } from "./broadcast-operator";
export type { SocketDetails } from "./broadcast-operator";
export type { Client } from "./client";
export type { DisconnectReason, Handshake, SocketReservedEventsMap } from "./socket-types";
export type { CorsOptions } from "./cors";
export type { Packet, PacketDecoder, PacketEncoder, Parser, ParserOption } from "./parser-contract";
export type {
  AllButLast,
  DecorateAcknowledgements,
  DecorateAcknowledgementsWithMultipleResponses,
  DecorateAcknowledgementsWithTimeoutAndMultipleResponses,
  DefaultEventsMap,
  EventNames,
  EventNamesWithAck,
  EventNamesWithError,
  EventNamesWithoutAck,
  EventParams,
  EventsMap,
  FirstNonErrorArg,
  Last,
  RemoveAcknowledgements,
  TypedEventBroadcaster,
} from "./typed-events";
