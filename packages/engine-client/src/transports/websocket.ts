import debugModule from "debug";
import { encodePacket, type Packet, type RawData } from "@sockwave/engine-parser";
import { Transport } from "../transport";
import type { QueryValue } from "../query-string";
import { nextTick, randomString } from "../util";

const debug = debugModule("sockwave:engine-client:websocket");

/** The part of the WebSocket API both the browser's WebSocket and Node's `ws` offer. */
export interface WebSocketLike {
  binaryType: string;
  // `never` parameters accept both the DOM's and ws's event types.
  onopen: ((event: never) => void) | null;
  onclose: ((event: never) => void) | null;
  onmessage: ((event: never) => void) | null;
  onerror: ((event: never) => void) | null;
  close(): void;
}

/**
 * The WebSocket transport: one Engine.IO packet per frame. Subclasses create the socket (native WebSocket,
 * `ws`) and send a frame; this class owns the protocol.
 */
export abstract class BaseWebSocket<Socket extends WebSocketLike = WebSocketLike> extends Transport {
  protected ws: Socket | undefined;

  override get name(): string {
    return "websocket";
  }

  protected abstract createSocket(uri: string, protocols: string | string[] | undefined): Socket;

  /** Sends one encoded packet as one frame. */
  protected abstract sendFrame(ws: Socket, packet: Packet, data: RawData): void;

  /** The binary type to ask the socket for, given the one the Engine.IO socket wants. */
  protected abstract socketBinaryType(): string;

  protected doOpen(): void {
    let ws: Socket;
    try {
      ws = this.createSocket(this.uri(), this.opts.protocols);
    } catch (err) {
      // A malformed URL or header throws synchronously; report it as a transport error.
      this.onError("websocket error", err);
      return;
    }
    this.ws = ws;
    const target: WebSocketLike = ws;
    target.binaryType = this.socketBinaryType();
    target.onopen = () => this.onOpen();
    target.onclose = (event: unknown) => this.onClose({ description: "websocket connection closed", context: event });
    target.onmessage = (event: { data: RawData }) => this.onData(event.data);
    target.onerror = (event: unknown) => this.onError("websocket error", event);
  }

  protected write(packets: Packet[]): void {
    this.writable = false;
    const ws = this.ws;
    packets.forEach((packet, index) => {
      const isLast = index === packets.length - 1;
      encodePacket(packet, this.supportsBinary, (data) => {
        if (ws && this.readyState === "open") {
          try {
            this.sendFrame(ws, packet, data);
          } catch (err) {
            debug("websocket closed before the frame could be sent: %s", err);
          }
        }
        // Let the frames leave before telling the socket it may write again.
        if (isLast) {
          nextTick(() => {
            this.writable = true;
            this.emitReserved("drain");
          }, this.setTimeoutFn);
        }
      });
    });
  }

  protected doClose(): void {
    const ws = this.ws;
    if (!ws) return;
    this.ws = undefined;
    const target: WebSocketLike = ws;
    target.onopen = target.onmessage = target.onclose = null;
    // Closing while connecting reports an error we caused ourselves.
    target.onerror = () => {};
    target.close();
  }

  protected uri(): string {
    const query: Record<string, QueryValue> = { ...this.query };
    if (this.opts.timestampRequests) query[this.opts.timestampParam] = randomString();
    if (!this.supportsBinary) query.b64 = 1;
    return this.createUri(this.opts.secure ? "wss" : "ws", query);
  }
}
