import { IncomingMessage, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import { Readable } from "node:stream";
import type { WebSocket as WsWebSocket } from "ws";
import type { WebSocketConnection } from "./websocket/connection";

/** The Node request as the engine sees it (engine.io's `EngineRequest`). */
export type EngineRequest = IncomingMessage & {
  /** The parsed query string (own properties only; `__proto__` is just a key). */
  _query: Record<string, string>;
  /** The response of a polling request, until the transport takes it over. */
  res?: ServerResponse | null;
  /** The WebSocket of an upgrade request (ours by default, `ws`'s otherwise), until the transport takes it over. */
  websocket?: WebSocketConnection | WsWebSocket | null;
};

/** Parses `req.url`'s query into `req._query` once. */
export function prepareRequest(req: IncomingMessage): EngineRequest {
  const engineRequest = req as EngineRequest;
  if (engineRequest._query === undefined) {
    const url = req.url ?? "";
    const mark = url.indexOf("?");
    engineRequest._query = mark === -1 ? {} : parseQuery(url.slice(mark + 1));
  }
  return engineRequest;
}

/** Sets an own key; `__proto__` too is just a key. */
function setQueryKey(query: Record<string, string>, key: string, value: string): void {
  if (key === "__proto__") Object.defineProperty(query, key, { value, writable: true, enumerable: true, configurable: true });
  else query[key] = value;
}

/** The query values every session sends, as shared constants instead of one string per session. */
function commonValue(value: string): string {
  switch (value) {
    case "4":
      return "4";
    case "3":
      return "3";
    case "websocket":
      return "websocket";
    case "polling":
      return "polling";
    default:
      return value;
  }
}

/** What URLSearchParams yields (last value of a key wins); split by hand when nothing needs decoding. */
function parseQuery(search: string): Record<string, string> {
  const query: Record<string, string> = {};
  if (search.includes("%") || search.includes("+") || search.startsWith("?")) {
    for (const [key, value] of new URLSearchParams(search)) setQueryKey(query, key, value);
    return query;
  }
  let start = 0;
  while (start < search.length) {
    let end = search.indexOf("&", start);
    if (end === -1) end = search.length;
    if (end > start) {
      const equals = search.indexOf("=", start);
      if (equals === -1 || equals > end) setQueryKey(query, search.slice(start, end), "");
      else setQueryKey(query, search.slice(start, equals), commonValue(search.slice(equals + 1, end)));
    }
    start = end + 1;
  }
  return query;
}

/** Protocol revision requested by the client: 4 for `EIO=4`, 3 otherwise (engine.io's rule). */
export function protocolOf(req: EngineRequest): 3 | 4 {
  return req._query.EIO === "4" ? 4 : 3;
}

/** `Object.hasOwn`, so ids such as `__proto__` or `constructor` never reach the prototype. */
export function hasOwn(object: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key);
}

/** Own properties Node (20-24) and the engine put on an IncomingMessage; any other key came from a middleware. */
const MESSAGE_KEYS = new Set([
  "_readableState", "_events", "_eventsCount", "_maxListeners", "socket", "httpVersionMajor", "httpVersionMinor",
  "httpVersion", "complete", "rawHeaders", "rawTrailers", "joinDuplicateHeaders", "aborted", "upgrade", "url",
  "method", "statusCode", "statusMessage", "client", "_consuming", "_dumped", "parser", "_query", "res", "websocket",
]);

/**
 * What a WebSocket session keeps of its upgrade request as `socket.request`. The IncomingMessage (its
 * stream state, raw header arrays and their strings: about 0.8 KB) is no longer needed once the handshake
 * is done, so the session keeps the parts `socket.request` readers use: `headers`, `url`, `method`, the HTTP
 * version, `socket`/`connection` and `_query`. It still is an `instanceof IncomingMessage`; `rawHeaders` is rebuilt from `headers` when read, and a stream
 * state (of an ended stream) is created only if a stream method is called on it.
 */
export interface HandshakeRequest extends EngineRequest {}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class HandshakeRequest {
  constructor(req: EngineRequest) {
    // the plain data properties below (on the prototype) shadow IncomingMessage's accessors
    this.headers = shareHeaderValues(req.headers);
    this.url = req.url;
    this.method = req.method;
    this.httpVersionMajor = req.httpVersionMajor;
    this.httpVersionMinor = req.httpVersionMinor;
    this.socket = req.socket;
    this._query = req._query;
  }
}

