import type { EventEmitter } from "node:events";
import debugModule from "debug";
import type { HeartbeatMember, HeartbeatQueue } from "./heartbeat";
import { hasListeners, inheritEventEmitter, ListenerTable, type EmitterListener, type EmitterState } from "./lean-emitter";
import { isBinaryData, type Packet, type PacketOptions, type PacketType, type RawData } from "./packet";
import { PreparedMessage } from "./prepared-message";
import type { EngineRequest } from "./request";
import type { Server } from "./server";
import type { SendCallback, Transport, TransportError, TransportOwner } from "./transport";
import { WebSocketTransport } from "./transports/websocket";
import { deferFlush, type DeferredFlush } from "./write-scheduler";

const debug = debugModule("sockwave:engine:socket");

export type SocketReadyState = "opening" | "open" | "closing" | "closed";

/** Why a session ended (the first argument of the `close` event). */
export type CloseReason = "transport error" | "transport close" | "forced close" | "ping timeout" | "parse error";

/** Options of `send`/`write`; other keys (e.g. Socket.IO's `volatile`) are ignored. */
export interface SendOptions extends PacketOptions {
  [key: string]: unknown;
}

export type SendCallbackFn = (transport: Transport) => void;

/** What `write` accepts: text, binary, or a message prepared once for many recipients. */
export type WriteData = RawData | PreparedMessage;

/** How often a pending GET is answered with a noop during an upgrade, so the client can finish it. */
const UPGRADE_POLL_CHECK_MS = 100;

const NOTHING_BUFFERED = Object.freeze([]) as unknown as Packet[];

/**
 * One Engine.IO session. Lean by design: timers live in the server's shared heartbeat queues,
 * transports report through a back-reference instead of listener closures, and the write buffer and
 * callback lists exist only while something is queued.
 */
/** The socket's events and their listeners' arguments. */
export interface SocketEvents {
  open: () => void;
  message: (data: string | Buffer) => void;
  data: (data: string | Buffer) => void;
  packet: (packet: Packet) => void;
  packetCreate: (packet: Packet) => void;
  heartbeat: () => void;
  flush: (packets: Packet[]) => void;
  drain: () => void;
  upgrading: (transport: Transport) => void;
  upgrade: (transport: Transport) => void;
  close: (reason: CloseReason, description?: unknown) => void;
}

