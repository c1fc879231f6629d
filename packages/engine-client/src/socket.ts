import debugModule from "debug";
import { protocol, type BinaryType, type Packet, type PacketType, type RawData } from "@sockwave/engine-parser";
import type { CookieJar } from "./cookie-jar";
import { Emitter } from "./emitter";
import { parse } from "./parse-uri";
import { decodeQuery, type QueryValue } from "./query-string";
import { withDefaults, type ResolvedSocketOptions, type SocketOptions, type TransportCtor, type TransportName } from "./socket-options";
import type { CloseDetails, Transport, TransportOptions } from "./transport";
import { installTimerFunctions, MAX_TIMER_DELAY, nextTick, utf8Length } from "./util";

const debug = debugModule("sockwave:engine-client:socket");

/** The handshake the server sends in the open packet. */
export interface HandshakeData {
  sid: string;
  upgrades: string[];
  pingInterval: number;
  pingTimeout: number;
  maxPayload: number;
}

export interface SocketReservedEvents {
  open: () => void;
  handshake: (data: HandshakeData) => void;
  packet: (packet: Packet) => void;
  packetCreate: (packet: Packet) => void;
  data: (data: RawData) => void;
  message: (data: RawData) => void;
  drain: () => void;
  flush: () => void;
  heartbeat: () => void;
  ping: () => void;
  pong: () => void;
  error: (err: string | Error) => void;
  upgrading: (transport: Transport) => void;
  upgrade: (transport: Transport) => void;
  upgradeError: (err: Error) => void;
  close: (reason: string, description?: CloseDetails | Error) => void;
}

export type SocketState = "opening" | "open" | "closing" | "closed";

export interface WriteOptions {
  compress?: boolean;
}

// As in engine.io-client, a global addEventListener means a window or worker scope (with removeEventListener).
const hasEventListeners = typeof addEventListener === "function";

// One window `offline` listener for all sockets, installed on first need.
const offlineListeners = new Set<() => void>();
let offlineListenerInstalled = false;
function onOffline(listener: () => void): void {
  if (!offlineListenerInstalled) {
    offlineListenerInstalled = true;
    addEventListener("offline", () => offlineListeners.forEach((notify) => notify()), false);
  }
  offlineListeners.add(listener);
}

const isNode = typeof process !== "undefined" && typeof process.versions?.node === "string";

/**
 * An Engine.IO connection over one transport, without upgrades: the transports are given as classes
 * (`transports: [WebSocket]`), so a bundle contains only those.
 */
export class SocketWithoutUpgrade extends Emitter<Record<never, never>, Record<never, never>, SocketReservedEvents> {
  public id: string | null = null;
  public transport!: Transport;
  public binaryType: BinaryType = isNode ? "nodebuffer" : "arraybuffer";
  public readyState: SocketState | undefined;
  public writeBuffer: Packet[] = [];
  /** Node: the session's cookies when `withCredentials` is set (created by the first request). */
  public _cookieJar?: CookieJar;

  public static priorWebsocketSuccess = false;
  public static protocol: number = protocol;

  protected readonly opts: ResolvedSocketOptions;
  protected readonly transports: TransportName[];
  protected upgrading = false;
  protected upgrades: string[] = [];
  protected setTimeoutFn!: typeof setTimeout;
  protected clearTimeoutFn!: typeof clearTimeout;

  private readonly _transportsByName: Record<string, TransportCtor>;
  private readonly secure: boolean;
  private readonly hostname: string;
  private readonly port: string;
  private _prevBufferLen = 0;
  private pingInterval = -1;
  private pingTimeout = -1;
  private _maxPayload = 0;
  private _pingTimeoutTimer: ReturnType<typeof setTimeout> | undefined;
  /** Wall-clock deadline for the next ping: timers can be throttled or delayed, the clock cannot. */
  private _pingTimeoutTime = Infinity;
  private _beforeunloadListener: (() => void) | undefined;
  private _offlineListener: (() => void) | undefined;

