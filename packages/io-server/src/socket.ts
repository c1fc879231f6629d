import type { IncomingMessage } from "node:http";
import type { Socket as EngineSocket } from "@sockwave/engine-server";
import type { Adapter, BroadcastFlags, Room, Session, SocketId } from "@sockwave/io-adapter";
import debugModule from "debug";
import { BroadcastOperator } from "./broadcast-operator";
import type { Client, WriteOptions } from "./client";
import { generateId } from "./ids";
import type { Namespace } from "./namespace";
import { PacketType, type OutgoingPacket, type Packet } from "./parser-contract";
import type { Server } from "./server";
import { RESERVED_EVENTS, type DisconnectReason, type Handshake, type SocketReservedEventsMap } from "./socket-types";
import {
  StrictEventEmitter,
  type AllButLast,
  type DecorateAcknowledgements,
  type DecorateAcknowledgementsWithMultipleResponses,
  type DefaultEventsMap,
  type EventNames,
  type EventNamesWithAck,
  type EventParams,
  type EventsMap,
  type FirstNonErrorArg,
  type Last,
} from "./typed-events";

const debug = debugModule("sockwave:io:socket");

/* eslint-disable @typescript-eslint/no-explicit-any -- event arguments are whatever the client sent */

/** An incoming event as packet middlewares see it: `[eventName, ...args]`. */
// any, as socket.io 4.8's Event type: event arguments are whatever the client sent.
export type Event = [string, ...any[]];

type AnyListener = (...args: any[]) => void;
type AckCallback = (...args: any[]) => void;
type SocketFlags = BroadcastFlags;

const RECOVERABLE_DISCONNECT_REASONS: ReadonlySet<DisconnectReason> = new Set<DisconnectReason>([
  "transport error",
  "transport close",
  "forced close",
  "ping timeout",
  "server shutting down",
  "forced server close",
]);

/**
 * Events with more arguments than this are refused (the connection closes as a parse error):
 * spreading them into listeners would overflow the call stack.
 */
export const MAX_EVENT_ARGUMENTS = 10_000;

// Shared write options for unicast packets, so an emit without modifiers allocates none.
const COMPRESSED: WriteOptions = Object.freeze({ compress: true });
const UNCOMPRESSED: WriteOptions = Object.freeze({ compress: false });

function writeOptionsFor(flags: SocketFlags | undefined): WriteOptions {
  if (!flags) return COMPRESSED;
  if (flags.volatile) return { compress: flags.compress !== false, volatile: true };
  return flags.compress === false ? UNCOMPRESSED : COMPRESSED;
}

function noop(): void {}

function runEvent(socket: Socket, event: unknown[], err?: Error): void {
  socket._dispatchNow(event, err);
}

/**
 * A client's connection to one namespace. Created by the namespace when the client's CONNECT
 * passes the middlewares; lean on purpose: acks, flags, handshake and data are created on first use.
 */
export class Socket<
  ListenEvents extends EventsMap = DefaultEventsMap,
  EmitEvents extends EventsMap = ListenEvents,
  ServerSideEvents extends EventsMap = DefaultEventsMap,
  // any, as socket.io 4.8's default: unknown would break untyped user code reading socket.data.
  SocketData = any,
