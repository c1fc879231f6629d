import type { IncomingMessage, ServerResponse } from "node:http";
import type { WebSocket as WsWebSocket } from "ws";
import { ListenerTable, type EmitterState } from "./lean-emitter";

/** The Node request as the engine sees it (engine.io's `EngineRequest`). */
export type EngineRequest = IncomingMessage & {
  /** The parsed query string (own properties only; `__proto__` is just a key). */
  _query: Record<string, string>;
  /** The response of a polling request, until the transport takes it over. */
  res?: ServerResponse | null;
  /** The WebSocket of an upgrade request, until the transport takes it over. */
  websocket?: WsWebSocket | null;
};

/** Parses `req.url`'s query into `req._query` once. */
export function prepareRequest(req: IncomingMessage): EngineRequest {
  const engineRequest = req as EngineRequest;
  if (engineRequest._query === undefined) {
    const url = req.url ?? "";
    const mark = url.indexOf("?");
    const query: Record<string, string> = {};
    if (mark !== -1) {
      for (const [key, value] of new URLSearchParams(url.slice(mark + 1))) {
        Object.defineProperty(query, key, { value, writable: true, enumerable: true, configurable: true });
      }
    }
    engineRequest._query = query;
  }
  return engineRequest;
}

/**
 * An upgraded request is never read again but lives as long as its session (`socket.request`): swap its
 * empty dictionary-mode listener table for a fast-mode one (see lean-emitter.ts). Listeners stay usable.
 */
export function releaseRequestListeners(req: IncomingMessage): void {
  const emitter = req as unknown as EmitterState;
  if (emitter._eventsCount === 0) emitter._events = new ListenerTable();
}

/** Protocol revision requested by the client: 4 for `EIO=4`, 3 otherwise (engine.io's rule). */
export function protocolOf(req: EngineRequest): 3 | 4 {
  return req._query.EIO === "4" ? 4 : 3;
}

/** `Object.hasOwn`, so ids such as `__proto__` or `constructor` never reach the prototype. */
export function hasOwn(object: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key);
}
