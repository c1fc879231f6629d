import { EventEmitter } from "node:events";
import { createServer, type IncomingMessage, type Server as HTTPServer, type ServerResponse } from "node:http";
import type { Server as HTTPSServer } from "node:https";
import type { Http2SecureServer, Http2Server } from "node:http2";
import { Adapter, SessionAwareAdapter, type Room, type SocketId } from "@sockwave/io-adapter";
import {
  attach as attachEngine,
  type AttachOptions,
  type Server as Engine,
  type ServerOptions as EngineOptions,
} from "@sockwave/engine-server";
import * as defaultParser from "@sockwave/io-parser";
import debugModule from "debug";
import type { BroadcastOperator, RemoteSocket } from "./broadcast-operator";
import { Client, createSharedDecoder } from "./client";
import { ConnectDeadlines } from "./connect-deadlines";
import { applyCors, originsToCors, type CorsOptions, type CustomOrigin } from "./cors";
import type { EngineServer, EngineSocket } from "./engine";
import { Namespace, type AdapterConstructor, type ExtendedError, type ServerReservedEventsMap } from "./namespace";
import { ParentNamespace } from "./parent-namespace";
import type { PacketDecoder, PacketEncoder, Parser, ParserOption } from "./parser-contract";
import { CLIENT_FILES, ClientBundles } from "./serve-client";
import type { Socket } from "./socket";
import {
  StrictEventEmitter,
  type AllButLast,
  type DecorateAcknowledgements,
  type DecorateAcknowledgementsWithMultipleResponses,
  type DecorateAcknowledgementsWithTimeoutAndMultipleResponses,
  type DefaultEventsMap,
  type EventNames,
  type EventNamesWithAck,
  type EventParams,
  type EventsMap,
  type FirstNonErrorArg,
  type Last,
  type RemoveAcknowledgements,
} from "./typed-events";

const debug = debugModule("sockwave:io:server");

/* eslint-disable @typescript-eslint/no-explicit-any -- SocketData and auth payloads default to any, as in socket.io 4.8 */

/** Decides whether a dynamic namespace may be created: `next(err, allow)`. */
export type ParentNspNameMatchFn = (
  name: string,
  // any, as socket.io 4.8 types the client's auth record: unknown would break user code.
  auth: { [key: string]: any },
  fn: (err: Error | null, success: boolean) => void,
) => void;

type TServerInstance = HTTPServer | HTTPSServer | Http2SecureServer | Http2Server;

/** Sockwave's slow-consumer limits (see the README): defaults of `maxOutboundPackets`/`maxOutboundBytes`. */
export const DEFAULT_MAX_OUTBOUND_PACKETS = 10_000;
export const DEFAULT_MAX_OUTBOUND_BYTES = 16 * 1024 * 1024;

export interface ServerOptions extends EngineOptions, AttachOptions {
  /** The path the server answers on. Default "/socket.io". */
  path: string;
  /** Whether to serve the browser client bundles under the path. Default true. */
  serveClient: boolean;
  /** The adapter class (or factory). Default: the in-memory Adapter (SessionAwareAdapter with recovery). */
  adapter: AdapterConstructor;
  /** The parser: an object with `Encoder` and `Decoder` classes. Default @sockwave/io-parser. */
  parser: ParserOption;
  /** How long (ms) a client may take to join a namespace before it is disconnected. Default 45000. */
  connectTimeout: number;
  /** Lets a client recover its socket id, rooms, data and missed packets after a short disconnection. */
  connectionStateRecovery: {
    /** Default 120000 ms. */
    maxDisconnectionDuration?: number;
    /** Whether recovered sockets skip the middlewares. Default true. */
    skipMiddlewares?: boolean;
  };
  /** Whether a dynamic namespace is deleted once its last socket leaves. Default false. */
  cleanupEmptyChildNamespaces: boolean;
  /**
   * Sockwave: the most packets that may wait for one slow client before its connection is closed
   * with the reason "outbound buffer overflow". Default 10000; `Infinity` disables the limit.
   */
  maxOutboundPackets: number;
  /** Sockwave: the same, in bytes of encoded packets (approximate for text). Default 16 MiB. */
  maxOutboundBytes: number;
}

