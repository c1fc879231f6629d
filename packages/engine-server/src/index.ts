import * as parser from "@sockwave/engine-parser";

export { parser };
export const protocol = 4;
export { Server } from "./server";
export type {
  ServerOptions,
  AttachOptions,
  ResolvedServerOptions,
  Middleware,
  AllowRequest,
  WsEngine,
  CookieOptions,
  ConnectionError,
  ServerEvents,
  ServerWebSocket,
} from "./server";
export { Socket } from "./socket";
export type { SocketReadyState, CloseReason, SendOptions, SendCallbackFn, WriteData, SocketEvents } from "./socket";
export { Transport } from "./transport";
export type { TransportError, TransportReadyState, SendCallback } from "./transport";
export { transports, Polling, JSONP, WebSocketTransport } from "./transports";
export type { TransportName, TransportFactory } from "./transports";
export type { HttpCompressionOptions } from "./transports/polling";
export { errors, errorMessages } from "./errors";
export type { ErrorCode, ErrorContext } from "./errors";
export { PreparedMessage, prepareMessage } from "./prepared-message";
export { WebSocketConnection } from "./websocket/connection";
export type { WebSocketHandler, WebSocketProtocolError, WebSocketReadyState } from "./websocket/connection";
export type { Packet, PacketType, PacketOptions, RawData, BinaryData } from "./packet";
export type { EngineRequest } from "./request";
export { attach, listen } from "./engine";
