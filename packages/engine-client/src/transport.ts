import { decodePacket, type Packet, type RawData } from "@sockwave/engine-parser";
import { Emitter } from "./emitter";
import { encodeQuery, type QueryValue } from "./query-string";
import type { ResolvedSocketOptions } from "./socket-options";
import type { SocketWithoutUpgrade } from "./socket";
import { installTimerFunctions } from "./util";

/** What a transport receives: the socket's options, its query (with EIO, transport, sid) and the socket. */
export interface TransportOptions extends ResolvedSocketOptions {
  query: Record<string, QueryValue>;
  socket: SocketWithoutUpgrade;
  hostname: string;
  secure: boolean;
  port: string | number;
}

/** Why a transport closed: a description and the underlying event or response, when there is one. */
export interface CloseDetails {
  description: string;
  context?: unknown;
}

/** A transport failure: `message` says what failed, `description` and `context` carry the cause. */
export class TransportError extends Error {
  public readonly type = "TransportError";

  constructor(
    reason: string,
    public readonly description: unknown,
    public readonly context: unknown,
  ) {
    super(reason);
  }
}

export interface TransportReservedEvents {
  open: () => void;
  error: (err: TransportError) => void;
  packet: (packet: Packet) => void;
  close: (details?: CloseDetails) => void;
  poll: () => void;
  pollComplete: () => void;
  drain: () => void;
}

type TransportState = "opening" | "open" | "closed" | "pausing" | "paused";

/** The base of every transport: lifecycle, packet decoding and the request URI. */
export abstract class Transport extends Emitter<
  Record<never, never>,
  Record<never, never>,
  TransportReservedEvents
> {
  public query: Record<string, QueryValue>;
  public writable = false;
  public readyState: TransportState | undefined;

  protected readonly opts: TransportOptions;
  protected readonly supportsBinary: boolean;
  protected readonly socket: SocketWithoutUpgrade;
  protected setTimeoutFn!: typeof setTimeout;
  protected clearTimeoutFn!: typeof clearTimeout;

  constructor(opts: TransportOptions) {
    super();
    installTimerFunctions(this, opts);
    this.opts = opts;
    this.query = opts.query;
    this.socket = opts.socket;
    this.supportsBinary = !opts.forceBase64;
  }

  /** The transport's name; read from the prototype too (`Ctor.prototype.name`). */
  abstract get name(): string;

  /** Reports an error to the socket (never throws). */
  protected onError(reason: string, description?: unknown, context?: unknown): this {
    this.emitReserved("error", new TransportError(reason, description, context));
    return this;
  }

  open(): this {
    this.readyState = "opening";
    this.doOpen();
    return this;
  }

  close(): this {
    if (this.readyState === "opening" || this.readyState === "open") {
      this.doClose();
      this.onClose();
    }
    return this;
  }

  /** Sends packets; dropped unless open (the socket only sends when `writable`). */
  send(packets: Packet[]): void {
    if (this.readyState === "open") this.write(packets);
  }

  protected onOpen(): void {
    this.readyState = "open";
    this.writable = true;
    this.emitReserved("open");
  }

  /** One encoded packet from the wire. A packet that does not decode becomes an `error` packet. */
  protected onData(data: RawData): void {
    let packet: Packet;
    try {
      packet = decodePacket(data, this.socket.binaryType);
    } catch {
      packet = { type: "error", data: "parser error" };
    }
    this.onPacket(packet);
  }

  protected onPacket(packet: Packet): void {
    this.emitReserved("packet", packet);
  }

  protected onClose(details?: CloseDetails): void {
    this.readyState = "closed";
    this.emitReserved("close", details);
  }

  /** Stops receiving so the socket can switch transports; calls `onPause` once nothing is in flight. */
  pause(onPause: () => void): void {
    onPause();
  }

  protected createUri(schema: string, query: Record<string, QueryValue> = {}): string {
    const encodedQuery = encodeQuery(query);
    const { hostname, port, secure } = this.opts;
    // `:port` is left out when it is the scheme's default.
    const portPart = port && Number(port) !== (secure ? 443 : 80) ? `:${port}` : "";
    return `${schema}://${hostname.includes(":") ? `[${hostname}]` : hostname}${portPart}${this.opts.path}${encodedQuery ? `?${encodedQuery}` : ""}`;
  }

  protected abstract doOpen(): void;
  protected abstract doClose(): void;
  protected abstract write(packets: Packet[]): void;
}
