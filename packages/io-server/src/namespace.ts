import type { Adapter, Room, SocketId } from "@sockwave/io-adapter";
import debugModule from "debug";
import { BroadcastOperator, type RemoteSocket } from "./broadcast-operator";
import type { Client } from "./client";
import type { Server } from "./server";
import { PacketType } from "./parser-contract";
import { Socket } from "./socket";
import {
  StrictEventEmitter,
  type AllButLast,
  type DecorateAcknowledgements,
  type DecorateAcknowledgementsWithMultipleResponses,
  type DecorateAcknowledgementsWithTimeoutAndMultipleResponses,
  type DefaultEventsMap,
  type EventNames,
  type EventNamesWithAck,
  type EventNamesWithoutAck,
  type EventParams,
  type EventsMap,
  type FirstNonErrorArg,
  type Last,
  type RemoveAcknowledgements,
} from "./typed-events";

const debug = debugModule("sockwave:io:namespace");

/* eslint-disable @typescript-eslint/no-explicit-any -- `data` and SocketData default as in socket.io 4.8 */

/** An error a middleware passes to `next()`; `data` reaches the client with the CONNECT_ERROR. */
export interface ExtendedError extends Error {
  // any, as socket.io 4.8 types it: user middlewares attach their own shapes.
  data?: any;
}

export interface NamespaceReservedEventsMap<
  ListenEvents extends EventsMap,
  EmitEvents extends EventsMap,
  ServerSideEvents extends EventsMap,
  SocketData,
> {
  connect: (socket: Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>) => void;
  connection: (socket: Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>) => void;
}

export interface ServerReservedEventsMap<
  ListenEvents extends EventsMap,
  EmitEvents extends EventsMap,
  ServerSideEvents extends EventsMap,
  SocketData,
> extends NamespaceReservedEventsMap<ListenEvents, EmitEvents, ServerSideEvents, SocketData> {
  new_namespace: (namespace: Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>) => void;
}

/** Server-side event names that cannot be sent with `serverSideEmit()`. */
export const RESERVED_EVENTS: ReadonlySet<string | symbol> = new Set<string | symbol>([
  "connect",
  "connection",
  "new_namespace",
]);

type Middleware<ListenEvents extends EventsMap, EmitEvents extends EventsMap, ServerSideEvents extends EventsMap, SocketData> = (
  socket: Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>,
  next: (err?: ExtendedError) => void,
) => void;

function afterMiddlewares(
  nsp: Namespace<EventsMap, EventsMap, EventsMap, unknown>,
  socket: Socket<EventsMap, EventsMap, EventsMap, unknown>,
  name: string,
  err: ExtendedError | undefined,
): void {
  nsp._afterMiddlewares(socket, name, err);
}

type ServerSideAck = (err: (Error & { responses?: unknown[] }) | null, responses: unknown[]) => void;

/**
 * A communication channel (`/`, `/admin`, ...) with its own sockets, rooms (its adapter),
 * middlewares and events.
 */
export class Namespace<
  ListenEvents extends EventsMap = DefaultEventsMap,
  EmitEvents extends EventsMap = ListenEvents,
  ServerSideEvents extends EventsMap = DefaultEventsMap,
  // any, as socket.io 4.8's default: unknown would break untyped user code reading socket.data.
  SocketData = any,
> extends StrictEventEmitter<
  ServerSideEvents,
  RemoveAcknowledgements<EmitEvents>,
  NamespaceReservedEventsMap<ListenEvents, EmitEvents, ServerSideEvents, SocketData>
