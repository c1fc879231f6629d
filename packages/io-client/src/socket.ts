import createDebug from "debug";
import {
  Emitter,
  type DefaultEventsMap,
  type EventNames,
  type EventParams,
  type EventsMap,
} from "@sockwave/engine-client";
import { PacketType, RESERVED_EVENTS, type Packet } from "@sockwave/io-parser";
import type { Manager } from "./manager";
import { subscribe } from "./subscribe";
import type { AllButLast, DecorateAcknowledgements, FirstArg, Last } from "./typed-events";

const debug = createDebug("sockwave:io-client:socket");

/* eslint-disable @typescript-eslint/no-explicit-any -- event arguments are whatever the application sends */

/** Received events kept while the socket waits for its CONNECT reply; more means the server is misbehaving. */
const MAX_RECEIVE_BUFFER = 1000;

export interface SocketOptions {
  /** Sent in the CONNECT packet; a function is asked anew before every (re)connection. */
  auth?: { [key: string]: any } | ((cb: (data: object) => void) => void);
  /** Resend an unacknowledged emit up to this many times (delivery in order, one at a time). */
  retries?: number;
  /** Default acknowledgement timeout in milliseconds for every emit that expects an ack. */
  ackTimeout?: number;
}

/** Details of a disconnection caused by the transport. */
export type DisconnectDescription = Error | { description: string; context?: unknown };

/** A `connect_error` error; `data` holds what the server's middleware attached (`err.data`). */
export interface ExtendedError extends Error {
  data?: any;
}

export interface SocketReservedEvents {
  connect: () => void;
  connect_error: (err: ExtendedError) => void;
  disconnect: (reason: Socket.DisconnectReason, description?: DisconnectDescription) => void;
}

/** A packet the socket writes, with the engine write options. */
type OutgoingPacket = Packet & { options?: { compress: boolean } };

interface Flags {
  compress?: boolean;
  volatile?: boolean;
  timeout?: number;
  fromQueue?: boolean;
}

/** An ack callback; `withError` marks the ones that take an error first (timeouts, disconnection). */
type AckCallback = ((...args: any[]) => void) & { withError?: boolean };

/** An emit waiting in the retry queue (`retries` option). */
interface QueuedPacket {
  id: number;
  args: unknown[];
  flags: Flags;
  pending: boolean;
  tryCount: number;
}

type AnyListener = (...args: any[]) => void;

/**
 * One namespace of a {@link Manager}'s connection: `io("/chat")` gives a Socket for `/chat`. It connects
 * when the Manager does, reconnects with it, buffers emits while offline and resolves acknowledgements.
 */
export class Socket<
  ListenEvents extends EventsMap = DefaultEventsMap,
  EmitEvents extends EventsMap = ListenEvents,