  constructor();
  constructor(uri: string, opts?: SocketOptions);
  constructor(opts: SocketOptions);
  constructor(uri?: string | SocketOptions, opts?: SocketOptions);
  constructor(uriOrOpts?: string | SocketOptions, maybeOpts: SocketOptions = {}) {
    super();
    const opts: SocketOptions =
      uriOrOpts && typeof uriOrOpts === "object" ? { ...uriOrOpts } : { ...maybeOpts };
    if (typeof uriOrOpts === "string" && uriOrOpts.length > 0) {
      const uri = parse(uriOrOpts);
      opts.hostname = uri.host;
      opts.secure = /^(https|wss)$/.test(uri.protocol);
      opts.port = uri.port;
      if (uri.query) opts.query = uri.query;
    } else if (opts.host) {
      opts.hostname = parse(opts.host).host;
    }
    installTimerFunctions(this, opts);

    const page = typeof location !== "undefined" ? location : undefined;
    this.secure = opts.secure ?? page?.protocol === "https:";
    if (opts.hostname && !opts.port) opts.port = this.secure ? "443" : "80";
    this.hostname = opts.hostname || page?.hostname || "localhost";
    this.port = String(opts.port || page?.port || (this.secure ? "443" : "80"));

    if (opts.transportImplementations && opts.transports) {
      throw new Error("give either transports or transportImplementations");
    }
    const implementations = opts.transportImplementations ?? opts.transports ?? [];
    this.transports = [];
    this._transportsByName = Object.create(null) as Record<string, TransportCtor>;
    for (const implementation of implementations) {
      if (typeof implementation !== "function") {
        throw new TypeError("transport classes expected; use Socket for transport names");
      }
      const name = (implementation.prototype as Transport).name;
      this.transports.push(name);
      this._transportsByName[name] = implementation;
    }

    this.opts = withDefaults(opts, normalizeQuery(opts.query));

    if (hasEventListeners) {
      if (this.opts.closeOnBeforeunload) {
        // Closing silently lets the server see a clean transport close instead of a page-load error.
        this._beforeunloadListener = () => {
          if (this.transport) {
            this.transport.removeAllListeners();
            this.transport.close();
          }
        };
        addEventListener("beforeunload", this._beforeunloadListener, false);
      }
      if (this.hostname !== "localhost") {
        this._offlineListener = () => this._onClose("transport close", { description: "network connection lost" });
        onOffline(this._offlineListener);
      }
    }
    this._open();
  }

  /** Creates a transport of this socket by name, with the socket's options and session id. */
  protected createTransport(name: string): Transport {
    debug('creating transport "%s"', name);
    const { query: transportQuery, ...transportOptions } = this.opts.transportOptions[name] ?? {};
    const query: Record<string, QueryValue> = {
      ...this.opts.query,
      ...normalizeQuery(transportQuery),
      EIO: protocol,
      transport: name,
    };
    if (this.id) query.sid = this.id;
    const opts: TransportOptions = {
      ...this.opts,
      hostname: this.hostname,
      secure: this.secure,
      port: this.port,
      ...transportOptions,
      query,
      socket: this,
    };
    const Ctor = this._transportsByName[name]!;
    return new Ctor(opts);
  }

  private _open(): void {
    if (this.transports.length === 0) {
      // Emitted later so the caller can attach an error listener first.
      this.setTimeoutFn(() => this.emitReserved("error", "No transports available"), 0);
      return;
    }
    const name =
      this.opts.rememberUpgrade && SocketWithoutUpgrade.priorWebsocketSuccess && this.transports.includes("websocket")
        ? "websocket"
        : this.transports[0]!;
    this.readyState = "opening";
    const transport = this.createTransport(name);
    transport.open();
    this.setTransport(transport);
  }

  /** Makes `transport` the active one, detaching the previous. */
  protected setTransport(transport: Transport): void {
    debug("setting transport %s", transport.name);
    if (this.transport) this.transport.removeAllListeners();
    this.transport = transport;
    transport
      .on("drain", () => this._onDrain())
      .on("packet", (packet) => this._onPacket(packet))
      .on("error", (err) => this._onError(err))
      .on("close", (details) => this._onClose("transport close", details));
  }

  protected onOpen(): void {
    debug("socket open");
    this.readyState = "open";
    SocketWithoutUpgrade.priorWebsocketSuccess = this.transport.name === "websocket";
    this.emitReserved("open");
    this.flush();
  }

  private _onPacket(packet: Packet): void {
    if (!this.readyState || this.readyState === "closed") {
      debug('packet received with socket readyState "%s"', this.readyState);
      return;
    }
    if (this.id === null && packet.type !== "open" && packet.type !== "noop" && packet.type !== "error") {
      this._onError(new Error(`invalid handshake: expected an open packet, got a "${packet.type}" packet`));
      return;
    }
    debug('socket receive: type "%s"', packet.type);
    this.emitReserved("packet", packet);
    // Any packet proves the server is alive.
    this.emitReserved("heartbeat");
    switch (packet.type) {
      case "open": {
        if (this.id !== null) {
          debug("ignoring a second open packet");
          break;
        }
        const handshake = parseHandshake(packet.data);
        if (typeof handshake === "string") this._onError(new Error(`invalid handshake: ${handshake}`));
        else this.onHandshake(handshake);
        break;
      }
      case "ping":
        this._resetPingTimeout();
        this._sendPacket("pong");
        this.emitReserved("ping");
        this.emitReserved("pong");
        break;
      case "error": {
        const err = new Error("server error") as Error & { code?: unknown };
        err.code = packet.data;
        this._onError(err);
        break;
      }
      case "message":
        this.emitReserved("data", packet.data!);
        this.emitReserved("message", packet.data!);
        break;
    }
  }

