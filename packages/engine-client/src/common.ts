// What both entries (Node and browser) export; each entry adds its platform transports and default Socket.
export { Emitter } from "./emitter";
export type {
  DefaultEventsMap,
  EventNames,
  EventParams,
  EventsMap,
  ReservedOrUserEventNames,
  ReservedOrUserListener,
} from "./emitter";
export { SocketWithoutUpgrade } from "./socket";
export type { HandshakeData, SocketReservedEvents, SocketState, WriteOptions } from "./socket";
export { SocketWithUpgrade } from "./socket-with-upgrade";
export type { SocketOptions, TransportCtor, TransportName } from "./socket-options";
export { Transport, TransportError } from "./transport";
export type { CloseDetails, TransportOptions, TransportReservedEvents } from "./transport";
export { Polling } from "./transports/polling";
export type { PollRequest } from "./transports/polling";
export { BaseWebSocket } from "./transports/websocket";
export { Fetch } from "./transports/polling-fetch";
export { XHR } from "./transports/polling-xhr";
export { WS as WebSocket } from "./transports/websocket-browser";
export { WebTransport } from "./transports/webtransport";
export { installTimerFunctions, nextTick } from "./util";
export { parse } from "./parse-uri";
export type { ParsedUri } from "./parse-uri";
export { CookieJar } from "./cookie-jar";
export type { BinaryType, Packet, PacketType, RawData } from "@sockwave/engine-parser";

import { protocol as engineProtocol } from "@sockwave/engine-parser";
/** The Engine.IO protocol revision this client speaks (4). */
export const protocol: number = engineProtocol;