/**
 * The Socket.IO server. Every EventEmitter method (`on`, `emit`, `listeners`, ...) acts on the main
 * namespace, as in socket.io.
 */
export class Server<
  ListenEvents extends EventsMap = DefaultEventsMap,
  EmitEvents extends EventsMap = ListenEvents,
  ServerSideEvents extends EventsMap = DefaultEventsMap,
  // any, as socket.io 4.8's default: unknown would break untyped user code reading socket.data.
  SocketData = any,
> extends StrictEventEmitter<
  ServerSideEvents,
  RemoveAcknowledgements<EmitEvents>,
  ServerReservedEventsMap<ListenEvents, EmitEvents, ServerSideEvents, SocketData>
> {
  /** The main namespace ("/"). */
  readonly sockets: Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>;
  /** The Engine.IO server (an @sockwave/engine-server Server, or whatever engine was passed to `bind()`). */
  engine!: Engine;
  /** The HTTP server the engine is attached to. */
  httpServer!: TServerInstance;
  readonly _parser: Parser;
  readonly encoder: PacketEncoder;
  /** Whether the parser is @sockwave/io-parser, whose encoded text some hot paths write directly. */
  readonly _defaultParser: boolean;
  /** With @sockwave/io-parser: one decoder for every client's non-binary text packets. */
  readonly _sharedDecoder: PacketDecoder | undefined;
  _nsps = new Map<string, Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>>();
  private readonly parentNsps = new Map<
    ParentNspNameMatchFn,
    ParentNamespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>
  >();
  private readonly parentNamespacesFromRegExp = new Map<
    RegExp,
    ParentNamespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>
  >();
  private _adapter?: AdapterConstructor;
  private _serveClient = true;
  /** The options, with their defaults filled in. */
  readonly opts: Partial<ServerOptions>;
  private _path = "/socket.io";
  _connectTimeout = 45_000;
  /** Clients that have not joined a namespace yet, timed out by one shared timer. */
  readonly _connectDeadlines = new ConnectDeadlines(() => this._connectTimeout);
  /** The slow-consumer limits. */
  readonly _outboundLimits: { packets: number; bytes: number };
  private clientBundles: ClientBundles | undefined;

  constructor(opts?: Partial<ServerOptions>);
  constructor(srv?: TServerInstance | number, opts?: Partial<ServerOptions>);
  constructor(srv: undefined | Partial<ServerOptions> | TServerInstance | number, opts?: Partial<ServerOptions>);
  constructor(srv?: undefined | Partial<ServerOptions> | TServerInstance | number, opts: Partial<ServerOptions> = {}) {
    super();
    if (typeof srv === "object" && srv instanceof Object && !("listen" in srv && typeof srv.listen === "function")) {
      opts = srv as Partial<ServerOptions>;
      srv = undefined;
    }
    this.path(opts.path || "/socket.io");
    this.connectTimeout(opts.connectTimeout || 45_000);
    this.serveClient(opts.serveClient !== false);
    this._parser = (opts.parser ?? defaultParser) as Parser;
    this.encoder = new this._parser.Encoder();
    this._defaultParser = this._parser === defaultParser;
    this._sharedDecoder = this._defaultParser ? createSharedDecoder(this._parser) : undefined;
    this.opts = opts;
    if (opts.connectionStateRecovery) {
      opts.connectionStateRecovery = {
        maxDisconnectionDuration: 2 * 60 * 1000,
        skipMiddlewares: true,
        ...opts.connectionStateRecovery,
      };
      this.adapter(opts.adapter || SessionAwareAdapter);
    } else {
      this.adapter(opts.adapter || Adapter);
    }
    opts.cleanupEmptyChildNamespaces = !!opts.cleanupEmptyChildNamespaces;
    this._outboundLimits = {
      packets: opts.maxOutboundPackets ?? DEFAULT_MAX_OUTBOUND_PACKETS,
      bytes: opts.maxOutboundBytes ?? DEFAULT_MAX_OUTBOUND_BYTES,
    };
    this.sockets = this.of("/");
    if (srv || typeof srv === "number") this.attach(srv as TServerInstance | number);
  }

  /** The options (socket.io 4's accessor). */
  get _opts(): Partial<ServerOptions> {
    return this.opts;
  }

  /** Whether the browser client bundles are served. */
  serveClient(v: boolean): this;
  serveClient(): boolean;
  serveClient(v?: boolean): this | boolean;
  serveClient(v?: boolean): this | boolean {
    if (v === undefined) return this._serveClient;
    this._serveClient = v;
    return this;
  }

  /** Looks for a parent namespace allowing `name`, creating the child namespace if one does. */
  _checkNamespace(
    name: string,
    // any, as socket.io 4.8 types the client's auth record: unknown would break user code.
  auth: { [key: string]: any },
    fn: (nsp: Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData> | false) => void,
  ): void {
    if (this.parentNsps.size === 0) {
      fn(false);
      return;
    }
    const matchers = this.parentNsps.keys();
    const tryNext = (): void => {
      const next = matchers.next();
      if (next.done) {
        fn(false);
        return;
      }
      next.value(name, auth, (err, allow) => {
        if (err || !allow) {
          tryNext();
          return;
        }
        const existing = this._nsps.get(name);
        if (existing) {
          debug("dynamic namespace %s already exists", name);
          fn(existing);
          return;
        }
        const namespace = this.parentNsps.get(next.value)!.createChild(name);
        debug("dynamic namespace %s was created", name);
        fn(namespace);
      });
    };
    tryNext();
  }

  /** The path the server answers on. */
  path(v: string): this;
  path(): string;
  path(v?: string): this | string;
  path(v?: string): this | string {
    if (v === undefined) return this._path;
    this._path = v.replace(/\/$/, "");
    return this;
  }

  /** How long (ms) a client may take to join a namespace. */
  connectTimeout(v: number): this;
  connectTimeout(): number;
  connectTimeout(v?: number): this | number;
  connectTimeout(v?: number): this | number {
    if (v === undefined) return this._connectTimeout;
    this._connectTimeout = v;
    return this;
  }

  /** The adapter class (or factory); setting it re-creates every namespace's adapter. */
  adapter(): AdapterConstructor | undefined;
  adapter(v: AdapterConstructor): this;
  adapter(v?: AdapterConstructor): AdapterConstructor | undefined | this {
    if (v === undefined) return this._adapter;
    this._adapter = v;
    for (const nsp of this._nsps.values()) nsp._initAdapter();
    return this;
  }

  /**
   * socket.io 2's origin check, mapped to the `cors` option: `"*:*"`, a list of
   * `"scheme://host:port"` origins, or `(origin, callback(err, allowed))`. Without an argument,
   * returns the current `cors.origin`.
   */
  origins(): unknown;
  origins(v: string | string[] | CustomOrigin): this;
  origins(v?: string | string[] | CustomOrigin): this | unknown {
    const cors = (this.opts as { cors?: CorsOptions }).cors;
    if (v === undefined) return cors?.origin;
    const origin = originsToCors(v);
    (this.opts as { cors?: CorsOptions }).cors = { ...cors, origin };
    // An attached engine reads its options at each request when it keeps them by reference.
    const engineOpts = (this.engine as { opts?: { cors?: CorsOptions } } | undefined)?.opts;
    if (engineOpts) engineOpts.cors = { ...engineOpts.cors, origin };
    return this;
  }

  /** Attaches to an HTTP server, or creates one listening on a port. Alias of `attach()`. */
  listen(srv: TServerInstance | number, opts: Partial<ServerOptions> = {}): this {
    return this.attach(srv, opts);
  }

  /** Attaches to an HTTP server, or creates one listening on a port. */
  attach(srv: TServerInstance | number, opts: Partial<ServerOptions> = {}): this {
    if (typeof srv === "function") {
      throw new Error(
        "You are trying to attach the server to an express request handler function: pass an http.Server instance instead (the return value of app.listen(), or http.createServer(app)).",
      );
    }
    if (typeof srv === "string" && Number(srv) == (srv as unknown as number)) srv = Number(srv);
    if (typeof srv === "number") {
      debug("creating http server and binding to %d", srv);
      const port = srv;
      srv = createServer((_req, res) => {
        res.writeHead(404);
        res.end();
      });
      srv.listen(port);
    }
    Object.assign(opts, this.opts);
    opts.path = opts.path || this._path;
    this.initEngine(srv, opts);
    return this;
  }

  /** socket.io's uWebSockets.js integration is not provided: this says so instead of "not a function". */
  attachApp(_app: unknown, _opts: Partial<ServerOptions> = {}): never {
    throw new Error(
      "attachApp() (uWebSockets.js) is not supported by @sockwave/io-server: attach to an http or https server instead (new Server(httpServer) or io.attach(httpServer)).",
    );
  }

  private initEngine(srv: TServerInstance, opts: Partial<ServerOptions>): void {
    debug("creating engine with path %s", opts.path);
    const engine = attachEngine(srv as HTTPServer, opts) as unknown as EngineServer;
    if (this._serveClient) this.attachServe(srv);
    this.httpServer = srv;
    this.bind(engine);
  }

  private attachServe(srv: TServerInstance): void {
    debug("serving the client bundles under %s", this._path);
    const bundles = (this.clientBundles ??= new ClientBundles());
    const previous = srv.listeners("request").slice(0) as Array<(req: IncomingMessage, res: ServerResponse) => void>;
    srv.removeAllListeners("request");
    srv.on("request", (req: IncomingMessage, res: ServerResponse) => {
      const url = req.url ?? "";
      if (url.startsWith(this._path + "/")) {
        const filename = url.slice(this._path.length + 1).split("?")[0]!;
        if (CLIENT_FILES.has(filename)) {
          const cors = (this.opts as { cors?: CorsOptions }).cors;
          if (cors) applyCors(cors, req, res, () => bundles.serve(filename, req, res));
          else bundles.serve(filename, req, res);
          return;
        }
      }
      for (const listener of previous) listener.call(srv, req, res);
    });
  }

  /** Uses an existing Engine.IO server. */
  bind(engine: EngineServer): this {
    this.engine = engine as unknown as Engine;
    engine.on("connection", (conn: EngineSocket) => this.onconnection(conn));
    return this;
  }

  /** A new Engine.IO connection. Socket.IO v2 clients join the main namespace implicitly. */
  onconnection(conn: EngineSocket): this {
    if (debug.enabled) debug("incoming connection with id %s", conn.id);
    const client = new Client(this, conn);
    if (conn.protocol === 3) client.connect("/");
    return this;
  }

  /**
   * The namespace `name`, created on first use. A RegExp or a function defines dynamic namespaces
   * (a ParentNamespace): matching names are created when a client connects to them.
   */
  of(
    name: string | RegExp | ParentNspNameMatchFn,
    fn?: (socket: Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>) => void,
  ): Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData> {
    if (typeof name === "function" || name instanceof RegExp) {
      if (name instanceof RegExp && (name.global || name.sticky)) {
        throw new Error("stateful regular expressions are not supported: remove the g and y flags from " + name);
      }
      const parent = new ParentNamespace(this);
      debug("initializing parent namespace %s", parent.name);
      if (typeof name === "function") {
        this.parentNsps.set(name, parent);
      } else {
        const regex = name;
        this.parentNsps.set((nsp, _auth, next) => next(null, regex.test(nsp)), parent);
        this.parentNamespacesFromRegExp.set(regex, parent);
      }
      if (fn) parent.on("connect", fn);
      return parent;
    }
    if (String(name)[0] !== "/") name = "/" + name;
    let nsp = this._nsps.get(name);
    if (!nsp) {
      for (const [regex, parent] of this.parentNamespacesFromRegExp) {
        if (regex.test(name)) {
          debug("attaching namespace %s to parent namespace %s", name, regex);
          return parent.createChild(name);
        }
      }
      debug("initializing namespace %s", name);
      nsp = new Namespace(this, name);
      this._nsps.set(name, nsp);
      if (name !== "/") this.sockets._emitNewNamespace(nsp);
    }
    if (fn) nsp.on("connect", fn);
    return nsp;
  }

  /**
   * Closes every socket ("server shutting down"), the adapters, the engine and the HTTP server.
   */
  async close(fn?: (err?: Error) => void): Promise<void> {
    await Promise.allSettled(
      [...this._nsps.values()].map(async (nsp) => {
        for (const socket of [...nsp.sockets.values()]) socket._onclose("server shutting down");
        await nsp.adapter.close();
      }),
    );
    this._connectDeadlines.clear();
    this.engine?.close();
    const httpServer = this.httpServer;
    if (!httpServer) {
      fn?.();
      return;
    }
    await new Promise<void>((resolve) => {
      httpServer.close((err?: Error) => {
        if (err) debug("the HTTP server was not running");
        fn?.(err);
        resolve();
      });
    });
  }

  /** Adds a connection middleware to the main namespace. */
  use(fn: (socket: Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>, next: (err?: ExtendedError) => void) => void): this {
    this.sockets.use(fn);
    return this;
  }

  to(room: Room | Room[]): BroadcastOperator<DecorateAcknowledgementsWithMultipleResponses<EmitEvents>, SocketData> {
    return this.sockets.to(room);
  }

  in(room: Room | Room[]): BroadcastOperator<DecorateAcknowledgementsWithMultipleResponses<EmitEvents>, SocketData> {
    return this.sockets.in(room);
  }

  except(room: Room | Room[]): BroadcastOperator<DecorateAcknowledgementsWithMultipleResponses<EmitEvents>, SocketData> {
    return this.sockets.except(room);
  }

  send(...args: EventParams<EmitEvents, "message">): this {
    this.sockets.send(...args);
    return this;
  }

  write(...args: EventParams<EmitEvents, "message">): this {
    this.sockets.send(...args);
    return this;
  }

  serverSideEmit<Ev extends EventNames<ServerSideEvents>>(
    ev: Ev,
    ...args: EventParams<DecorateAcknowledgementsWithTimeoutAndMultipleResponses<ServerSideEvents>, Ev>
  ): boolean {
    return this.sockets.serverSideEmit(ev, ...args);
  }

  serverSideEmitWithAck<Ev extends EventNamesWithAck<ServerSideEvents>>(
    ev: Ev,
    ...args: AllButLast<EventParams<ServerSideEvents, Ev>>
  ): Promise<FirstNonErrorArg<Last<EventParams<ServerSideEvents, Ev>>>[]> {
    return this.sockets.serverSideEmitWithAck(ev, ...args);
  }

  /** @deprecated use `fetchSockets()` */
  allSockets(): Promise<Set<SocketId>> {
    return this.sockets.allSockets();
  }

  compress(compress: boolean): BroadcastOperator<DecorateAcknowledgementsWithMultipleResponses<EmitEvents>, SocketData> {
    return this.sockets.compress(compress);
  }

  get volatile(): BroadcastOperator<DecorateAcknowledgementsWithMultipleResponses<EmitEvents>, SocketData> {
    return this.sockets.volatile;
  }

  get local(): BroadcastOperator<DecorateAcknowledgementsWithMultipleResponses<EmitEvents>, SocketData> {
    return this.sockets.local;
  }

  timeout(
    timeout: number,
  ): BroadcastOperator<DecorateAcknowledgements<DecorateAcknowledgementsWithMultipleResponses<EmitEvents>>, SocketData> {
    return this.sockets.timeout(timeout);
  }

  /** A no-op kept from socket.io 2 (binary detection is automatic). */
  binary(_binary?: boolean): this {
    return this;
  }

  fetchSockets(): Promise<RemoteSocket<EmitEvents, SocketData>[]> {
    return this.sockets.fetchSockets();
  }

  socketsJoin(room: Room | Room[]): void {
    this.sockets.socketsJoin(room);
  }

  socketsLeave(room: Room | Room[]): void {
    this.sockets.socketsLeave(room);
  }

  disconnectSockets(close = false): void {
    this.sockets.disconnectSockets(close);
  }
}

// Every EventEmitter method of the server acts on the main namespace (`io.on("connection")`,
// `io.emit(...)`, `io.listeners(...)`), as in socket.io.
const emitterPrototype = EventEmitter.prototype as unknown as Record<string, unknown>;
for (const key of Object.keys(emitterPrototype)) {
  if (typeof emitterPrototype[key] !== "function") continue;
  Object.defineProperty(Server.prototype, key, {
    configurable: true,
    writable: true,
    value: function (this: Server, ...args: unknown[]) {
      const target = this.sockets as unknown as Record<string, (...a: unknown[]) => unknown>;
      return target[key]!.apply(this.sockets, args);
    },
  });
}