  protected onHandshake(data: HandshakeData): void {
    this.emitReserved("handshake", data);
    this.id = data.sid;
    this.transport.query.sid = data.sid;
    this.upgrades = data.upgrades.filter((name) => this.transports.includes(name));
    this.pingInterval = data.pingInterval;
    this.pingTimeout = data.pingTimeout;
    this._maxPayload = data.maxPayload;
    this.onOpen();
    if (this.readyState === "closed") return;
    this._resetPingTimeout();
  }

  private _resetPingTimeout(): void {
    this.clearTimeoutFn(this._pingTimeoutTimer);
    const delay = this.pingInterval + this.pingTimeout;
    this._pingTimeoutTime = Date.now() + delay;
    this._armPingTimer(delay);
  }

  private _armPingTimer(delay: number): void {
    const timer = this.setTimeoutFn(() => {
      // A timer may fire early (clamped delay, adjusted clock): trust the wall clock.
      const remaining = this._pingTimeoutTime - Date.now();
      if (remaining > 0) this._armPingTimer(remaining);
      else this._onClose("ping timeout");
    }, Math.min(delay, MAX_TIMER_DELAY));
    // Node timers are objects with unref; browser timers are numbers.
    if (this.opts.autoUnref) (timer as { unref?: () => void }).unref?.();
    this._pingTimeoutTimer = timer;
  }

  /**
   * Whether the server missed its ping deadline by the wall clock, even if the (possibly throttled) timer has
   * not fired yet; if so the socket closes with "ping timeout" right after. io-client checks this before a send.
   */
  _hasPingExpired(): boolean {
    if (!this._pingTimeoutTime) return true;
    const expired = Date.now() > this._pingTimeoutTime;
    if (expired) {
      debug("throttled timer detected, scheduling connection close");
      this._pingTimeoutTime = 0;
      nextTick(() => this._onClose("ping timeout"), this.setTimeoutFn);
    }
    return expired;
  }

  private _onDrain(): void {
    this.writeBuffer.splice(0, this._prevBufferLen);
    this._prevBufferLen = 0;
    if (this.writeBuffer.length === 0) this.emitReserved("drain");
    else this.flush();
  }

  /** Sends what is buffered if the transport can take it. */
  protected flush(): void {
    // No transport at all when none was available: the packets stay buffered.
    if (this.readyState !== "closed" && this.transport?.writable && !this.upgrading && this.writeBuffer.length > 0) {
      const packets = this._writablePackets();
      debug("flushing %d packets in socket", packets.length);
      this.transport.send(packets);
      this._prevBufferLen = packets.length;
      this.emitReserved("flush");
    }
  }

  /** The longest prefix of the buffer whose polling payload fits the server's maxPayload (at least one packet). */
  private _writablePackets(): Packet[] {
    if (!this._maxPayload || this.transport.name !== "polling" || this.writeBuffer.length < 2) return this.writeBuffer;
    // Packets are separated by one byte: the first has none.
    let payloadSize = -1;
    for (let i = 0; i < this.writeBuffer.length; i++) {
      payloadSize += 1 + encodedLength(this.writeBuffer[i]!);
      if (i > 0 && payloadSize > this._maxPayload) {
        debug("only send %d out of %d packets", i, this.writeBuffer.length);
        return this.writeBuffer.slice(0, i);
      }
    }
    return this.writeBuffer;
  }

  /** Sends a message; `fn` runs once it was handed to the transport. */
  write(msg: RawData, options?: WriteOptions, fn?: () => void): this;
  write(msg: RawData, fn?: () => void): this;
  write(msg: RawData, options?: WriteOptions | (() => void), fn?: () => void): this {
    this._sendPacket("message", msg, options, fn);
    return this;
  }

  send(msg: RawData, options?: WriteOptions, fn?: () => void): this;
  send(msg: RawData, fn?: () => void): this;
  send(msg: RawData, options?: WriteOptions | (() => void), fn?: () => void): this {
    this._sendPacket("message", msg, options, fn);
    return this;
  }