> extends Emitter<ListenEvents, EmitEvents, SocketReservedEvents> {
  declare readonly io: Manager<ListenEvents, EmitEvents>;
  /** The session id the server gave this namespace; undefined while disconnected. */
  declare id: string | undefined;
  connected = false;
  /** Whether the last connection resumed the previous session (the server replayed missed packets). */
  recovered = false;
  declare auth: SocketOptions["auth"];
  /** Events received before the CONNECT reply, delivered once connected. */
  receiveBuffer: Array<ReadonlyArray<unknown>> = [];
  /** Packets emitted while disconnected, sent once connected. */
  sendBuffer: Array<Packet> = [];

  /** The private session id, present when the server has connection state recovery enabled. */
  private declare _pid: string | undefined;
  /** The offset of the last received recoverable packet, sent back to resume the session. */
  private declare _lastOffset: string | undefined;
  private _queue: QueuedPacket[] = [];
  private _queueSeq = 0;
  private declare readonly nsp: string;
  private declare readonly _opts: SocketOptions;
  private ids = 0;
  private readonly acks = new Map<number, AckCallback>();
  private flags: Flags = {};
  private declare subs: Array<() => void> | undefined;
  private declare _anyListeners: AnyListener[] | undefined;
  private declare _anyOutgoingListeners: AnyListener[] | undefined;

  constructor(io: Manager<ListenEvents, EmitEvents>, nsp: string, opts?: Partial<SocketOptions>) {
    super();
    this.io = io;
    this.nsp = nsp;
    if (opts && opts.auth) this.auth = opts.auth;
    this._opts = { ...opts };
    if (this.io._autoConnect) this.open();
  }

  get disconnected(): boolean {
    return !this.connected;
  }

  /** Whether the socket is connected or will (re)connect with its Manager. */
  get active(): boolean {
    return !!this.subs;
  }

  private subEvents(): void {
    if (this.subs) return;
    const io = this.io as unknown as Parameters<typeof subscribe<AnyListener>>[0];
    this.subs = [
      subscribe(io, "open", () => this.onopen()),
      subscribe(io, "packet", (packet: Packet) => this.onpacket(packet)),
      subscribe(io, "error", (err: Error) => this.onerror(err)),
      subscribe(io, "close", (reason: Socket.DisconnectReason, description?: DisconnectDescription) =>
        this.onclose(reason, description),
      ),
    ];
  }

  /** Connects (or reconnects after `disconnect()`); called automatically unless `autoConnect: false`. */
  connect(): this {
    if (this.connected) return this;
    this.subEvents();
    if (!this.io._reconnecting) this.io.open();
    if (this.io._readyState === "open") this.onopen();
    return this;
  }

  /** Alias for {@link connect}. */
  open(): this {
    return this.connect();
  }

  /** Emits a `message` event, like `WebSocket#send`. */
  send(...args: unknown[]): this {
    this.emit("message" as EventNames<EmitEvents>, ...(args as EventParams<EmitEvents, EventNames<EmitEvents>>));
    return this;
  }

  /**
   * Sends an event to the server. A function as last argument is the acknowledgement callback.
   * Emits while disconnected are buffered (dropped with `volatile`).
   */
  override emit<Ev extends EventNames<EmitEvents>>(ev: Ev, ...args: EventParams<EmitEvents, Ev>): this {
    if ((RESERVED_EVENTS as ReadonlySet<unknown>).has(ev)) {
      throw new Error(`"${String(ev)}" is a reserved event name and cannot be emitted`);
    }
    const data: unknown[] = [ev, ...args];
    if (this._opts.retries && !this.flags.fromQueue && !this.flags.volatile) {
      this._addToQueue(data);
      return this;
    }
    const packet: OutgoingPacket = {
      type: PacketType.EVENT,
      nsp: this.nsp,
      data,
      options: { compress: this.flags.compress !== false },
    };
    const last = data[data.length - 1];
    if (typeof last === "function") {
      const id = this.ids++;
      data.pop();
      this._registerAckCallback(id, last as AckCallback);
      packet.id = id;
    }
    const engine = this.io.engine;
    // socket.io-client only asks the transport, which stays "writable" after the engine closed; a closed
    // engine cannot send either, so volatile emits are dropped while it is down instead of buffered
    const transportWritable = engine?.readyState === "open" && !!engine.transport?.writable;
    const connected = this.connected && !engine?._hasPingExpired();
    if (this.flags.volatile && !transportWritable) {
      debug("discard volatile packet as the transport is not writable");
    } else if (connected) {
      this.notifyOutgoingListeners(packet);
      this.packet(packet);
    } else {
      debug("buffer packet until connected");
      this.sendBuffer.push(packet);
    }
    this.flags = {};
    return this;
  }

  private _registerAckCallback(id: number, ack: AckCallback): void {
    const timeout = this.flags.timeout ?? this._opts.ackTimeout;
    if (timeout === undefined) {
      this.acks.set(id, ack);
      return;
    }
    const timer = setTimeout(() => {
      this.acks.delete(id);
      // a timed-out emit still waiting to be sent must not be sent later
      this.sendBuffer = this.sendBuffer.filter((packet) => packet.id !== id);
      debug("event with ack id %d timed out after %d ms", id, timeout);
      ack.call(this, new Error("operation has timed out"));
    }, timeout);
    const withTimeout: AckCallback = (...args: unknown[]) => {
      clearTimeout(timer);
      ack.apply(this, args);
    };
    withTimeout.withError = true;
    this.acks.set(id, withTimeout);
  }

  /**
   * Emits an event and resolves with the server's acknowledgement (rejects on timeout or disconnection
   * when a timeout applies).
   */
  emitWithAck<Ev extends EventNames<EmitEvents>>(
    ev: Ev,
    ...args: AllButLast<EventParams<EmitEvents, Ev>>
  ): Promise<FirstArg<Last<EventParams<EmitEvents, Ev>>>> {
    return new Promise((resolve, reject) => {
      const settle: AckCallback = (err: unknown, value: FirstArg<Last<EventParams<EmitEvents, Ev>>>) =>
        err ? reject(err) : resolve(value);
      settle.withError = true;
      this.emit(ev, ...([...args, settle] as EventParams<EmitEvents, Ev>));
    });
  }

  private _addToQueue(args: unknown[]): void {
    let ack: AckCallback | undefined;
    if (typeof args[args.length - 1] === "function") ack = args.pop() as AckCallback;
    const queued: QueuedPacket = {
      id: this._queueSeq++,
      tryCount: 0,
      pending: false,
      args,
      flags: { fromQueue: true, ...this.flags },
    };
    const onAck: AckCallback = (err: unknown, ...response: unknown[]) => {
      if (queued !== this._queue[0]) return; // a late answer to an attempt already given up on
      if (err !== null) {
        if (queued.tryCount > (this._opts.retries ?? 0)) {
          debug("packet %d discarded after %d tries", queued.id, queued.tryCount);
          this._queue.shift();
          if (ack) ack(err);
        }
      } else {
        this._queue.shift();
        if (ack) ack(null, ...response);
      }
      queued.pending = false;
      this._drainQueue();
    };
    onAck.withError = true;
    args.push(onAck);
    this._queue.push(queued);
    this.flags = {};
    this._drainQueue();
  }

  /** Sends the head of the retry queue and waits for its ack; `force` resends one already in flight. */
  private _drainQueue(force = false): void {
    if (!this.connected || this._queue.length === 0) return;
    const head = this._queue[0]!;
    if (head.pending && !force) return;
    head.pending = true;
    head.tryCount++;
    debug("sending packet %d (try %d)", head.id, head.tryCount);
    this.flags = head.flags;
    const [ev, ...rest] = head.args;
    this.emit(ev as EventNames<EmitEvents>, ...(rest as EventParams<EmitEvents, EventNames<EmitEvents>>));
  }

  private packet(packet: OutgoingPacket): void {
    packet.nsp = this.nsp;
    this.io._packet(packet);
  }

  private onopen(): void {
    debug("transport open, connecting namespace %s", this.nsp);
    if (typeof this.auth === "function") {
      let answered = false;
      this.auth((data) => {
        if (answered) return;
        answered = true;
        this._sendConnectPacket(data);
      });
    } else {
      this._sendConnectPacket(this.auth);
    }
  }

  private _sendConnectPacket(data: object | undefined): void {
    this.packet({
      type: PacketType.CONNECT,
      nsp: this.nsp,
      data: this._pid ? { pid: this._pid, offset: this._lastOffset, ...data } : data,
    });
  }

  private onerror(err: Error): void {
    if (!this.connected) this.emitReserved("connect_error", err);
  }

  private onclose(reason: Socket.DisconnectReason, description?: DisconnectDescription): void {
    debug("close (%s)", reason);
    this.connected = false;
    this.id = undefined;
    this.emitReserved("disconnect", reason, description);
    this._clearAcks();
  }

  /** Fails the acks that can never be answered now: the server forgets them with the connection. */
  private _clearAcks(): void {
    for (const [id, ack] of this.acks) {
      if (this.sendBuffer.some((packet) => packet.id === id)) continue; // not sent yet: it will be
      this.acks.delete(id);
      // callbacks that take no error cannot be told; they are dropped as in socket.io-client
      if (ack.withError) ack.call(this, new Error("socket has been disconnected"));
    }
  }

  private onpacket(packet: Packet): void {
    if (packet.nsp !== this.nsp) return;
    switch (packet.type) {
      case PacketType.CONNECT: {
        const data = packet.data as { sid?: unknown; pid?: unknown } | null | undefined;
        if (data && typeof data === "object" && typeof data.sid === "string" && data.sid !== "") {
          this.onconnect(data.sid, typeof data.pid === "string" ? data.pid : undefined);
        } else {
          this.emitReserved(
            "connect_error",
            new Error("The CONNECT reply has no session id: a Socket.IO v2 server? This client needs v3 or later"),
          );
        }
        break;
      }
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
      case PacketType.CONNECT_ERROR:
        this.destroy();
        this.emitReserved("connect_error", connectErrorFrom(packet.data));
        break;
    }
  }

  private onevent(packet: Packet): void {
    const args: unknown[] = Array.isArray(packet.data) ? packet.data : [];
    if (packet.id != null) args.push(this.ack(packet.id));
    if (this.connected) {
      this.emitEvent(args);
    } else if (this.receiveBuffer.length < MAX_RECEIVE_BUFFER) {
      this.receiveBuffer.push(Object.freeze(args));
    } else {
      debug("receive buffer full (%d events before CONNECT), dropping an event", MAX_RECEIVE_BUFFER);
    }
  }

  private emitEvent(args: ReadonlyArray<unknown>): void {
    if (this._anyListeners && this._anyListeners.length) {
      for (const listener of this._anyListeners.slice()) listener.apply(this, args as unknown[]);
    }
    // the untyped dispatch of component-emitter: the server decides what arrives
    (Emitter.prototype.emit as (this: unknown, ...args: unknown[]) => unknown).apply(this, args as unknown[]);
    if (this._pid && args.length && typeof args[args.length - 1] === "string") {
      this._lastOffset = args[args.length - 1] as string;
    }
  }

  /** The callback handed to listeners of an event the server wants acknowledged; answers once. */
  private ack(id: number): (...args: unknown[]) => void {
    let sent = false;
    return (...args: unknown[]) => {
      if (sent) return;
      sent = true;
      debug("sending ack %d", id);
      this.packet({ type: PacketType.ACK, nsp: this.nsp, id, data: args });
    };
  }

  private onack(packet: Packet): void {
    const id = packet.id as number;
    const ack = this.acks.get(id);
    if (typeof ack !== "function") {
      debug("ignoring ack %d: unknown or already answered", id);
      return;
    }
    this.acks.delete(id);
    const data = Array.isArray(packet.data) ? (packet.data as unknown[]) : [];
    if (ack.withError) data.unshift(null);
    ack.apply(this, data);
  }

  private onconnect(id: string, pid: string | undefined): void {
    debug("connected to %s as %s", this.nsp, id);
    this.id = id;
    this.recovered = !!pid && this._pid === pid;
    this._pid = pid;
    this.connected = true;
    this.emitBuffered();
    this._drainQueue(true);
    this.emitReserved("connect");
  }

  private emitBuffered(): void {
    const received = this.receiveBuffer;
    this.receiveBuffer = [];
    for (const args of received) this.emitEvent(args);
    const toSend = this.sendBuffer;
    this.sendBuffer = [];
    for (const packet of toSend) {
      this.notifyOutgoingListeners(packet);
      this.packet(packet);
    }
  }

  private ondisconnect(): void {
    debug("server disconnected namespace %s", this.nsp);
    this.destroy();
    this.onclose("io server disconnect");
  }

  /** Stops following the Manager (no reconnection); the Manager closes when no socket is active. */
  private destroy(): void {
    if (this.subs) {
      for (const unsubscribe of this.subs) unsubscribe();
      this.subs = undefined;
    }
    this.io._destroy(this);
  }

  /** Disconnects this namespace for good (no automatic reconnection); `connect()` starts again. */
  disconnect(): this {
    if (this.connected) {
      debug("disconnecting namespace %s", this.nsp);
      this.packet({ type: PacketType.DISCONNECT, nsp: this.nsp });
    }
    this.destroy();
    if (this.connected) this.onclose("io client disconnect");
    return this;
  }

  /** Alias for {@link disconnect}. */
  close(): this {
    return this.disconnect();
  }

  /** Whether the next emit may be compressed (WebSocket permessage-deflate, HTTP compression). */
  compress(compress: boolean): this {
    this.flags.compress = compress;
    return this;
  }

  /** The next emit is dropped instead of buffered when it cannot be written right now. */
  get volatile(): this {
    this.flags.volatile = true;
    return this;
  }

  /** The ack of the next emit fails with "operation has timed out" after `timeout` ms without answer. */
  timeout(timeout: number): Socket<ListenEvents, DecorateAcknowledgements<EmitEvents>> {
    this.flags.timeout = timeout;
    return this as unknown as Socket<ListenEvents, DecorateAcknowledgements<EmitEvents>>;
  }

  /** Calls `listener(event, ...args)` for every event received from the server. */
  onAny(listener: (...args: any[]) => void): this {
    this._anyListeners = addListener(this._anyListeners, listener, false);
    return this;
  }

  /** Like {@link onAny}, but runs before the catch-all listeners already added. */
  prependAny(listener: (...args: any[]) => void): this {
    this._anyListeners = addListener(this._anyListeners, listener, true);
    return this;
  }

  /** Removes one catch-all listener, or all of them without an argument. */
  offAny(listener?: (...args: any[]) => void): this {
    this._anyListeners = removeListener(this._anyListeners, listener);
    return this;
  }

  /** The catch-all listeners for incoming events (the array itself: changes apply). */
  listenersAny(): ((...args: any[]) => void)[] {
    return (this._anyListeners ??= []);
  }

  /** Calls `listener(event, ...args)` for every event sent to the server (not for acks). */
  onAnyOutgoing(listener: (...args: any[]) => void): this {
    this._anyOutgoingListeners = addListener(this._anyOutgoingListeners, listener, false);
    return this;
  }

  /** Like {@link onAnyOutgoing}, but runs before the catch-all listeners already added. */
  prependAnyOutgoing(listener: (...args: any[]) => void): this {
    this._anyOutgoingListeners = addListener(this._anyOutgoingListeners, listener, true);
    return this;
  }

  /** Removes one outgoing catch-all listener, or all of them without an argument. */
  offAnyOutgoing(listener?: (...args: any[]) => void): this {
    this._anyOutgoingListeners = removeListener(this._anyOutgoingListeners, listener);
    return this;
  }

  /** The catch-all listeners for outgoing events (the array itself: changes apply). */
  listenersAnyOutgoing(): ((...args: any[]) => void)[] {
    return (this._anyOutgoingListeners ??= []);
  }

  private notifyOutgoingListeners(packet: Packet): void {
    if (this._anyOutgoingListeners && this._anyOutgoingListeners.length) {
      for (const listener of this._anyOutgoingListeners.slice()) listener.apply(this, packet.data as unknown[]);
    }
  }
}

