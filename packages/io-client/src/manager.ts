import createDebug from "debug";
import {
  Emitter,
  Socket as Engine,
  type DefaultEventsMap,
  type EventsMap,
  type SocketOptions as EngineOptions,
} from "@sockwave/engine-client";
import { Decoder, Encoder, type Packet } from "@sockwave/io-parser";
import { Backoff } from "./backoff";
import { findPacketProblem } from "./packet-guard";
import { Socket, type DisconnectDescription, type SocketOptions } from "./socket";
import { subscribe } from "./subscribe";

const debug = createDebug("sockwave:io-client:manager");

/** What a Manager needs from a decoder: chunks in, `decoded` packets out. */
export interface ParserDecoder {
  add(chunk: unknown): void;
  destroy(): void;
  on(event: "decoded", listener: (packet: Packet) => void): unknown;
  off(event: "decoded", listener: (packet: Packet) => void): unknown;
}

/** What a Manager needs from an encoder: the Engine.IO messages of a packet (an array of them, as a rule). */
export interface ParserEncoder {
  encode(packet: Packet): unknown;
}

/** A Socket.IO packet codec such as @sockwave/io-parser or socket.io-msgpack-parser. */
export interface Parser {
  Encoder: new () => ParserEncoder;
  Decoder: new () => ParserDecoder;
}

export interface ManagerOptions extends EngineOptions {
  /** Always create a new Manager (connection) instead of reusing a cached one. */
  forceNew: boolean;
  /** `false` behaves like `forceNew`: no sharing of connections between namespaces. */
  multiplex: boolean;
  /** The server's request path (default "/socket.io"). */
  path: string;
  /** Reconnect automatically (default true). */
  reconnection: boolean;
  /** Attempts before giving up with `reconnect_failed` (default Infinity). */
  reconnectionAttempts: number;
  /** First reconnection delay in ms, doubled on each attempt (default 1000). */
  reconnectionDelay: number;
  /** Cap of the reconnection delay in ms (default 5000). */
  reconnectionDelayMax: number;
  /** Spread of each delay, 0 to 1 (default 0.5). */
  randomizationFactor: number;
  /** Connection timeout in ms before `connect_error` (default 20000); `false` waits forever. */
  timeout: number | false;
  /** Connect at construction (default true); otherwise call `socket.connect()`. */
  autoConnect: boolean;
  /** The packet codec (default @sockwave/io-parser); must match the server's. */
  parser: Parser;
}

export interface ManagerReservedEvents {
  open: () => void;
  error: (err: Error) => void;
  ping: () => void;
  packet: (packet: Packet) => void;
  close: (reason: string, description?: DisconnectDescription) => void;
  reconnect_failed: () => void;
  reconnect_attempt: (attempt: number) => void;
  reconnect_error: (err: Error) => void;
  reconnect: (attempt: number) => void;
}

/** @sockwave/io-parser; named imports keep the rest of its exports out of browser bundles. */
const DEFAULT_PARSER = { Encoder, Decoder };

type Timer = ReturnType<typeof setTimeout>;
type EngineData = Parameters<Engine["write"]>[0];
type EngineListenable = Parameters<typeof subscribe<(...args: never[]) => void>>[0];