// An EventEmitter with a fast-mode listener table (see lean-emitter.ts), with typed known events.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface Socket extends EventEmitter {
  on<E extends keyof SocketEvents>(event: E, listener: SocketEvents[E]): this;
  on(event: string | symbol, listener: EmitterListener): this;
  once<E extends keyof SocketEvents>(event: E, listener: SocketEvents[E]): this;
  once(event: string | symbol, listener: EmitterListener): this;
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class Socket implements TransportOwner, HeartbeatMember, DeferredFlush {
  readonly id: string;
  readonly server: Server;
  /** The request that opened the session. */
  readonly request: EngineRequest;
  readonly protocol: 3 | 4;
  readonly remoteAddress: string;
  transport: Transport;
  upgrading = false;
  upgraded = false;

  private state: SocketReadyState = "opening";
  private buffered: Packet[] | null = null;
  private bufferedCallbacks: SendCallback[] | null = null;
  private upgradeTransport: Transport | null = null;
  private upgradeTimer: NodeJS.Timeout | null = null;
  private upgradeCheckTimer: NodeJS.Timeout | null = null;
  private awaitingPong = false;
  private pongDeadlineRefreshed = false;

  /** @internal heartbeat queue links */
  heartbeatPrev: HeartbeatMember | null = null;
  /** @internal */
  heartbeatNext: HeartbeatMember | null = null;
  /** @internal */
  heartbeatDeadline = 0;
  /** @internal */
  heartbeatQueue: HeartbeatQueue | null = null;
  /** @internal */
  flushQueued = false;

  constructor(id: string, server: Server, transport: Transport, req: EngineRequest, protocol: 3 | 4) {
    const emitter = this as EmitterState;
    emitter._events = new ListenerTable();
    emitter._eventsCount = 0;
    this.id = id;
    this.server = server;
    this.request = req;
    this.protocol = protocol;
    const ws = req.websocket as { _socket?: { remoteAddress?: string } | null } | null | undefined;
    this.remoteAddress = ws?._socket?.remoteAddress ?? req.socket?.remoteAddress ?? "";
    this.transport = transport;
    transport.owner = this;
    this.onOpen();
  }

  get readyState(): SocketReadyState {
    return this.state;
  }

  set readyState(state: SocketReadyState) {
    debug("readyState updated from %s to %s", this.state, state);
    this.state = state;
  }

  /** Packets waiting for the transport (a shared frozen empty array when nothing is queued). */
  get writeBuffer(): Packet[] {
    return this.buffered ?? NOTHING_BUFFERED;
  }

  /**
   * Bytes written to the WebSocket but not yet handed to the kernel (0 on polling). WebSocket messages
   * skip `writeBuffer`, so this, not `writeBuffer.length`, tells a slow consumer there.
   */
  get bufferedAmount(): number {
    return this.transport.bufferedAmount;
  }

  private onOpen(): void {
    this.state = "open";
    this.transport.sid = this.id;
    const opts = this.server.opts;
    this.sendPacket("open", openPacketData(this.id, this.getAvailableUpgrades(), opts.pingInterval, opts.pingTimeout, opts.maxHttpBufferSize));
    if (opts.initialPacket !== undefined) this.sendPacket("message", opts.initialPacket as RawData);
    this.emit("open");
    // protocol 3: the client pings and we time out; protocol 4: we ping
    if (this.protocol === 3) this.server.heartbeats.v3Timeout.add(this);
    else this.server.heartbeats.ping.add(this);
  }

  /** @internal */
  onHeartbeatDue(queue: HeartbeatQueue): void {
    if (this.state === "closed") return;
    const heartbeats = this.server.heartbeats;
    if (queue === heartbeats.ping) {
      if (debug.enabled) debug("writing ping packet - expecting pong within %sms", this.server.opts.pingTimeout);
      this.awaitingPong = true;
      this.pongDeadlineRefreshed = false;
      heartbeats.pong.add(this);
      this.sendPacket("ping");
    } else {
      this.onClose("ping timeout");
    }
  }

  // ---- transport reports --------------------------------------------------------------------

  /** @internal */
  onTransportMessage(transport: Transport, data: string): void {
    if (transport !== this.transport || this.hasPacketListeners()) {
      this.onTransportPacket(transport, { type: "message", data });
      return;
    }
    if (this.state !== "open") return;
    if (this.awaitingPong) this.refreshPongDeadline();
    this.emit("data", data);
    this.emit("message", data);
  }

  private hasPacketListeners(): boolean {
    return hasListeners(this, "packet");
  }

  /** @internal */
  onTransportPacket(transport: Transport, packet: Packet): void {
    if (transport === this.upgradeTransport) {
      this.onUpgradePacket(transport, packet);
      return;
    }
    if (transport !== this.transport) return;
    this.onPacket(packet);
  }

  private onPacket(packet: Packet): void {
    if (this.state !== "open") {
      debug("packet received with closed socket");
      return;
    }
    if (debug.enabled) debug("received packet %s", packet.type);
    this.emit("packet", packet);
    if (this.awaitingPong && packet.type !== "pong") this.refreshPongDeadline();
    switch (packet.type) {
      case "ping":
        if (this.protocol !== 3) {
          this.onError(new Error("invalid heartbeat direction"));
          return;
        }
        if (debug.enabled) debug("got ping");
        this.server.heartbeats.v3Timeout.add(this);
        this.sendPacket("pong");
        this.emit("heartbeat");
        break;
      case "pong":
        if (this.protocol === 3) {
          this.onError(new Error("invalid heartbeat direction"));
          return;
        }
        if (debug.enabled) debug("got pong");
        if (this.awaitingPong) {
          this.awaitingPong = false;
          this.server.heartbeats.ping.add(this);
        }
        this.emit("heartbeat");
        break;
      case "error":
        this.onClose("parse error");
        break;
      case "message":
        this.emit("data", packet.data);
        this.emit("message", packet.data);
        break;
      default:
        break;
    }
  }

  /** Any packet while a pong is awaited proves the link alive: extend the deadline once (as engine.io). */
  private refreshPongDeadline(): void {
    if (this.pongDeadlineRefreshed) return;
    debug("got packet while waiting for pong - refreshing ping timeout");
    this.pongDeadlineRefreshed = true;
    this.server.heartbeats.pong.add(this);
  }

  /** @internal */
  onTransportError(transport: Transport, err: TransportError): void {
    if (transport === this.upgradeTransport) {
      debug("client did not complete upgrade - %s", err.message);
      this.cancelUpgrade();
      return;
    }
    if (transport === this.transport) this.onError(err);
  }

  /** @internal */
  onTransportClose(transport: Transport): void {
    if (transport === this.upgradeTransport) {
      debug("client did not complete upgrade - transport closed");
      this.cancelUpgrade();
      return;
    }
    if (transport === this.transport) this.onClose("transport close");
  }

  /** @internal */
  onTransportReady(transport: Transport): void {
    if (transport === this.transport) this.flush();
  }

  /** @internal */
  onTransportHeaders(transport: Transport, headers: Record<string, string | string[]>, req: EngineRequest): void {
    void transport;
    this.server.onTransportHeaders(this.id, headers, req);
  }

  private onError(err: Error): void {
    debug("transport error");
    this.onClose("transport error", err);
  }

  // ---- upgrade ------------------------------------------------------------------------------

  /** @internal The client opened a WebSocket for this session: wait for its probe and upgrade packet. */
  maybeUpgrade(transport: Transport): void {
    debug('might upgrade socket transport from "%s" to "%s"', this.transport.name, transport.name);
    this.upgrading = true;
    this.upgradeTransport = transport;
    transport.owner = this;
    transport.sid = this.id;
    this.upgradeTimer = setTimeout(onUpgradeTimeout, this.server.opts.upgradeTimeout, this);
  }

  private onUpgradePacket(transport: Transport, packet: Packet): void {
    if (packet.type === "ping" && packet.data === "probe") {
      debug("got probe ping packet, sending pong");
      transport.send([{ type: "pong", data: "probe" }]);
      this.emit("upgrading", transport);
      if (this.upgradeCheckTimer) clearInterval(this.upgradeCheckTimer);
      this.upgradeCheckTimer = setInterval(onUpgradeCheck, UPGRADE_POLL_CHECK_MS, this);
    } else if (packet.type === "upgrade" && this.state !== "closed") {
      debug("got upgrade packet - upgrading");
      this.finishUpgradeAttempt();
      this.transport.discard();
      this.upgraded = true;
      this.clearTransport();
      this.transport = transport;
      transport.owner = this;
      this.emit("upgrade", transport);
      this.flush();
      if (this.state === "closing") transport.close(() => this.onClose("forced close"));
    } else {
      this.cancelUpgrade();
    }
  }

  /** @internal answers the pending GET so the client can pause polling and finish the upgrade */
  checkUpgradePolling(): void {
    const transport = this.transport;
    if (transport.name === "polling" && transport.canSend()) {
      debug("writing a noop packet to polling for fast upgrade");
      transport.send([{ type: "noop" }]);
    }
  }

  /** @internal */
  cancelUpgrade(): void {
    const transport = this.upgradeTransport;
    this.finishUpgradeAttempt();
    if (transport) {
      transport.owner = null;
      if (transport.readyState === "open") transport.close();
    }
  }

  private finishUpgradeAttempt(): void {
    this.upgrading = false;
    this.upgradeTransport = null;
    if (this.upgradeTimer) clearTimeout(this.upgradeTimer);
    if (this.upgradeCheckTimer) clearInterval(this.upgradeCheckTimer);
    this.upgradeTimer = this.upgradeCheckTimer = null;
  }

  private clearTransport(): void {
    const transport = this.transport;
    transport.owner = null;
    transport.close();
  }

  // ---- closing ------------------------------------------------------------------------------

  /** @internal */
  onClose(reason: CloseReason, description?: unknown): void {
    if (this.state === "closed") return;
    this.readyState = "closed";
    this.heartbeatQueue?.remove(this);
    this.awaitingPong = false;
    if (this.upgradeTransport) this.cancelUpgrade();
    this.bufferedCallbacks = null;
    this.clearTransport();
    this.server.onSocketClose(this);
    this.emit("close", reason, description);
    // kept until now so that `close` listeners can still read writeBuffer
    this.buffered = null;
  }

  /**
   * Closes the session. Queued packets are sent first unless `discard` is true.
   */
  close(discard?: boolean): void {
    if (discard && (this.state === "open" || this.state === "closing")) {
      this.closeTransport(true);
      return;
    }
    if (this.state !== "open") return;
    this.readyState = "closing";
    if (this.buffered && this.buffered.length > 0) {
      debug("there are %d remaining packets in the buffer, waiting for the 'drain' event", this.buffered.length);
      this.once("drain", () => this.closeTransport(false));
      return;
    }
    this.closeTransport(false);
  }

  private closeTransport(discard: boolean): void {
    debug("closing the transport (discard? %s)", discard);
    if (discard) this.transport.discard();
    this.transport.close(() => this.onClose("forced close"));
  }

  // ---- writing ------------------------------------------------------------------------------

  /** Sends a message. Same as `write`. */
  send(data: WriteData, options?: SendOptions | SendCallbackFn, callback?: SendCallbackFn): this {
    return this.write(data, options, callback);
  }

  /**
   * Sends a message: a string, binary data, or a `PreparedMessage` shared with other recipients.
   * `callback` runs once the message has been written to the connection.
   */
  write(data: WriteData, options?: SendOptions | SendCallbackFn, callback?: SendCallbackFn): this {
    if (typeof options === "function") {
      callback = options;
      options = undefined;
    }
    this.sendPacket("message", data, options, callback);
    return this;
  }

  private sendPacket(type: PacketType, data?: WriteData, options?: SendOptions, callback?: SendCallbackFn): void {
    if (this.state === "closing" || this.state === "closed") return;
    const transport = this.transport;
    // Named loads rather than hasListeners(): this runs once per recipient of every broadcast, and a
    // keyed load whose key varies is a generic lookup.
    const own = (this as EmitterState)._events as WriteEvents | undefined;
    const server = (this.server as EmitterState)._events as WriteEvents | undefined;
    if (
      callback === undefined &&
      this.buffered === null &&
      transport instanceof WebSocketTransport &&
      transport.writesFrames &&
      (own === undefined || (own.packetCreate === undefined && own.flush === undefined)) &&
      (server === undefined || server.flush === undefined)
    ) {
      // hot path: one frame straight to the (corked) TCP socket, no packet object, no callback
      transport.writePacket(type, data);
      if (own !== undefined && own.drain !== undefined) this.emit("drain");
      if (server !== undefined && server.drain !== undefined) this.server.emit("drain", this);
      return;
    }
    if (data instanceof PreparedMessage) data = data.data;
    debug('sending packet "%s" (%s)', type, data);
    const packet: Packet = { type, options: { compress: options?.compress !== false } };
    if (data !== undefined && (typeof data === "string" ? data.length > 0 : isBinaryData(data))) packet.data = data;
    if (hasListeners(this, "packetCreate")) this.emit("packetCreate", packet);
    (this.buffered ??= []).push(packet);
    if (callback) (this.bufferedCallbacks ??= []).push(callback);
    // polling answers one GET per batch: gather the turn's packets; other transports write at once
    if (this.transport.name === "polling" && this.state === "open") deferFlush(this);
    else this.flush();
  }

  /** @internal */
  runDeferredFlush(): void {
    this.flush();
  }

  private flush(): void {
    const packets = this.buffered;
    if (this.state === "closed" || packets === null || !this.transport.canSend()) return;
    debug("flushing buffer to transport");
    if (hasListeners(this, "flush")) this.emit("flush", packets);
    if (hasListeners(this.server, "flush")) this.server.emit("flush", this, packets);
    this.buffered = null;
    const callbacks = this.bufferedCallbacks;
    this.bufferedCallbacks = null;
    this.transport.send(packets, callbacks);
    if (hasListeners(this, "drain")) this.emit("drain");
    if (hasListeners(this.server, "drain")) this.server.emit("drain", this);
  }

  /** Transports the client may upgrade to from the current one. */
  getAvailableUpgrades(): string[] {
    const available: string[] = [];
    for (const upgrade of this.server.upgrades(this.transport.name)) {
      if ((this.server.opts.transports as readonly string[]).includes(upgrade)) available.push(upgrade);
    }
    return available;
  }
}

