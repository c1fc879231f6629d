import { EventEmitter } from "node:events";
import type { IncomingMessage, Server as HttpServer, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { serialize as serializeCookie, type SerializeOptions } from "cookie";
import corsMiddleware, { type CorsOptions, type CorsOptionsDelegate } from "cors";
import debugModule from "debug";
import { WebSocketServer, type WebSocket as WsWebSocket, type PerMessageDeflateOptions } from "ws";
import { abortRequest, abortUpgrade, errorMessages, errors, type ErrorCode, type ErrorContext } from "./errors";
import { HeartbeatQueue } from "./heartbeat";
import type { EmitterListener } from "./lean-emitter";
import type { Packet, RawData } from "./packet";
import { hasOwn, leanRequest, prepareRequest, protocolOf, type EngineRequest } from "./request";
import { generateSessionId } from "./session-id";
import { Socket } from "./socket";
import type { Transport } from "./transport";
import { transports, type TransportName } from "./transports";
import type { HttpCompressionOptions } from "./transports/polling";
import { Polling } from "./transports/polling";
import { WebSocketTransport } from "./transports/websocket";
import { OPEN as WS_OPEN, WebSocketConnection } from "./websocket/connection";
import { acceptWebSocket } from "./websocket/handshake";
import { objectView } from "./session-view";
import { corkForThisTurn } from "./write-scheduler";

const debug = debugModule("sockwave:engine:server");

/** Express-style middleware; runs for handshakes, polling requests and upgrades. */
export type Middleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

export type AllowRequest = (req: IncomingMessage, fn: (err: string | null | undefined, success: boolean) => void) => void;

/** A WebSocket server class compatible with `ws`'s `WebSocketServer` in `noServer` mode. */
export type WsEngine = new (options: {
  noServer: boolean;
  clientTracking: boolean;
  perMessageDeflate: boolean | PerMessageDeflateOptions;
  maxPayload: number;
}) => WebSocketServer;

export interface CookieOptions extends SerializeOptions {
  /** Cookie name (default "io"). */
  name?: string;
}

export interface ServerOptions {
  /** Ms between server pings (default 25000). */
  pingInterval?: number;
  /** Ms to wait for a pong before closing (default 20000). */
  pingTimeout?: number;
  /** Ms an upgrade may take (default 10000). */
  upgradeTimeout?: number;
  /** Largest message or polling body in bytes (default 1e6). */
  maxHttpBufferSize?: number;
  /** Decides whether a handshake may proceed. */
  allowRequest?: AllowRequest;
  /** Allowed transports (default ["polling", "websocket"]). */
  transports?: TransportName[];
  /** Whether clients may upgrade (default true). */
  allowUpgrades?: boolean;
  /** permessage-deflate for WebSocket (default false). */
  perMessageDeflate?: boolean | PerMessageDeflateOptions;
  /** Compression of polling responses (default { threshold: 1024 }). */
  httpCompression?: boolean | HttpCompressionOptions;
  /** WebSocket server implementation (default `ws`'s WebSocketServer). */
  wsEngine?: WsEngine;
  /** A message sent right after the open packet. */
  initialPacket?: RawData;
  /** Sets a cookie holding the session id on the handshake (default false). */
  cookie?: boolean | CookieOptions;
  /** CORS options for the `cors` package (default off). */
  cors?: CorsOptions | CorsOptionsDelegate;
  /** Accept protocol 3 clients (socket.io 2) (default false). */
  allowEIO3?: boolean;
}

export interface AttachOptions {
  /** Path to intercept (default "/engine.io"). */
  path?: string;
  /** Whether a trailing slash is appended to the path (default true). */
  addTrailingSlash?: boolean;
  /** Destroy upgrade requests this server does not handle (default true). */
  destroyUpgrade?: boolean;
  /** Ms before such upgrades are destroyed (default 1000). */
  destroyUpgradeTimeout?: number;
}

/** Options after defaults are applied. */
export interface ResolvedServerOptions extends Omit<ServerOptions, "cors"> {
  pingInterval: number;
  pingTimeout: number;
  upgradeTimeout: number;
  maxHttpBufferSize: number;
  transports: TransportName[];
  allowUpgrades: boolean;
  perMessageDeflate: false | PerMessageDeflateOptions;
  httpCompression: false | HttpCompressionOptions;
  wsEngine: WsEngine;
  cookie: false | (CookieOptions & { name: string });
  cors: false | CorsOptions | CorsOptionsDelegate;
  allowEIO3: boolean;
}

/** The `connection_error` event's argument. */
export interface ConnectionError {
  req: IncomingMessage;
  code: ErrorCode;
  message: string;
  context: ErrorContext | undefined;
}

type Verdict = (code?: ErrorCode, context?: ErrorContext) => void;

const kResponseHeaders = Symbol("sockwave:responseHeaders");
type UpgradeRequest = EngineRequest & { [kResponseHeaders]?: Record<string, string | number | readonly string[]> };

/** Either side of the WebSocket choice: our own connection (the default) or a `ws` WebSocket. */
export type ServerWebSocket = WebSocketConnection | WsWebSocket;

/** The one heartbeat queue per phase shared by all sockets of a server. */
export interface HeartbeatQueues {
  ping: HeartbeatQueue;
  pong: HeartbeatQueue;
  v3Timeout: HeartbeatQueue;
}

/**
 * The subset of `ServerResponse` middlewares need during an upgrade: headers they set are added to
 * the 101 response; `end()` refuses the upgrade.
 */
class WebSocketResponse {
  constructor(
    private readonly req: UpgradeRequest,
    readonly socket: Duplex,
  ) {
    req[kResponseHeaders] = {};
  }
  setHeader(name: string, value: string | number | readonly string[]): this {
    this.req[kResponseHeaders]![name] = value;
    return this;
  }
  getHeader(name: string): string | number | readonly string[] | undefined {
    return this.req[kResponseHeaders]?.[name];
  }
  removeHeader(name: string): void {
    delete this.req[kResponseHeaders]?.[name];
  }
  write(): boolean {
    return true;
  }
  writeHead(): this {
    return this;
  }
  end(): this {
    this.socket.destroy();
    return this;
  }
}

function ignoreUpgradeError(this: WsWebSocket, err: Error): void {
  debug("websocket error before upgrade: %s", err.message);
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof value === "object" && value !== null && typeof (value as PromiseLike<unknown>).then === "function";
}

/** True if the value holds a character not allowed in an HTTP header value. */
function hasInvalidHeaderChar(value: string): boolean {
  return /[^\t\x20-\x7e\x80-\xff]/.test(value);
}

/** The server's events and their listeners' arguments. */
export interface ServerEvents {
  connection: (socket: Socket) => void;
  connection_error: (err: ConnectionError) => void;
  initial_headers: (headers: Record<string, string | string[]>, req: IncomingMessage) => void;
  headers: (headers: Record<string, string | string[]>, req: IncomingMessage) => void;
  flush: (socket: Socket, packets: Packet[]) => void;
  drain: (socket: Socket) => void;
}

// Typed listeners for the known events; any other name keeps EventEmitter's signature.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface Server {
  on<E extends keyof ServerEvents>(event: E, listener: ServerEvents[E]): this;
  on(event: string | symbol, listener: EmitterListener): this;
  once<E extends keyof ServerEvents>(event: E, listener: ServerEvents[E]): this;
  once(event: string | symbol, listener: EmitterListener): this;
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class Server extends EventEmitter {
  static readonly errors = errors;
  static readonly errorMessages = errorMessages;

  readonly opts: ResolvedServerOptions;
  /** The open sessions by id (the server's own lookups use this Map; see `clients`). */
  private readonly sessions = new Map<string, Socket>();
  /** The open sessions by id, as engine.io's plain object: a live view of the server's Map. */
  readonly clients: Record<string, Socket> = objectView(this.sessions);
  clientsCount = 0;
  /** Set by `listen()`. */
  httpServer?: HttpServer;
  protected middlewares: Middleware[] = [];
  private wsServer: WebSocketServer | null = null;
  /**
   * Whether upgrades are answered by our own RFC 6455 implementation (src/websocket) rather than `ws`:
   * the default; a custom wsEngine or permessage-deflate (which it does not implement) keep `ws`.
   */
  private readonly ownWebSocket: boolean;
  private heartbeatQueues: HeartbeatQueues | null = null;

  constructor(opts: ServerOptions = {}) {
    super();
    const cookie = opts.cookie
      ? { name: "io", path: "/", httpOnly: true, sameSite: "lax" as const, ...(opts.cookie === true ? {} : opts.cookie) }
      : false;
    const perMessageDeflate = opts.perMessageDeflate
      ? { threshold: 1024, ...(opts.perMessageDeflate === true ? {} : opts.perMessageDeflate) }
      : false;
    const httpCompression =
      opts.httpCompression === false
        ? false
        : opts.httpCompression === undefined || opts.httpCompression === true
          ? { threshold: 1024 }
          : opts.httpCompression;
    this.opts = {
      ...opts,
      pingInterval: opts.pingInterval ?? 25000,
      pingTimeout: opts.pingTimeout ?? 20000,
      upgradeTimeout: opts.upgradeTimeout ?? 10000,
      maxHttpBufferSize: opts.maxHttpBufferSize ?? 1e6,
      transports: opts.transports ?? ["polling", "websocket"],
      allowUpgrades: opts.allowUpgrades ?? true,
      perMessageDeflate,
      httpCompression,
      wsEngine: opts.wsEngine ?? WebSocketServer,
      cookie,
      cors: opts.cors ?? false,
      allowEIO3: opts.allowEIO3 ?? false,
    };
    this.ownWebSocket = opts.wsEngine === undefined && !perMessageDeflate;
    if (this.opts.cors) this.use(corsMiddleware(this.opts.cors as CorsOptions) as Middleware);
  }

  /** @internal The shared heartbeat queues, created with the options in force at the first session. */
  get heartbeats(): HeartbeatQueues {
    const { pingInterval, pingTimeout } = this.opts;
    return (this.heartbeatQueues ??= {
      ping: new HeartbeatQueue(pingInterval),
      pong: new HeartbeatQueue(pingTimeout),
      v3Timeout: new HeartbeatQueue(pingInterval + pingTimeout),
    });
  }

  /** Transports a client on `transport` may upgrade to. */
  upgrades(transport: string): readonly string[] {
    if (!this.opts.allowUpgrades) return [];
    return hasOwn(transports, transport) ? (transports[transport as TransportName].upgradesTo ?? []) : [];
  }

  /** Adds an Express-style middleware, run for every handshake, polling request and upgrade. */
  use(fn: Middleware): void {
    this.middlewares.push(fn);
  }

  /** Override (sync or async) to choose session ids; the default is 20 random base64url characters. */
  generateId(req: IncomingMessage): string | PromiseLike<string> {
    void req;
    return generateSessionId();
  }

  /** Closes every session and the WebSocket server. */
  close(): this {
    debug("closing all open clients");
    for (const socket of [...this.sessions.values()]) socket.close(true);
    this.cleanup();
    return this;
  }

  protected cleanup(): void {
    if (this.wsServer) {
      debug("closing webSocketServer");
      this.wsServer.close();
      this.wsServer = null;
    }
  }

  // ---- HTTP ---------------------------------------------------------------------------------

  /** Handles an Engine.IO HTTP request (polling or handshake). */
  handleRequest(req: IncomingMessage, res: ServerResponse): void {
    debug('handling "%s" http request "%s"', req.method, req.url);
    const engineRequest = prepareRequest(req);
    engineRequest.res = res;
    const verdict: Verdict = (code, context) => {
      if (code !== undefined) {
        this.emitConnectionError(engineRequest, code, context);
        engineRequest.res = null;
        abortRequest(res, code, context);
        return;
      }
      const sid = engineRequest._query.sid;
      if (sid) {
        debug("setting new request for existing client");
        const client = this.sessions.get(sid);
        if (client) client.transport.onRequest(engineRequest);
        else abortRequest(res, errors.UNKNOWN_SID);
      } else {
        this.handshake(engineRequest._query.transport as TransportName, engineRequest, (errorCode, errorContext) =>
          abortRequest(res, errorCode, errorContext),
        );
      }
    };
    this.applyMiddlewares(engineRequest, res, (err) => {
      if (err) verdict(errors.BAD_REQUEST, { name: "MIDDLEWARE_FAILURE" });
      else this.verify(engineRequest, false, verdict);
    });
  }

  /** Handles an HTTP upgrade request (WebSocket handshake or upgrade of a polling session). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, upgradeHead: Buffer): void {
    const engineRequest = prepareRequest(req) as UpgradeRequest;
    const verdict: Verdict = (code, context) => {
      if (code !== undefined) {
        this.emitConnectionError(engineRequest, code, context);
        // never `delete` on the request: it would turn the long-lived object into a slow dictionary
        if (engineRequest[kResponseHeaders] !== undefined) engineRequest[kResponseHeaders] = undefined;
        abortUpgrade(socket, code, context);
        return;
      }
      if (socket.destroyed) return;
      if (this.ownWebSocket) {
        const connection = acceptWebSocket(engineRequest, socket, upgradeHead, this.opts.maxHttpBufferSize, this.addWebSocketHeaders);
        if (connection !== null) this.onWebSocket(engineRequest, socket, connection);
        return;
      }
      const wsServer = this.webSocketServer();
      // the 101 response and the first frames leave together at the end of the turn
      if (wsServer instanceof WebSocketServer && "cork" in socket) corkForThisTurn(socket as Duplex & { cork(): void; uncork(): void });
      wsServer.handleUpgrade(engineRequest, socket, upgradeHead.length > 0 ? Buffer.from(upgradeHead) : upgradeHead, (websocket) => {
        this.onWebSocket(engineRequest, socket, websocket);
      });
    };
    if (this.middlewares.length === 0) {
      this.verify(engineRequest, true, verdict);
      return;
    }
    const res = new WebSocketResponse(engineRequest, socket);
    this.applyMiddlewares(engineRequest, res as unknown as ServerResponse, (err) => {
      if (err) verdict(errors.BAD_REQUEST, { name: "MIDDLEWARE_FAILURE" });
      else this.verify(engineRequest, true, verdict);
    });
  }

  private applyMiddlewares(req: IncomingMessage, res: ServerResponse, done: (err?: unknown) => void): void {
    const middlewares = this.middlewares;
    if (middlewares.length === 0) return done();
    const apply = (i: number): void => {
      debug("applying middleware n°%d", i + 1);
      try {
        middlewares[i]!(req, res, (err?: unknown) => {
          if (err) done(err);
          else if (i + 1 < middlewares.length) apply(i + 1);
          else done();
        });
      } catch (err) {
        done(err ?? new Error("middleware threw"));
      }
    };
    apply(0);
  }

  /** Checks a request against the options and sessions; `fn()` means accepted. */
  protected verify(req: EngineRequest, upgrade: boolean, fn: Verdict): void {
    const transport = req._query.transport;
    if (typeof transport !== "string" || !(this.opts.transports as string[]).includes(transport) || !hasOwn(transports, transport)) {
      debug('unknown transport "%s"', transport);
      return fn(errors.UNKNOWN_TRANSPORT, { transport });
    }
    const origin = req.headers.origin;
    if (typeof origin === "string" && hasInvalidHeaderChar(origin)) {
      (req.headers as Record<string, unknown>).origin = null;
      debug("origin header invalid");
      return fn(errors.BAD_REQUEST, { name: "INVALID_ORIGIN", origin });
    }
    const sid = req._query.sid;
    if (sid) {
      const client = this.sessions.get(sid);
      if (!client) {
        debug('unknown sid "%s"', sid);
        return fn(errors.UNKNOWN_SID, { sid });
      }
      const previousTransport = client.transport.name;
      if (!upgrade && previousTransport !== transport) {
        debug("bad request: unexpected transport without upgrade");
        return fn(errors.BAD_REQUEST, { name: "TRANSPORT_MISMATCH", transport, previousTransport });
      }
      const protocol = protocolOf(req);
      if (client.protocol !== protocol) {
        debug("bad request: unexpected protocol version during upgrade");
        return fn(errors.BAD_REQUEST, { name: "PROTOCOL_MISMATCH", protocol, previousProtocol: client.protocol });
      }
      return fn();
    }
    if (req.method !== "GET") return fn(errors.BAD_HANDSHAKE_METHOD, { method: req.method });
    if (transport === "websocket" && !upgrade) {
      debug("invalid transport upgrade");
      return fn(errors.BAD_REQUEST, { name: "TRANSPORT_HANDSHAKE_ERROR" });
    }
    const allowRequest = this.opts.allowRequest;
    if (!allowRequest) return fn();
    let answered = false;
    try {
      allowRequest(req, (message, success) => {
        if (answered) return;
        answered = true;
        if (!success) fn(errors.FORBIDDEN, { message: message ?? undefined });
        else fn();
      });
    } catch (error) {
      // a throwing allowRequest refuses the handshake instead of crashing the server
      if (answered) throw error;
      answered = true;
      debug("allowRequest threw: %s", error);
      fn(errors.FORBIDDEN, { name: "ALLOW_REQUEST_ERROR", error });
    }
  }

  private emitConnectionError(req: IncomingMessage, code: ErrorCode, context: ErrorContext | undefined): void {
    if (this.listenerCount("connection_error") === 0) return;
    const error: ConnectionError = { req, code, message: errorMessages[code], context };
    this.emit("connection_error", error);
  }

  // ---- sessions -----------------------------------------------------------------------------

  protected handshake(transportName: TransportName, req: EngineRequest, closeConnection: (code: ErrorCode, context?: ErrorContext) => void): void {
    const protocol = protocolOf(req);
    if (protocol === 3 && !this.opts.allowEIO3) {
      debug("unsupported protocol version");
      this.emitConnectionError(req, errors.UNSUPPORTED_PROTOCOL_VERSION, { protocol });
      closeConnection(errors.UNSUPPORTED_PROTOCOL_VERSION);
      return;
    }
    let id: string | PromiseLike<string>;
    try {
      id = this.generateId(req);
    } catch (error) {
      return this.onIdFailure(req, closeConnection, error);
    }
    if (isPromiseLike(id)) {
      // While an async id is pending, a WebSocket has no transport listening yet: an invalid frame
      // from the client would be an 'error' event with no listener, which crashes the process.
      // (our own connections drop errors while they have no handler)
      const websocket = req.websocket instanceof WebSocketConnection ? null : req.websocket;
      websocket?.on("error", ignoreUpgradeError);
      id.then(
        (resolved) => {
          websocket?.removeListener("error", ignoreUpgradeError);
          // a WebSocket that went meanwhile would leave a session nobody can reach until its ping timeout
          if (req.websocket && req.websocket.readyState !== WS_OPEN) {
            debug("the WebSocket closed while its session id was generated");
            return;
          }
          this.openSession(String(resolved), transportName, req, protocol, closeConnection);
        },
        (error: unknown) => {
          websocket?.removeListener("error", ignoreUpgradeError);
          this.onIdFailure(req, closeConnection, error);
        },
      );
    } else {
      this.openSession(String(id), transportName, req, protocol, closeConnection);
    }
  }

  private onIdFailure(req: EngineRequest, closeConnection: (code: ErrorCode, context?: ErrorContext) => void, error: unknown): void {
    debug("error while generating an id");
    this.emitConnectionError(req, errors.BAD_REQUEST, { name: "ID_GENERATION_ERROR", error });
    closeConnection(errors.BAD_REQUEST);
  }

  private openSession(
    id: string,
    transportName: TransportName,
    req: EngineRequest,
    protocol: 3 | 4,
    closeConnection: (code: ErrorCode, context?: ErrorContext) => void,
  ): void {
    // `debug.enabled` first: a disabled debug() still gathers its arguments on every handshake
    if (debug.enabled) debug('handshaking client "%s"', id);
    if (this.sessions.has(id)) {
      this.emitConnectionError(req, errors.BAD_REQUEST, { name: "ID_GENERATION_ERROR", error: new Error(`session id "${id}" is already in use`) });
      closeConnection(errors.BAD_REQUEST);
      return;
    }
    let transport: Transport;
    try {
      transport = this.createTransport(transportName, req);
      if (transport instanceof Polling) {
        transport.maxHttpBufferSize = this.opts.maxHttpBufferSize;
        transport.httpCompression = this.opts.httpCompression;
      } else if (transport instanceof WebSocketTransport) {
        transport.perMessageDeflate = this.opts.perMessageDeflate;
      }
    } catch (error) {
      debug('error handshaking to transport "%s"', transportName);
      this.emitConnectionError(req, errors.BAD_REQUEST, { name: "TRANSPORT_HANDSHAKE_ERROR", error });
      closeConnection(errors.BAD_REQUEST);
      return;
    }
    // a WebSocket session keeps a lean copy of its upgrade request (the IncomingMessage is released)
    const socket = new Socket(id, this, transport, req.websocket ? leanRequest(req) : req, protocol);
    transport.onRequest(req);
    this.sessions.set(id, socket);
    this.clientsCount++;
    this.emit("connection", socket);
  }

  protected createTransport(name: TransportName, req: EngineRequest): Transport {
    return transports[name](req);
  }

  /** @internal */
  onSocketClose(socket: Socket): void {
    if (this.sessions.get(socket.id) !== socket) return;
    this.sessions.delete(socket.id);
    this.clientsCount--;
  }

  /** @internal headers of a polling response: the cookie on the handshake, then the events */
  onTransportHeaders(id: string, headers: Record<string, string | string[]>, req: EngineRequest): void {
    if (!req._query.sid) {
      const cookie = this.opts.cookie;
      if (cookie) headers["Set-Cookie"] = [serializeCookie(cookie.name, id, cookie)];
      this.emit("initial_headers", headers, req);
    }
    this.emit("headers", headers, req);
  }

  // ---- WebSocket ----------------------------------------------------------------------------

  private webSocketServer(): WebSocketServer {
    if (this.wsServer) return this.wsServer;
    const wsServer = new this.opts.wsEngine({
      noServer: true,
      clientTracking: false,
      perMessageDeflate: this.opts.perMessageDeflate,
      maxPayload: this.opts.maxHttpBufferSize,
    });
    if (typeof wsServer.on === "function") wsServer.on("headers", this.addWebSocketHeaders);
    this.wsServer = wsServer;
    return wsServer;
  }

  /**
   * Adds to a 101 response's header lines what middlewares set and what `initial_headers` / `headers`
   * listeners add (an arrow function: ws's "headers" event and our handshake both call it detached).
   */
  private readonly addWebSocketHeaders = (headerLines: string[], req: IncomingMessage): void => {
    const request = req as UpgradeRequest;
    let additional = request[kResponseHeaders];
    if (additional !== undefined) request[kResponseHeaders] = undefined;
    const initial = !request._query?.sid && this.listenerCount("initial_headers") > 0;
    if (additional === undefined && !initial && this.listenerCount("headers") === 0) return;
    additional ??= {};
    if (initial) this.emit("initial_headers", additional, request);
    this.emit("headers", additional, request);
    for (const key of Object.keys(additional)) headerLines.push(`${key}: ${String(additional[key])}`);
  };

  private onWebSocket(req: EngineRequest, socket: Duplex, websocket: ServerWebSocket): void {
    const transportName = req._query.transport;
    const sid = req._query.sid;
    if (transportName === "websocket" && !sid) {
      req.websocket = websocket;
      this.handshake("websocket", req, (code, context) => abortUpgrade(socket, code, context));
      return;
    }
    // until a transport takes it, a ws WebSocket needs an error listener; our connection drops errors itself
    const wsWebSocket = websocket instanceof WebSocketConnection ? null : websocket;
    wsWebSocket?.on("error", ignoreUpgradeError);
    if (transportName !== "websocket") {
      debug("transport doesn't handle upgraded requests");
      websocket.close();
      return;
    }
    req.websocket = websocket;
    const client = this.sessions.get(sid);
    if (!client) {
      debug("upgrade attempt for closed client");
      websocket.close();
    } else if (client.upgrading) {
      debug("transport has already been trying to upgrade");
      websocket.close();
    } else if (client.upgraded) {
      debug("transport had already been upgraded");
      websocket.close();
    } else {
      debug("upgrading existing transport");
      wsWebSocket?.removeListener("error", ignoreUpgradeError);
      const transport = this.createTransport("websocket", req) as WebSocketTransport;
      transport.perMessageDeflate = this.opts.perMessageDeflate;
      client.maybeUpgrade(transport);
    }
  }

  // ---- attaching ----------------------------------------------------------------------------

  /** Intercepts the requests and upgrades for `path` on an http(s) server. */
  attach(server: HttpServer, options: AttachOptions = {}): void {
    let path = (options.path ?? "/engine.io").replace(/\/$/, "");
    if (options.addTrailingSlash !== false) path += "/";
    const destroyUpgradeTimeout = options.destroyUpgradeTimeout ?? 1000;
    const matches = (req: IncomingMessage): boolean => (req.url ?? "").startsWith(path);

    const previousListeners = server.listeners("request").slice(0) as Array<(req: IncomingMessage, res: ServerResponse) => void>;
    server.removeAllListeners("request");
    server.on("close", () => this.close());
    server.on("request", (req: IncomingMessage, res: ServerResponse) => {
      if (matches(req)) {
        debug('intercepting request for path "%s"', path);
        this.handleRequest(req, res);
      } else {
        for (const listener of previousListeners) listener.call(server, req, res);
      }
    });
    if (this.opts.transports.includes("websocket")) {
      server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
        if (matches(req)) {
          this.handleUpgrade(req, socket, head);
        } else if (options.destroyUpgrade !== false) {
          // nobody else may handle this upgrade: end it unless someone answered meanwhile
          setTimeout(() => {
            const tcp = socket as Duplex & { bytesWritten?: number };
            if (tcp.writable && (tcp.bytesWritten ?? 0) <= 0) {
              socket.on("error", (err: Error) => debug("error while destroying upgrade: %s", err.message));
              socket.end();
            }
          }, destroyUpgradeTimeout);
        }
      });
    }
  }
}