/**
 * One Engine.IO connection to a server, shared by the Sockets of its namespaces (multiplexing).
 * Opens the connection, encodes and decodes packets, and reconnects with exponential backoff.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- a Manager has no user events, as in socket.io-client
export class Manager<ListenEvents extends EventsMap = DefaultEventsMap, EmitEvents extends EventsMap = ListenEvents> extends Emitter<
  {},
  {},
  ManagerReservedEvents
> {
  /** The current Engine.IO socket; replaced on every (re)connection. */
  declare engine: Engine;
  declare _autoConnect: boolean;
  _readyState: "opening" | "open" | "closed" = "closed";
  _reconnecting = false;
  declare opts: Partial<ManagerOptions>;

  private declare readonly uri: string | undefined;
  private readonly nsps = new Map<string, Socket<ListenEvents, EmitEvents>>();
  private subs: Array<() => void> = [];
  private declare readonly backoff: Backoff;
  private declare _reconnection: boolean;
  private declare _reconnectionAttempts: number;
  private declare _timeout: number | boolean;
  private declare readonly parser: Parser;
  private declare readonly encoder: ParserEncoder;
  private declare decoder: ParserDecoder | undefined;
  private skipReconnect = false;

  constructor(opts: Partial<ManagerOptions>);
  constructor(uri?: string, opts?: Partial<ManagerOptions>);
  constructor(uri?: string | Partial<ManagerOptions>, opts?: Partial<ManagerOptions>);
  constructor(uri?: string | Partial<ManagerOptions>, opts?: Partial<ManagerOptions>) {
    super();
    if (uri && typeof uri === "object") {
      opts = uri;
      uri = undefined;
    }
    opts = opts || {};
    opts.path = opts.path || "/socket.io";
    this.opts = opts;
    this.uri = uri;
    this.reconnection(opts.reconnection !== false);
    this.reconnectionAttempts(opts.reconnectionAttempts || Infinity);
    this.backoff = new Backoff(opts.reconnectionDelay || 1000, opts.reconnectionDelayMax || 5000, opts.randomizationFactor ?? 0.5);
    this.timeout(opts.timeout == null ? 20000 : opts.timeout);
    this.parser = opts.parser || (DEFAULT_PARSER as unknown as Parser);
    this.encoder = new this.parser.Encoder();
    this._autoConnect = opts.autoConnect !== false;
    if (this._autoConnect) this.open();
  }

  /** Whether to reconnect automatically; without an argument, the current setting. */
  reconnection(v: boolean): this;
  reconnection(): boolean;
  reconnection(v?: boolean): this | boolean;
  reconnection(v?: boolean): this | boolean {
    if (v === undefined) return this._reconnection;
    this._reconnection = !!v;
    if (!v) this.skipReconnect = true;
    return this;
  }

  reconnectionAttempts(v: number): this;
  reconnectionAttempts(): number;
  reconnectionAttempts(v?: number): this | number;
  reconnectionAttempts(v?: number): this | number {
    if (v === undefined) return this._reconnectionAttempts;
    this._reconnectionAttempts = v;
    return this;
  }

  /** First reconnection delay in ms; without an argument, the current setting. */
  reconnectionDelay(v: number): this;
  reconnectionDelay(): number;
  reconnectionDelay(v?: number): this | number;
  reconnectionDelay(v?: number): this | number {
    return this.backoffSetting("min", v);
  }

  /** Spread of the reconnection delays (0 to 1); without an argument, the current setting. */
  randomizationFactor(v: number): this;
  randomizationFactor(): number;
  randomizationFactor(v?: number): this | number;
  randomizationFactor(v?: number): this | number {
    return this.backoffSetting("jitter", v);
  }

  /** Cap of the reconnection delay in ms; without an argument, the current setting. */
  reconnectionDelayMax(v: number): this;
  reconnectionDelayMax(): number;
  reconnectionDelayMax(v?: number): this | number;
  reconnectionDelayMax(v?: number): this | number {
    return this.backoffSetting("max", v);
  }

  /** The backoff holds the delay settings, so a change applies to the next attempt. */
  private backoffSetting(key: "min" | "max" | "jitter", v: number | undefined): this | number {
    if (v === undefined) return this.backoff[key];
    this.backoff[key] = v;
    return this;
  }

  /** Connection timeout in ms (`false`: none); without an argument, the current setting. */
  timeout(v: number | boolean): this;
  timeout(): number | boolean;
  timeout(v?: number | boolean): this | number | boolean;
  timeout(v?: number | boolean): this | number | boolean {
    if (v === undefined) return this._timeout;
    this._timeout = v;
    return this;
  }

  /** Starts the reconnection loop after a failed first connection, unless one is running. */
  private maybeReconnectOnOpen(): void {
    if (!this._reconnecting && this._reconnection && this.backoff.attempts === 0) this.reconnect();
  }

  /**
   * Opens the Engine.IO connection (no-op when open or opening).
   *
   * @param fn - called once with nothing on success or with the error; when given, a failure does not
   *   start the reconnection loop
   */
  open(fn?: (err?: Error) => void): this {
    if (this._readyState.includes("open")) return this;
    debug("opening %s", this.uri);
    this._readyState = "opening";
    this.skipReconnect = false;

    const onError = (err: Error) => {
      debug("connection error: %s", err && err.message);
      this.cleanup();
      this._readyState = "closed";
      this.emitReserved("error", err);
      if (fn) fn(err);
      else this.maybeReconnectOnOpen();
    };

    let engine: Engine;
    try {
      engine = this.uri === undefined ? new Engine(this.opts) : new Engine(this.uri, this.opts);
    } catch (err) {
      // e.g. an unusable URI: reported like any connection error instead of escaping a timer callback
      onError(err instanceof Error ? err : new Error(String(err)));
      return this;
    }
    this.engine = engine;
    const events = engine as unknown as EngineListenable;

    const unsubscribeOpen = subscribe(events, "open", () => {
      this.onopen();
      if (fn) fn();
    });
    this.subs.push(unsubscribeOpen, subscribe(events, "error", onError));

    if (this._timeout !== false) {
      const timeout = this._timeout === true ? 20000 : this._timeout;
      debug("connection timeout in %d ms", timeout);
      const timer: Timer = setTimeout(() => {
        debug("connection timed out after %d ms", timeout);
        unsubscribeOpen();
        onError(new Error("timeout"));
        engine.close();
      }, timeout);
      if (this.opts.autoUnref) unrefTimer(timer);
      this.subs.push(() => clearTimeout(timer));
    }
    return this;
  }

  /** Alias for {@link open}. */
  connect(fn?: (err?: Error) => void): this {
    return this.open(fn);
  }

  private onopen(): void {
    debug("open");
    this.cleanup();
    this._readyState = "open";
    this.emitReserved("open");
    const engine = this.engine as unknown as EngineListenable;
    // a fresh decoder per connection: no half-received binary packet survives a reconnection
    const decoder = new this.parser.Decoder();
    this.decoder = decoder;
    const onDecoded = (packet: Packet) => this.ondecoded(packet);
    decoder.on("decoded", onDecoded);
    this.subs.push(
      subscribe(engine, "ping", () => this.emitReserved("ping")),
      subscribe(engine, "data", (data: unknown) => this.ondata(data)),
      subscribe(engine, "error", (err: Error) => this.emitReserved("error", err)),
      subscribe(engine, "close", (reason: string, description?: DisconnectDescription) => this.onclose(reason, description)),
      () => decoder.off("decoded", onDecoded),
    );
  }

  private ondata(data: unknown): void {
    try {
      this.decoder?.add(data);
    } catch (err) {
      debug("undecodable data from the server: %s", (err as Error).message);
      this.onclose("parse error", err instanceof Error ? err : new Error(String(err)));
    }
  }

  private ondecoded(packet: Packet): void {
    const problem = findPacketProblem(packet);
    if (problem) {
      debug("invalid packet: %s", problem);
      this.onclose("parse error", new Error(`Invalid packet from the server: ${problem}`));
      return;
    }
    // delivered outside the decoder's call stack, so an exception in a user listener is not a "parse error"
    queueMicrotask(() => this.emitReserved("packet", packet));
  }

  /** The Socket of namespace `nsp` on this connection, created on first use. */
  socket(nsp: string, opts?: Partial<SocketOptions>): Socket<ListenEvents, EmitEvents> {
    let socket = this.nsps.get(nsp);
    if (!socket) {
      socket = new Socket<ListenEvents, EmitEvents>(this, nsp, opts);
      this.nsps.set(nsp, socket);
    } else if (this._autoConnect && !socket.active) {
      socket.connect();
    }
    return socket;
  }

  /** @internal Whether a Socket for `nsp` exists on this Manager (`io()` then makes a new Manager). */
  _hasNamespace(nsp: string): boolean {
    return this.nsps.has(nsp);
  }

  /** @internal Called when a Socket stops; closes the connection once no Socket is active. */
  _destroy(_socket: Socket<ListenEvents, EmitEvents>): void {
    for (const socket of this.nsps.values()) {
      if (socket.active) return;
    }
    this._close();
  }

  /** @internal Encodes a packet and writes it to the engine. */
  _packet(packet: Packet & { options?: { compress: boolean } }): void {
    const engine = this.engine;
    if (!engine) return;
    const encoded = this.encoder.encode(packet);
    // socket.io-msgpack-parser's typings promise one buffer, its code returns an array: accept both
    for (const chunk of Array.isArray(encoded) ? encoded : [encoded]) engine.write(chunk as EngineData, packet.options);
  }

  private cleanup(): void {
    for (const unsubscribe of this.subs) unsubscribe();
    this.subs.length = 0;
    this.decoder?.destroy();
    this.decoder = undefined;
  }

  /** @internal Closes the connection for good (no reconnection). */
  _close(): void {
    debug("disconnect");
    this.skipReconnect = true;
    this._reconnecting = false;
    this.onclose("forced close");
  }

  /** Alias for `_close()`. */
  disconnect(): void {
    this._close();
  }

  /** The engine closed, the data could not be decoded, or every Socket left. */
  private onclose(reason: string, description?: DisconnectDescription): void {
    debug("closed due to %s", reason);
    this.cleanup();
    this.engine?.close();
    this.backoff.reset();
    this._readyState = "closed";
    this.emitReserved("close", reason, description);
    if (this._reconnection && !this.skipReconnect) this.reconnect();
  }

  private reconnect(): void {
    if (this._reconnecting || this.skipReconnect) return;
    if (this.backoff.attempts >= this._reconnectionAttempts) {
      debug("reconnection failed after %d attempts", this.backoff.attempts);
      this.backoff.reset();
      this.emitReserved("reconnect_failed");
      this._reconnecting = false;
      return;
    }
    const delay = this.backoff.duration();
    debug("reconnecting in %d ms", delay);
    this._reconnecting = true;
    const timer: Timer = setTimeout(() => {
      if (this.skipReconnect) return;
      debug("reconnection attempt %d", this.backoff.attempts);
      this.emitReserved("reconnect_attempt", this.backoff.attempts);
      // a listener may have closed the manager
      if (this.skipReconnect) return;
      this.open((err) => {
        if (err) {
          this._reconnecting = false;
          this.reconnect();
          this.emitReserved("reconnect_error", err);
        } else {
          this.onreconnect();
        }
      });
    }, delay);
    if (this.opts.autoUnref) unrefTimer(timer);
    this.subs.push(() => clearTimeout(timer));
  }

  private onreconnect(): void {
    const attempts = this.backoff.attempts;
    debug("reconnected after %d attempts", attempts);
    this._reconnecting = false;
    this.backoff.reset();
    this.emitReserved("reconnect", attempts);
  }
}

/** Lets Node exit while only this timer is pending (`autoUnref`); browsers have no such notion. */
function unrefTimer(timer: Timer): void {
  (timer as { unref?: () => void }).unref?.();
}