inheritEventEmitter(Socket);

/** The listener-table entries the write path checks, on a session and on its server. */
interface WriteEvents {
  packetCreate?: unknown;
  flush?: unknown;
  drain?: unknown;
}

/** The open packet's JSON after the sid, for the last options seen (they rarely change). */
let openTail = "";
let openTailOptions: [string[], number, number, number] | null = null;

/** `JSON.stringify({ sid, upgrades, pingInterval, pingTimeout, maxPayload })`, the constant part cached. */
function openPacketData(sid: string, upgrades: string[], pingInterval: number, pingTimeout: number, maxPayload: number): string {
  const last = openTailOptions;
  if (
    last === null ||
    last[1] !== pingInterval ||
    last[2] !== pingTimeout ||
    last[3] !== maxPayload ||
    last[0].length !== upgrades.length ||
    last[0].some((name, i) => name !== upgrades[i])
  ) {
    openTail = JSON.stringify({ sid: "", upgrades, pingInterval, pingTimeout, maxPayload }).slice('{"sid":""'.length);
    openTailOptions = [upgrades, pingInterval, pingTimeout, maxPayload];
  }
  return `{"sid":${JSON.stringify(sid)}${openTail}`;
}

function onUpgradeTimeout(socket: Socket): void {
  debug("client did not complete upgrade - closing transport");
  socket.cancelUpgrade();
}

function onUpgradeCheck(socket: Socket): void {
  socket.checkUpgradePolling();
}