> extends StrictEventEmitter<ListenEvents, EmitEvents, SocketReservedEventsMap> {
  /** The socket id: random, never the engine session id (v2 clients: `[nsp#]engineId`, as before). */
  readonly id: SocketId;
  /** Whether the connection state was recovered (connectionStateRecovery). */
  readonly recovered: boolean = false;
  /** Whether the socket is connected to its namespace. */
  connected = false;
  readonly nsp: Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>;
  readonly client: Client<ListenEvents, EmitEvents, ServerSideEvents, SocketData>;
  private readonly pid: string | undefined;
  private readonly adapter: Adapter;
  /** The CONNECT payload; undefined when the client sent none (`handshake.auth` is then `{}`). */
  private readonly auth: Record<string, unknown> | undefined;
  private readonly issued: number;
  private _handshake: Handshake | undefined;
  private _data: SocketData | undefined;
  private _acks: Map<number, AckCallback> | undefined;
  private flags: SocketFlags | undefined;
  private fns: Array<(event: Event, next: (err?: Error) => void) => void> | undefined;
  private _anyListeners: AnyListener[] | undefined;
  private _anyOutgoingListeners: AnyListener[] | undefined;

  constructor(
    nsp: Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>,
    client: Client<ListenEvents, EmitEvents, ServerSideEvents, SocketData>,
    auth: Record<string, unknown> | undefined,
    previousSession?: Session,
  ) {
    super();
    this.nsp = nsp;
    this.client = client;
    this.adapter = nsp.adapter;
    this.auth = auth;
    this.issued = Date.now();
    if (previousSession) {
      this.id = previousSession.sid;
      this.pid = previousSession.pid;
      for (const room of previousSession.rooms) void this.join(room);
      this._data = previousSession.data as SocketData;
      for (const missed of previousSession.missedPackets) {
        this.packet({ type: PacketType.EVENT, data: missed });
      }
      this.recovered = true;
    } else {
      this.id =
        client.conn.protocol === 3 ? (nsp.name !== "/" ? `${nsp.name}#${client.id}` : client.id) : generateId();
      if (nsp.server.opts.connectionStateRecovery) this.pid = generateId();
    }
  }

  /** The server this socket belongs to. */
  get server(): Server<ListenEvents, EmitEvents, ServerSideEvents, SocketData> {
    return this.nsp.server;
  }

  /** What the server knew about the client when it connected (built on first access). */
  get handshake(): Handshake {
    return (this._handshake ??= this.buildHandshake());
  }
  // socket.io's handshake is a plain property: some middlewares replace it.
  set handshake(value: Handshake) {
    this._handshake = value;
  }

  /** Free-form data attached to the socket (shared with other nodes by `fetchSockets()`). */
  get data(): SocketData {
    return (this._data ??= {} as SocketData);
  }
  set data(value: SocketData) {
    this._data = value;
  }

  /** Acknowledgement callbacks waiting for the client's reply, by packet id. */
  get acks(): Map<number, AckCallback> {
    return (this._acks ??= new Map());
  }

  private buildHandshake(): Handshake {
    const request = this.request as (IncomingMessage & { _query?: Handshake["query"] }) | undefined;
    const headers = request?.headers ?? {};
    return {
      headers,
      time: new Date(this.issued).toString(),
      address: this.conn.remoteAddress,
      xdomain: !!headers.origin,
      secure: !request || !!(request.socket as { encrypted?: boolean } | undefined)?.encrypted,
      issued: this.issued,
      url: request?.url as string,
      query: request?._query ?? queryOf(request?.url),
      auth: this.auth ?? {},
    };
  }

  /**
   * Emits an event to the client. A function as last argument receives the client's
   * acknowledgement (with `timeout(ms)`, an Error first when it does not come in time).
   */
  override emit<Ev extends EventNames<EmitEvents>>(ev: Ev, ...args: EventParams<EmitEvents, Ev>): boolean {
    if (RESERVED_EVENTS.has(ev)) throw new Error(`"${String(ev)}" is a reserved event name`);
    const data: unknown[] = [ev, ...args];
    const packet: OutgoingPacket = { type: PacketType.EVENT, data };
    const flags = this.flags;
    if (typeof data[data.length - 1] === "function") {
      const id = this.nsp._ids++;
      debug("emitting packet with ack id %d", id);
      this.registerAckCallback(id, data.pop() as AckCallback, flags?.timeout);
      packet.id = id;
    }
    this.flags = undefined;
    if (this.nsp.server.opts.connectionStateRecovery) {
      // Through the adapter, so the packet gets an offset and is stored for recovery.
      this.adapter.broadcast(packet as Packet, { rooms: new Set([this.id]), except: new Set(), flags: flags ?? {} });
    } else {
      this.notifyOutgoingListeners(packet);
      this.packet(packet, writeOptionsFor(flags));
    }
    return true;
  }

  /** Emits an event and resolves with the client's acknowledgement. */
  emitWithAck<Ev extends EventNamesWithAck<EmitEvents>>(
    ev: Ev,
    ...args: AllButLast<EventParams<EmitEvents, Ev>>
  ): Promise<FirstNonErrorArg<Last<EventParams<EmitEvents, Ev>>>> {
    const withError = this.flags?.timeout !== undefined;
    return new Promise((resolve, reject) => {
      (args as unknown[]).push((first: unknown, second: unknown) => {
        if (!withError) return resolve(first as FirstNonErrorArg<Last<EventParams<EmitEvents, Ev>>>);
        return first ? reject(first) : resolve(second as FirstNonErrorArg<Last<EventParams<EmitEvents, Ev>>>);
      });
      this.emit(ev, ...(args as unknown as EventParams<EmitEvents, Ev>));
    });
  }

  private registerAckCallback(id: number, ack: AckCallback, timeout: number | undefined): void {
    if (timeout === undefined) {
      this.acks.set(id, ack);
      return;
    }
    const timer = setTimeout(() => {
      debug("event with ack id %d has timed out after %d ms", id, timeout);
      this._acks?.delete(id);
      ack.call(this, new Error("operation has timed out"));
    }, timeout);
    this.acks.set(id, (...args: unknown[]) => {
      clearTimeout(timer);
      ack.apply(this, [null, ...args]);
    });
  }

  /** Targets a room (or rooms) for the next broadcast; this socket itself is excluded. */
  to(room: Room | Room[]): BroadcastOperator<DecorateAcknowledgementsWithMultipleResponses<EmitEvents>, SocketData> {
    return this.newBroadcastOperator().to(room);
  }

  /** Alias of `to()`. */
  in(room: Room | Room[]): BroadcastOperator<DecorateAcknowledgementsWithMultipleResponses<EmitEvents>, SocketData> {
    return this.newBroadcastOperator().in(room);
  }

  /** Excludes a room (or rooms) from the next broadcast. */
  except(
    room: Room | Room[],
  ): BroadcastOperator<DecorateAcknowledgementsWithMultipleResponses<EmitEvents>, SocketData> {
    return this.newBroadcastOperator().except(room);
  }

  /** Emits a `message` event. */
  send(...args: EventParams<EmitEvents, "message">): this {
    this.emit("message", ...args);
    return this;
  }

  /** Emits a `message` event. */
  write(...args: EventParams<EmitEvents, "message">): this {
    this.emit("message", ...args);
    return this;
  }

  private packet(packet: OutgoingPacket, opts: WriteOptions = COMPRESSED): void {
    packet.nsp = this.nsp.name;
    this.client._packet(packet, opts);
  }

  /**
   * Joins a room or rooms. The callback (socket.io 2's signature) runs once the adapter is done;
   * the returned promise (or undefined) is the adapter's.
   */
  join(rooms: Room | Room[], callback?: (err: Error | null) => void): Promise<void> | void {
    debug("join room %s", rooms);
    const result = this.adapter.addAll(this.id, new Set(Array.isArray(rooms) ? rooms : [rooms]));
    return settle(result, callback);
  }

  /** Leaves a room. The callback (socket.io 2's signature) runs once the adapter is done. */
  leave(room: Room, callback?: (err: Error | null) => void): Promise<void> | void {
    debug("leave room %s", room);
    return settle(this.adapter.del(this.id, room), callback);
  }

  private leaveAll(): void {
    this.adapter.delAll(this.id);
  }

  /** Called by the namespace once the middlewares accepted the socket. */
  _onconnect(): void {
    const id = this.id;
    const nsp = this.nsp;
    if (debug.enabled) debug("socket %s connected to %s", id, nsp.name);
    this.connected = true;
    void this.adapter.addAll(id, new Set([id]));
    const client = this.client;
    if (client.conn.protocol === 3) {
      this.packet({ type: PacketType.CONNECT });
    } else if (nsp.server._defaultParser && !this.recovered && client.conn.readyState === "open") {
      // The default encoder's text, written directly: our ids are base64url and need no JSON escaping
      // (a restored session's ids come from the adapter and take the general path).
      const pid = this.pid;
      const payload = pid === undefined ? `${id}"}` : `${id}","pid":"${pid}"}`;
      client._writeEncoded([nsp._connectPrefix + payload], COMPRESSED);
    } else {
      this.packet({ type: PacketType.CONNECT, data: this.pid ? { sid: id, pid: this.pid } : { sid: id } });
    }
  }

  /** A packet the client sent to this namespace. */
  _onpacket(packet: Packet): void {
    switch (packet.type) {
      case PacketType.EVENT:
      case PacketType.BINARY_EVENT:
        this.onevent(packet);
        break;
      case PacketType.ACK:
      case PacketType.BINARY_ACK:
        this.onack(packet);
        break;
      case PacketType.DISCONNECT:
        this.ondisconnect();
        break;
    }
  }

  private onevent(packet: Packet): void {
    const args = Array.isArray(packet.data) ? (packet.data as unknown[]) : [];
    if (args.length > MAX_EVENT_ARGUMENTS) {
      debug("event with %d arguments refused", args.length);
      this.client.onerror(new Error(`sockwave: an event carried more than ${MAX_EVENT_ARGUMENTS} arguments`));
      return;
    }
    if (packet.id != null) args.push(this.ack(packet.id));
    const anyListeners = this._anyListeners;
    if (anyListeners && anyListeners.length) {
      for (const listener of anyListeners.slice()) listener.apply(this, args);
    }
    this.dispatch(args);
  }

  /** The function handed to listeners to acknowledge an event; only its first call is sent. */
  private ack(id: number): AckCallback {
    let sent = false;
    return (...args: unknown[]) => {
      if (sent) return;
      sent = true;
      debug("sending ack %d", id);
      this.packet({ id, type: PacketType.ACK, data: args });
    };
  }

  private onack(packet: Packet): void {
    const acks = this._acks;
    const ack = packet.id === undefined ? undefined : acks?.get(packet.id);
    if (typeof ack !== "function") {
      debug("ignoring ack %s: no callback waits for it", packet.id);
      return;
    }
    acks!.delete(packet.id!);
    ack.apply(this, Array.isArray(packet.data) ? packet.data : []);
  }

  private ondisconnect(): void {
    debug("got disconnect packet");
    this._onclose("client namespace disconnect");
  }

  /** Reports an error on the socket's `error` event (ignored when nobody listens). */
  _onerror(err: Error): void {
    if (this.listenerCount("error") > 0) this.emitReserved("error", err);
    else debug("socket %s error: %s", this.id, err.message);
  }

  /** Leaves the namespace: `disconnecting` (rooms still readable), cleanup, then `disconnect`. */
  _onclose(reason: DisconnectReason, description?: unknown): this | undefined {
    if (!this.connected) return this;
    if (debug.enabled) debug("closing socket %s - reason %s", this.id, reason);
    this.emitReserved("disconnecting", reason, description);
    if (this.nsp.server.opts.connectionStateRecovery && RECOVERABLE_DISCONNECT_REASONS.has(reason)) {
      debug("connection state recovery is enabled for sid %s", this.id);
      this.adapter.persistSession({ sid: this.id, pid: this.pid!, rooms: [...this.rooms], data: this._data });
    }
    this._cleanup();
    this.client._remove(this);
    this.connected = false;
    this.emitReserved("disconnect", reason, description);
    this._acks = undefined;
    return undefined;
  }

  /** Leaves every room and the namespace; later joins are ignored. */
  _cleanup(): void {
    this.leaveAll();
    this.nsp._remove(this);
    this.join = noop;
  }

  /** Sends a CONNECT_ERROR (a middleware refused the socket). */
  _error(err: unknown): void {
    this.packet({ type: PacketType.CONNECT_ERROR, data: err });
  }

  /**
   * Disconnects from this namespace; with `close`, closes the whole connection (every namespace).
   */
  disconnect(close = false): this {
    if (!this.connected) return this;
    if (close) {
      this.client._disconnect();
    } else {
      this.packet({ type: PacketType.DISCONNECT });
      this._onclose("server namespace disconnect");
    }
    return this;
  }

  /** Whether the next emit may be compressed. */
  compress(compress: boolean): this {
    (this.flags ??= {}).compress = compress;
    return this;
  }

  /** The next emit is dropped if the client is not ready to receive it. */
  get volatile(): this {
    (this.flags ??= {}).volatile = true;
    return this;
  }

  /** A no-op kept from socket.io 2 (binary detection is automatic). */
  binary(_binary?: boolean): this {
    return this;
  }

  /** Broadcasts to every socket of the namespace but this one. */
  get broadcast(): BroadcastOperator<DecorateAcknowledgementsWithMultipleResponses<EmitEvents>, SocketData> {
    return this.newBroadcastOperator();
  }

  /** Broadcasts on this node only (no adapter fan-out to other nodes). */
  get local(): BroadcastOperator<DecorateAcknowledgementsWithMultipleResponses<EmitEvents>, SocketData> {
    return this.newBroadcastOperator().local;
  }

  /** The acknowledgement of the next emit fails with "operation has timed out" after `timeout` ms. */
  timeout(timeout: number): Socket<ListenEvents, DecorateAcknowledgements<EmitEvents>, ServerSideEvents, SocketData> {
    (this.flags ??= {}).timeout = timeout;
    return this as unknown as Socket<ListenEvents, DecorateAcknowledgements<EmitEvents>, ServerSideEvents, SocketData>;
  }

  private dispatch(event: unknown[]): void {
    const fns = this.fns;
    if (!fns || fns.length === 0) {
      process.nextTick(runEvent, this, event);
      return;
    }
    this.run(fns.slice(), event as Event, 0);
  }

  private run(fns: Array<(event: Event, next: (err?: Error) => void) => void>, event: Event, index: number): void {
    const next = (err?: Error): void => {
      if (err || index + 1 === fns.length) process.nextTick(runEvent, this, event, err);
      else this.run(fns, event, index + 1);
    };
    try {
      fns[index]!(event, next);
    } catch (err) {
      // A packet middleware that throws drops the event and reports on the socket's `error` event.
      next(err instanceof Error ? err : new Error(String(err)));
    }
  }

  /** Emits a client event to the listeners, after the packet middlewares. */
  _dispatchNow(event: unknown[], err?: Error): void {
    if (err) {
      this._onerror(err);
      return;
    }
    if (!this.connected) {
      debug("ignoring packet received after disconnection");
      return;
    }
    // A client may send an event named "error": without a listener Node would throw it.
    if (event[0] === "error" && this.listenerCount("error") === 0) {
      debug("ignoring an 'error' event sent by the client");
      return;
    }
    this.emitUntyped(event[0] as string, ...event.slice(1));
  }

  /** Adds a packet middleware: `(event, next)` runs for every incoming event. */
  use(fn: (event: Event, next: (err?: Error) => void) => void): this {
    (this.fns ??= []).push(fn);
    return this;
  }

  get disconnected(): boolean {
    return !this.connected;
  }

  /** The HTTP request that opened the connection. */
  get request(): IncomingMessage {
    return this.client.request;
  }

  /** The Engine.IO connection. */
  get conn(): EngineSocket {
    return this.client.conn as unknown as EngineSocket;
  }

  /** The rooms this socket is in (including its own id); empty once disconnected. */
  get rooms(): Set<Room> {
    return this.adapter.socketRooms(this.id) ?? new Set();
  }

  /** Adds a listener called for every incoming event, with the event name first. */
  onAny(listener: AnyListener): this {
    (this._anyListeners ??= []).push(listener);
    return this;
  }

  /** Like `onAny()`, called before the other catch-all listeners. */
  prependAny(listener: AnyListener): this {
    (this._anyListeners ??= []).unshift(listener);
    return this;
  }

  /** Removes one catch-all listener, or all of them without an argument. */
  offAny(listener?: AnyListener): this {
    this._anyListeners = removeListener(this._anyListeners, listener);
    return this;
  }

  listenersAny(): AnyListener[] {
    return this._anyListeners ?? [];
  }

  /** Adds a listener called for every outgoing event, with the event name first. */
  onAnyOutgoing(listener: AnyListener): this {
    (this._anyOutgoingListeners ??= []).push(listener);
    return this;
  }

  prependAnyOutgoing(listener: AnyListener): this {
    (this._anyOutgoingListeners ??= []).unshift(listener);
    return this;
  }

  offAnyOutgoing(listener?: AnyListener): this {
    this._anyOutgoingListeners = removeListener(this._anyOutgoingListeners, listener);
    return this;
  }

  listenersAnyOutgoing(): AnyListener[] {
    return this._anyOutgoingListeners ?? [];
  }

  /** Calls the outgoing catch-all listeners (the adapter calls this for broadcasts). */
  notifyOutgoingListeners(packet: { data?: unknown }): void {
    const listeners = this._anyOutgoingListeners;
    if (listeners && listeners.length && Array.isArray(packet.data)) {
      for (const listener of listeners.slice()) listener.apply(this, packet.data);
    }
  }

  private newBroadcastOperator(): BroadcastOperator<
    DecorateAcknowledgementsWithMultipleResponses<EmitEvents>,
    SocketData
  > {
    const flags = this.flags ?? {};
    this.flags = undefined;
    return new BroadcastOperator(this.adapter, new Set(), new Set([this.id]), flags);
  }
}

function removeListener(listeners: AnyListener[] | undefined, listener: AnyListener | undefined): AnyListener[] | undefined {
  if (!listeners) return listeners;
  if (!listener) return [];
  const index = listeners.indexOf(listener);
  if (index !== -1) listeners.splice(index, 1);
  return listeners;
}

function settle(result: Promise<void> | void, callback: ((err: Error | null) => void) | undefined): Promise<void> | void {
  if (!callback) return result;
  if (result && typeof result.then === "function") {
    result.then(
      () => callback(null),
      (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
    );
  } else {
    process.nextTick(callback, null);
  }
  return result;
}

function queryOf(url: string | undefined): Handshake["query"] {
  const query: Handshake["query"] = {};
  if (!url) return query;
  const params = new URL(url, "http://localhost").searchParams;
  for (const key of params.keys()) {
    const values = params.getAll(key);
    query[key] = values.length === 1 ? values[0] : values;
  }
  return query;
}