// eslint-disable-next-line @typescript-eslint/no-namespace -- the official typings expose Socket.DisconnectReason
export declare namespace Socket {
  type DisconnectReason =
    | "io server disconnect"
    | "io client disconnect"
    | "ping timeout"
    | "transport close"
    | "transport error"
    | "parse error";
}

/** Adds a catch-all listener at the end (or the front); returns the list to keep. */
function addListener(listeners: AnyListener[] | undefined, listener: AnyListener, first: boolean): AnyListener[] {
  const list = listeners ?? [];
  if (first) list.unshift(listener);
  else list.push(listener);
  return list;
}

/** Removes one listener (or all without one) in place; returns the list to keep. */
function removeListener(listeners: AnyListener[] | undefined, listener: AnyListener | undefined): AnyListener[] | undefined {
  if (!listeners) return listeners;
  if (!listener) return [];
  const index = listeners.indexOf(listener);
  if (index !== -1) listeners.splice(index, 1);
  return listeners;
}

/**
 * The error a CONNECT_ERROR reply turns into. The server normally sends `{ message, data }`, but a broken
 * or foreign server may send a string, nothing, or anything else: each still gives a usable Error.
 */
function connectErrorFrom(payload: unknown): ExtendedError {
  const { message, data } = (payload && typeof payload === "object" ? payload : {}) as { message?: unknown; data?: unknown };
  const text = typeof payload === "string" ? payload : message;
  const error: ExtendedError = new Error(typeof text === "string" ? text : "Connection refused by the server (no reason given)");
  if (data !== undefined) error.data = data;
  return error;
}