  private _sendPacket(type: PacketType, data?: RawData, options?: WriteOptions | (() => void), fn?: () => void): void {
    if (typeof options === "function") {
      fn = options;
      options = undefined;
    }
    if (this.readyState === "closing" || this.readyState === "closed") return;
    const packet: Packet = { type, options: { compress: options?.compress !== false } };
    if (data !== undefined) packet.data = data;
    this.emitReserved("packetCreate", packet);
    this.writeBuffer.push(packet);
    if (fn) this.once("flush", fn);
    this.flush();
  }

  /** Closes the connection once the buffered packets are sent (and a running upgrade has settled). */
  close(): this {
    // _onClose closes the transport too.
    const close = (): void => this._onClose("forced close");
    const cleanupAndClose = (): void => {
      this.off("upgrade", cleanupAndClose);
      this.off("upgradeError", cleanupAndClose);
      close();
    };
    const waitForUpgrade = (): void => {
      this.once("upgrade", cleanupAndClose);
      this.once("upgradeError", cleanupAndClose);
    };
    if (this.readyState === "opening" || this.readyState === "open") {
      this.readyState = "closing";
      if (this.writeBuffer.length > 0) {
        this.once("drain", () => (this.upgrading ? waitForUpgrade() : close()));
      } else if (this.upgrading) {
        waitForUpgrade();
      } else {
        close();
      }
    }
    return this;
  }

  private _onError(err: Error | string): void {
    debug("socket error %j", err);
    SocketWithoutUpgrade.priorWebsocketSuccess = false;
    if (this.opts.tryAllTransports && this.transports.length > 1 && this.readyState === "opening") {
      debug("trying next transport");
      this.transports.shift();
      this._open();
      return;
    }
    this.emitReserved("error", err);
    this._onClose("transport error", typeof err === "string" ? new Error(err) : err);
  }

  /** Ends the connection with `reason` ("transport close", "transport error", "ping timeout", "forced close"). */
  protected _onClose(reason: string, description?: CloseDetails | Error): void {
    if (!this.readyState || this.readyState === "closed") return;
    debug('socket close with reason: "%s"', reason);
    this.clearTimeoutFn(this._pingTimeoutTimer);
    // The transport's own close event would report this close a second time.
    this.transport.removeAllListeners("close");
    this.transport.close();
    this.transport.removeAllListeners();
    if (this._beforeunloadListener) removeEventListener("beforeunload", this._beforeunloadListener, false);
    if (this._offlineListener) offlineListeners.delete(this._offlineListener);
    this.readyState = "closed";
    this.id = null;
    this.emitReserved("close", reason, description);
    this.writeBuffer = [];
    this._prevBufferLen = 0;
  }
}

function normalizeQuery(query: SocketOptions["query"]): Record<string, QueryValue> {
  return typeof query === "string" ? decodeQuery(query) : { ...query };
}

/** Bytes a packet takes in a polling payload: type digit + UTF-8 text, or `b` + base64. */
function encodedLength(packet: Packet): number {
  const data = packet.data;
  if (data === undefined) return 1;
  if (typeof data === "string") return 1 + utf8Length(data);
  const bytes = "byteLength" in data ? data.byteLength : data.size;
  return 1 + Math.ceil(bytes / 3) * 4;
}

/** The handshake, or why it is not one: a broken server must produce a clear error, not an exception. */
function parseHandshake(data: RawData | undefined): HandshakeData | string {
  let value: unknown;
  try {
    // Binary data or no data at all does not parse either.
    value = JSON.parse(data as string);
  } catch {
    // value stays undefined
  }
  if (typeof value !== "object" || value === null) {
    return `the open packet is not a JSON object: ${JSON.stringify(String(data).slice(0, 100))}`;
  }
  const { sid, upgrades, pingInterval, pingTimeout, maxPayload } = value as Record<string, unknown>;
  if (typeof sid !== "string" || sid.length === 0) return '"sid" must be a string';
  if (!Array.isArray(upgrades) || !upgrades.every((name) => typeof name === "string")) {
    return '"upgrades" must be an array of strings';
  }
  // maxPayload may be missing (older servers); the other numbers may not.
  const numbers = { pingInterval, pingTimeout, maxPayload: maxPayload ?? 0 };
  for (const [key, number] of Object.entries(numbers)) {
    if (!isDuration(number)) return `"${key}" must be a non-negative number`;
  }
  return { sid, upgrades: upgrades as string[], ...numbers } as HandshakeData;
}

function isDuration(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0;
}
