import type { Duplex } from "node:stream";
import type { ServerResponse } from "node:http";
import debugModule from "debug";

const debug = debugModule("sockwave:engine:server");

/** Engine.IO HTTP error codes, as `engine.io`'s `Server.errors`. */
export const errors = {
  UNKNOWN_TRANSPORT: 0,
  UNKNOWN_SID: 1,
  BAD_HANDSHAKE_METHOD: 2,
  BAD_REQUEST: 3,
  FORBIDDEN: 4,
  UNSUPPORTED_PROTOCOL_VERSION: 5,
} as const;

export type ErrorCode = (typeof errors)[keyof typeof errors];

/** Messages sent with each code, as `engine.io`'s `Server.errorMessages`. */
export const errorMessages: Readonly<Record<ErrorCode, string>> = {
  0: "Transport unknown",
  1: "Session ID unknown",
  2: "Bad handshake method",
  3: "Bad request",
  4: "Forbidden",
  5: "Unsupported protocol version",
};

/** Extra detail about a refused request (`connection_error`'s `context`). */
export type ErrorContext = Record<string, unknown> & { message?: string };

function messageFor(code: ErrorCode, context: ErrorContext | undefined): string {
  return typeof context?.message === "string" && context.message ? context.message : errorMessages[code];
}

/** Answers a refused HTTP request with the JSON error body; 403 for Forbidden, 400 otherwise. */
export function abortRequest(res: ServerResponse, code: ErrorCode, context?: ErrorContext): void {
  if (res.headersSent || res.writableEnded) return;
  const status = code === errors.FORBIDDEN ? 403 : 400;
  res.writeHead(status, { "Content-Type": "application/json" });
  res.end(JSON.stringify({ code, message: messageFor(code, context) }));
}

function ignoreError(this: Duplex, err: Error): void {
  debug("ignoring error on an aborted upgrade: %s", err.message);
}

/**
 * Answers an upgrade request with a raw HTTP error (its socket has no ServerResponse) and destroys the
 * socket. `head` is the status line and the headers before Content-Length, `moreHeaders` those after it.
 */
export function refuseUpgrade(socket: Duplex, head: string, body: string, moreHeaders = ""): void {
  socket.on("error", ignoreError);
  if (socket.writable) socket.write(`${head}Content-Length: ${Buffer.byteLength(body)}\r\n${moreHeaders}\r\n${body}`);
  socket.destroy();
}

/** Refuses a WebSocket upgrade with engine.io's raw `400 Bad Request` and destroys the TCP socket. */
export function abortUpgrade(socket: Duplex, code: ErrorCode, context?: ErrorContext): void {
  refuseUpgrade(socket, "HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-type: text/html\r\n", messageFor(code, context));
}
