import type { EventEmitter } from "node:events";
import debugModule from "debug";
import { decodePacket } from "./codec";
import { inheritEventEmitter } from "./lean-emitter";
import type { Packet, RawData } from "./packet";
import { protocolOf, type EngineRequest } from "./request";

const debug = debugModule("sockwave:engine:transport");

export type TransportReadyState = "open" | "closing" | "closed";

/** Called with the transport once a packet handed to `send` has been written. */
export type SendCallback = (transport: Transport) => void;

/** An error raised by a transport (`err.type === "TransportError"`). */
export interface TransportError extends Error {
  type: "TransportError";
  description: unknown;
}

/**
 * What a transport reports to the socket that owns it. Transports call their owner directly
 * (a back-reference, no per-socket listener closures); events are still emitted for outside listeners.
 */
export interface TransportOwner {
  onTransportPacket(transport: Transport, packet: Packet): void;
  /** Hot path for a text message: no packet object is built. */
  onTransportMessage(transport: Transport, data: string): void;
  onTransportError(transport: Transport, err: TransportError): void;
  onTransportClose(transport: Transport): void;
  onTransportReady(transport: Transport): void;
  onTransportHeaders(transport: Transport, headers: Record<string, string | string[]>, req: EngineRequest): void;
}

// An EventEmitter whose listener table only exists once someone listens (see lean-emitter.ts).
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface Transport extends EventEmitter {}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export abstract class Transport {
  /** Transports this one can be upgraded to. */
  static upgradesTo: readonly string[] = [];

  /** The session id, set once the owning socket is created. */
  sid = "";
  readonly protocol: 3 | 4;
  /** False when the client asked for base64 (`b64=1`). */
  readonly supportsBinary: boolean;
  readyState: TransportReadyState = "open";
  discarded = false;
  /** @internal */
  owner: TransportOwner | null = null;
  protected writableFlag = false;

  constructor(req: EngineRequest) {
    this.protocol = protocolOf(req);
    this.supportsBinary = !req._query.b64;
  }

  abstract get name(): string;

  /** Whether the transport takes WebSocket upgrade requests. */
  get handlesUpgrades(): boolean {
    return false;
  }

  /** Whether a packet written now goes out at once. */
  get writable(): boolean {
    return this.writableFlag;
  }

  set writable(value: boolean) {
    this.writableFlag = value;
  }

  /** Marks the transport as replaced by an upgrade: pending closes finish right away. */
  discard(): void {
    this.discarded = true;
  }

  /** Takes a new HTTP request for this session (polling only). */
  onRequest(req: EngineRequest): void {
    void req;
  }

  close(fn?: () => void): void {
    if (this.readyState === "closed" || this.readyState === "closing") return;
    this.readyState = "closing";
    this.doClose(fn);
  }

  /** Writes packets; `callbacks` run once they have been written. */
  abstract send(packets: Packet[], callbacks?: SendCallback[] | null): void;

  /** Bytes written but not yet handed to the kernel (WebSocket); 0 for polling. */
  get bufferedAmount(): number {
    return 0;
  }

  /** Whether the owning socket may hand packets over now (unlike `writable`, ignores back-pressure). */
  canSend(): boolean {
    return this.writableFlag;
  }

  protected abstract doClose(fn?: () => void): void;

  protected onError(message: string, description?: unknown): void {
    const err = new Error(message) as TransportError;
    err.type = "TransportError";
    err.description = description;
    if (this.owner) this.owner.onTransportError(this, err);
    if (this.listenerCount("error") > 0) this.emit("error", err);
    else if (!this.owner) debug("ignored transport error %s (%s)", message, description);
  }

  protected onPacket(packet: Packet): void {
    if (this.owner) this.owner.onTransportPacket(this, packet);
    if (this.listenerCount("packet") > 0) this.emit("packet", packet);
  }

  protected decodePacket(data: RawData): Packet {
    return decodePacket(this.protocol, data);
  }

  protected onData(data: RawData): void {
    this.onPacket(this.decodePacket(data));
  }

  protected onClose(): void {
    if (this.readyState === "closed") return;
    this.readyState = "closed";
    this.writableFlag = false;
    if (this.owner) this.owner.onTransportClose(this);
    this.emit("close");
  }

  /** Adds the common response headers and lets the server (and listeners) add theirs. */
  protected headers(req: EngineRequest, headers: Record<string, string | string[]>): Record<string, string | string[]> {
    const ua = req.headers["user-agent"];
    if (ua && (ua.includes(";MSIE") || ua.includes("Trident/"))) headers["X-XSS-Protection"] = "0";
    headers["cache-control"] = "no-store";
    if (this.owner) this.owner.onTransportHeaders(this, headers, req);
    if (this.listenerCount("headers") > 0) this.emit("headers", headers, req);
    return headers;
  }
}

inheritEventEmitter(Transport);