> {
  readonly name: string;
  /** The connected sockets, by id. */
  readonly sockets = new Map<SocketId, Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>>();
  /** Sockets whose CONNECT is still in the middlewares. */
  private readonly _preConnectSockets = new Map<SocketId, Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>>();
  adapter!: Adapter;
  readonly server: Server<ListenEvents, EmitEvents, ServerSideEvents, SocketData>;
  protected _fns: Array<Middleware<ListenEvents, EmitEvents, ServerSideEvents, SocketData>> = [];
  /** The next acknowledgement id of this namespace. */
  _ids = 0;
  /** What the default encoder writes for a CONNECT reply of this namespace, up to the socket id. */
  readonly _connectPrefix: string;

  constructor(server: Server<ListenEvents, EmitEvents, ServerSideEvents, SocketData>, name: string) {
    super();
    this.server = server;
    this.name = name;
    this._connectPrefix = `${PacketType.CONNECT}${name === "/" ? "" : `${name},`}{"sid":"`;
    this._initAdapter();
  }

  /** Creates the adapter from the server's `adapter` option (a class or a factory function). */
  _initAdapter(): void {
    const Factory = this.server.adapter();
    this.adapter = createAdapter(Factory, this as unknown as Namespace);
    Promise.resolve(this.adapter.init()).catch((err: unknown) => {
      debug("error while initializing the adapter of %s: %s", this.name, err);
    });
  }

  /** Adds a connection middleware: `(socket, next)`; `next(err)` refuses the socket. */
  use(fn: Middleware<ListenEvents, EmitEvents, ServerSideEvents, SocketData>): this {
    this._fns.push(fn);
    return this;
  }

  private run(socket: Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>, done: (err?: ExtendedError) => void): void {
    const fns = this._fns;
    if (fns.length === 0) {
      done();
      return;
    }
    const chain = fns.slice();
    const step = (index: number): void => {
      const next = (err?: ExtendedError): void => {
        if (err) done(err);
        else if (index + 1 === chain.length) done();
        else step(index + 1);
      };
      try {
        chain[index]!(socket, next);
      } catch (err) {
        // A middleware that throws refuses the socket (the client gets CONNECT_ERROR) instead of
        // leaving an unhandled rejection behind.
        debug("a middleware of %s threw: %s", this.name, err);
        next(err instanceof Error ? err : new Error(String(err)));
      }
    };
    step(0);
  }

  to(room: Room | Room[]): BroadcastOperator<DecorateAcknowledgementsWithMultipleResponses<EmitEvents>, SocketData> {
    return this.operator().to(room);
  }

  in(room: Room | Room[]): BroadcastOperator<DecorateAcknowledgementsWithMultipleResponses<EmitEvents>, SocketData> {
    return this.operator().in(room);
  }

  except(room: Room | Room[]): BroadcastOperator<DecorateAcknowledgementsWithMultipleResponses<EmitEvents>, SocketData> {
    return this.operator().except(room);
  }

  private operator(): BroadcastOperator<DecorateAcknowledgementsWithMultipleResponses<EmitEvents>, SocketData> {
    return new BroadcastOperator(this.adapter);
  }

  /**
   * Adds a socket for a client's CONNECT to `name` (this namespace): runs the middlewares, then
   * connects or refuses it, and tells the client when that is settled. Synchronous up to the
   * middlewares unless a session is to be restored: no promise per connection.
   */
  _add(
    client: Client<ListenEvents, EmitEvents, ServerSideEvents, SocketData>,
    auth: Record<string, unknown> | undefined,
    name: string,
  ): void {
    if (debug.enabled) debug("adding socket to nsp %s", this.name);
    const sessionId = auth?.pid;
    const offset = auth?.offset;
    if (this.server.opts.connectionStateRecovery && typeof sessionId === "string" && typeof offset === "string") {
      const restoring = (async () => {
        try {
          return await this.adapter.restoreSession(sessionId, offset);
        } catch (err) {
          debug("error while restoring session: %s", err);
          return undefined;
        }
      })();
      void restoring.then((session) => {
        if (session) debug("connection state recovered for sid %s", session.sid);
        this.admit(new Socket(this, client, auth, session ?? undefined), client, name);
      });
      return;
    }
    this.admit(new Socket(this, client, auth), client, name);
  }

  private admit(
    socket: Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>,
    client: Client<ListenEvents, EmitEvents, ServerSideEvents, SocketData>,
    name: string,
  ): void {
    const recovery = this.server.opts.connectionStateRecovery;
    if (recovery && recovery.skipMiddlewares && socket.recovered && client.conn.readyState === "open") {
      try {
        this._doConnect(socket);
      } finally {
        client._connectSettled(name);
      }
      return;
    }
    if (this._fns.length === 0) {
      // Like socket.io, the outcome is applied on the next tick, even without middlewares.
      process.nextTick(afterMiddlewares, this, socket, name, undefined);
      return;
    }
    // Only sockets that wait on middlewares are listed as connecting; without any, it is one tick.
    this._preConnectSockets.set(socket.id, socket);
    this.run(socket, (err) => process.nextTick(afterMiddlewares, this, socket, name, err));
  }

  /** The middlewares are done with `socket`: connects it, or sends the CONNECT_ERROR. */
  _afterMiddlewares(
    socket: Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>,
    name: string,
    err: ExtendedError | undefined,
  ): void {
    const client = socket.client;
    try {
      if (client.conn.readyState !== "open") {
        debug("next() called after the client was closed - ignoring socket");
        socket._cleanup();
        return;
      }
      if (err) {
        debug("middleware error, sending CONNECT_ERROR to the client");
        socket._cleanup();
        if (client.conn.protocol === 3) socket._error(err.data || err.message);
        else socket._error({ message: err.message, data: err.data });
        return;
      }
      this._doConnect(socket);
    } finally {
      client._connectSettled(name);
    }
  }

  private _doConnect(socket: Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>): void {
    const id = socket.id;
    this._preConnectSockets.delete(id);
    this.sockets.set(id, socket);
    socket._onconnect();
    socket.client._onSocketConnected(socket);
    this.emitReserved("connect", socket);
    this.emitReserved("connection", socket);
  }

  /** Forgets a socket that left. */
  _remove(socket: Socket<ListenEvents, EmitEvents, ServerSideEvents, SocketData>): void {
    if (!this.sockets.delete(socket.id)) this._preConnectSockets.delete(socket.id);
  }

  /** Emits to every socket of the namespace. */
  override emit<Ev extends EventNamesWithoutAck<EmitEvents>>(ev: Ev, ...args: EventParams<EmitEvents, Ev>): boolean {
    return new BroadcastOperator<EmitEvents, SocketData>(this.adapter).emit(ev, ...args);
  }

  send(...args: EventParams<EmitEvents, "message">): this {
    new BroadcastOperator<EmitEvents, SocketData>(this.adapter).emit("message", ...args);
    return this;
  }

  write(...args: EventParams<EmitEvents, "message">): this {
    return this.send(...args);
  }

  /** Emits an event to the other nodes of the cluster (through the adapter). */
  serverSideEmit<Ev extends EventNames<ServerSideEvents>>(
    ev: Ev,
    ...args: EventParams<DecorateAcknowledgementsWithTimeoutAndMultipleResponses<ServerSideEvents>, Ev>
  ): boolean {
    if (RESERVED_EVENTS.has(ev)) throw new Error(`"${String(ev)}" is a reserved event name`);
    this.adapter.serverSideEmit([ev, ...args]);
    return true;
  }

  /** Emits to the other nodes and resolves with their acknowledgements. */
  serverSideEmitWithAck<Ev extends EventNamesWithAck<ServerSideEvents>>(
    ev: Ev,
    ...args: AllButLast<EventParams<ServerSideEvents, Ev>>
  ): Promise<FirstNonErrorArg<Last<EventParams<ServerSideEvents, Ev>>>[]> {
    return new Promise((resolve, reject) => {
      const ack: ServerSideAck = (err, responses) => {
        if (err) {
          err.responses = responses;
          reject(err);
        } else {
          resolve(responses as FirstNonErrorArg<Last<EventParams<ServerSideEvents, Ev>>>[]);
        }
      };
      if (RESERVED_EVENTS.has(ev)) throw new Error(`"${String(ev)}" is a reserved event name`);
      this.adapter.serverSideEmit([ev, ...args, ack]);
    });
  }

  /** Announces a namespace created after this one (the main namespace's `new_namespace` event). */
  _emitNewNamespace(namespace: Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>): void {
    this.emitUntyped("new_namespace", namespace);
  }

  /** An event emitted by another node. */
  _onServerSideEmit(args: unknown[]): void {
    this.emitUntyped(args[0] as string, ...args.slice(1));
  }

  /** @deprecated use `fetchSockets()` */
  allSockets(): Promise<Set<SocketId>> {
    return this.operator().allSockets();
  }

  compress(compress: boolean): BroadcastOperator<DecorateAcknowledgementsWithMultipleResponses<EmitEvents>, SocketData> {
    return this.operator().compress(compress);
  }

  get volatile(): BroadcastOperator<DecorateAcknowledgementsWithMultipleResponses<EmitEvents>, SocketData> {
    return this.operator().volatile;
  }

  get local(): BroadcastOperator<DecorateAcknowledgementsWithMultipleResponses<EmitEvents>, SocketData> {
    return this.operator().local;
  }

  timeout(
    timeout: number,
  ): BroadcastOperator<DecorateAcknowledgements<DecorateAcknowledgementsWithMultipleResponses<EmitEvents>>, SocketData> {
    return this.operator().timeout(timeout);
  }

  /** A no-op kept from socket.io 2 (binary detection is automatic). */
  binary(_binary?: boolean): this {
    return this;
  }

  fetchSockets(): Promise<RemoteSocket<EmitEvents, SocketData>[]> {
    return new BroadcastOperator<EmitEvents, SocketData>(this.adapter).fetchSockets();
  }

  socketsJoin(room: Room | Room[]): void {
    this.operator().socketsJoin(room);
  }

  socketsLeave(room: Room | Room[]): void {
    this.operator().socketsLeave(room);
  }

  disconnectSockets(close = false): void {
    this.operator().disconnectSockets(close);
  }
}

/**
 * The `adapter` option: an Adapter subclass, or a function returning an adapter for a namespace.
 * The namespace is typed as this package's Namespace, so adapters written against it or against
 * io-adapter's structural AdapterNamespace are both accepted.
 */
export type AdapterConstructor = (new (nsp: Namespace) => Adapter) | ((nsp: Namespace) => Adapter);

function createAdapter(Factory: AdapterConstructor | undefined, nsp: Namespace): Adapter {
  if (!Factory) throw new Error("sockwave: no adapter configured (the `adapter` option is empty)");
  // Like socket.io, `new` both classes and factory functions (a returned object wins); arrow functions
  // have no prototype and cannot be constructed, so they are called.
  if (Factory.prototype) return new (Factory as new (nsp: Namespace) => Adapter)(nsp);
  return (Factory as (nsp: Namespace) => Adapter)(nsp);
}