/** Header values seen before, kept once for every later session that sends the same (bounded). */
const sharedHeaderValues = new Map<string, string>();
const SHARED_VALUES_LIMIT = 256;
const SHARED_VALUE_MAX_LENGTH = 256;
/** Headers whose values differ per client: not worth remembering. */
const UNIQUE_HEADERS = new Set(["sec-websocket-key", "cookie", "authorization", "x-forwarded-for", "x-real-ip"]);

/** Swaps repeated header values (host, user-agent, upgrade, ...) for one shared string of the same text. */
function shareHeaderValues(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (typeof value !== "string" || value.length > SHARED_VALUE_MAX_LENGTH || UNIQUE_HEADERS.has(name)) continue;
    const shared = sharedHeaderValues.get(value);
    if (shared !== undefined) headers[name] = shared;
    else if (sharedHeaderValues.size < SHARED_VALUES_LIMIT) sharedHeaderValues.set(value, value);
  }
  return headers;
}

Object.setPrototypeOf(HandshakeRequest.prototype, IncomingMessage.prototype);
const dataProperty = (value: unknown): PropertyDescriptor => ({ value, writable: true, enumerable: false, configurable: true });
function ownValue(target: object, key: string, value: unknown): unknown {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  return value;
}
Object.defineProperties(HandshakeRequest.prototype, {
  headers: dataProperty(undefined),
  socket: dataProperty(null),
  complete: dataProperty(true),
  aborted: dataProperty(false),
  upgrade: dataProperty(true),
  statusCode: dataProperty(null),
  statusMessage: dataProperty(null),
  connection: {
    get(this: HandshakeRequest) {
      return this.socket;
    },
    configurable: true,
  },
  client: {
    get(this: HandshakeRequest) {
      return this.socket;
    },
    configurable: true,
  },
  httpVersion: {
    get(this: HandshakeRequest) {
      return this.httpVersionMajor === 1 && this.httpVersionMinor === 1 ? "1.1" : `${this.httpVersionMajor}.${this.httpVersionMinor}`;
    },
    configurable: true,
  },
  rawHeaders: {
    get(this: HandshakeRequest) {
      const raw: string[] = [];
      const headers = this.headers as IncomingHttpHeaders;
      for (const name of Object.keys(headers)) {
        const value = headers[name];
        if (Array.isArray(value)) for (const item of value) raw.push(name, item);
        else if (value !== undefined) raw.push(name, value);
      }
      return raw;
    },
    set(this: HandshakeRequest, value: string[]) {
      ownValue(this, "rawHeaders", value);
    },
    configurable: true,
  },
  headersDistinct: {
    get(this: HandshakeRequest) {
      const distinct: Record<string, string[]> = {};
      const headers = this.headers as IncomingHttpHeaders;
      for (const name of Object.keys(headers)) {
        const value = headers[name];
        if (value !== undefined) distinct[name] = Array.isArray(value) ? value.slice() : [value];
      }
      return distinct;
    },
    configurable: true,
  },
  trailers: {
    get: () => ({}),
    configurable: true,
  },
  rawTrailers: {
    get: () => [],
    configurable: true,
  },
  trailersDistinct: {
    get: () => ({}),
    configurable: true,
  },
  // stream state, only for code that treats socket.request as a stream: an ended, destroyed Readable's
  _readableState: {
    get(this: HandshakeRequest) {
      const ended = new Readable({ read() {} });
      ended.push(null);
      ended.destroy();
      return ownValue(this, "_readableState", (ended as unknown as { _readableState: unknown })._readableState);
    },
    set(this: HandshakeRequest, value: unknown) {
      ownValue(this, "_readableState", value);
    },
    configurable: true,
  },
});

/**
 * The `socket.request` of a WebSocket session: a HandshakeRequest, unless middlewares decorated the request
 * (`session`, `user`, ...). Those keep the IncomingMessage itself, as objects they attach may point back to
 * it (express-session's `req.session.reload()` replaces `session` on the request it was created for).
 */
export function leanRequest(req: EngineRequest): EngineRequest {
  for (const key of Object.keys(req)) if (!MESSAGE_KEYS.has(key)) return req;
  return new HandshakeRequest(req);
}
