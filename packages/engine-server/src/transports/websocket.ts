import type { Socket as NetSocket } from "node:net";
import debugModule from "debug";
import type { WebSocket as WsWebSocket } from "ws";
import { encodePacketV3 } from "../codec";
import { PACKET_CODES, isBinaryData, toBuffer, type Packet, type PacketType, type RawData } from "../packet";
import { PreparedMessage } from "../prepared-message";
import type { EngineRequest } from "../request";
import { useFastListenerTable } from "../lean-emitter";
import { Transport, type SendCallback } from "../transport";
import { OPEN as WS_OPEN, WebSocketConnection, type WebSocketHandler } from "../websocket/connection";
import { binaryFrame, textFrame } from "../websocket/frame-writer";
import { deferFlush, type DeferredFlush } from "../write-scheduler";

const debug = debugModule("sockwave:engine:websocket");

const kTransport = Symbol("sockwave:websocket-transport");
type OwnedWebSocket = WsWebSocket & { [kTransport]?: WebSocketTransport };

/** The parts of `ws` internals the direct-write path relies on (present in ws 8). */
interface WsInternals {
  _socket?: NetSocket | null;
  _sender?: unknown;
}

const MESSAGE_CODE = PACKET_CODES.message;
const MESSAGE_CHAR = 52; // "4"

/**
 * WebSocket transport, over our own connection (src/websocket, the default) or a `ws` WebSocket. Without
 * permessage-deflate, frames are built here in one Buffer and written straight to the TCP socket at the end
 * of the event-loop turn: a turn's only frame as it is, several frames corked into one syscall. With
 * compression on (or another wsEngine), `ws.send` is used. Either connection calls the `onWs*` methods.
 */
export class WebSocketTransport extends Transport implements DeferredFlush, WebSocketHandler {
  /** The underlying WebSocket: our `WebSocketConnection` by default, `ws`'s WebSocket with a wsEngine or compression. */
  readonly socket: WebSocketConnection | WsWebSocket;
  perMessageDeflate: unknown = null;
  /** @internal */
  flushQueued = false;
  private netSocket: NetSocket | null;
  private corked = false;
  /** The turn's only frame so far, written at the end of the turn (see `writeFrame`). */
  private heldFrame: Buffer | null = null;
  /**
   * Whether the last flush left bytes in the TCP socket's buffer (the kernel did not take them all).
   * While false, nothing waits there but this turn's corked frames, so the hot path need not look.
   */
  private backlogged = false;

  constructor(req: EngineRequest) {
    super(req);
    const ws = req.websocket;
    if (!ws) throw new Error("WebSocket transport created without a WebSocket (req.websocket is missing)");
    this.socket = ws;
    if (ws instanceof WebSocketConnection) {
      // our connection calls the transport directly: no listeners at all
      ws.handler = this;
      this.netSocket = ws._socket;
    } else {
      (ws as OwnedWebSocket)[kTransport] = this;
      // ws's own listener table is a dictionary (~0.2 KB) for the life of the session
      useFastListenerTable(ws);
      ws.on("message", onWsMessage);
      // `on`, not `once`: ws emits close a single time, and once() would allocate a wrapper per session
      ws.on("close", onWsClose);
      ws.on("error", onWsError);
      const internals = ws as unknown as WsInternals;
      this.netSocket = internals._socket && internals._sender ? internals._socket : null;
    }
    this.writableFlag = true;
    // The upgrade corks the socket for its first turn (the 101 response then leaves with the open
    // packet): join that cork instead of checking for it on every write.
    if (this.netSocket !== null && this.netSocket.writableCorked > 0) this.corkForThisTurn(this.netSocket);
  }

  get name(): string {
    return "websocket";
  }

  override get handlesUpgrades(): boolean {
    return true;
  }

  /** False while the TCP socket pushes back, so volatile packets can be dropped. */
  override get writable(): boolean {
    const net = this.netSocket;
    if (net === null) return this.writableFlag && this.socket.bufferedAmount === 0;
    return this.writableFlag && !((this.backlogged || this.corked) && net.writableNeedDrain);
  }

  override set writable(value: boolean) {
    this.writableFlag = value;
  }

  override get bufferedAmount(): number {
    const net = this.netSocket;
    if (net === null) return this.socket.bufferedAmount;
    const held = this.heldFrame === null ? 0 : this.heldFrame.length;
    return this.backlogged || this.corked ? net.writableLength + held : held;
  }

  /** Frames are built here and written to the TCP socket (always with our connection; with ws, unless compressing). */
  private get buildsFrames(): boolean {
    return this.netSocket !== null && !this.perMessageDeflate;
  }

  /**
   * The hot path may write frames now. Whether the WebSocket is still open is checked where frames reach
   * the socket, so the hot path does not read it.
   */
  get writesFrames(): boolean {
    return this.writableFlag && this.buildsFrames;
  }

  /** @internal A packet from the hot path (the caller checked `writesFrames`): no packet object. */
  writePacket(type: PacketType, data: RawData | PreparedMessage | undefined): void {
    this.writeFrame(this.packetFrame(type, data));
  }

  private messageFrame(data: RawData | PreparedMessage): Buffer {
    if (typeof data === "string") return textFrame(MESSAGE_CODE, data);
    if (data instanceof PreparedMessage) {
      if (!data.isBinary || this.supportsBinary) return data.websocketFrame(this.protocol);
      return this.binaryMessageFrame(data.data as Buffer);
    }
    return this.binaryMessageFrame(toBuffer(data));
  }

  private binaryMessageFrame(bytes: Buffer): Buffer {
    if (!this.supportsBinary) {
      return this.protocol === 4 ? textFrame(-1, "b" + bytes.toString("base64")) : textFrame(-1, "b4" + bytes.toString("base64"));
    }
    return binaryFrame(bytes, this.protocol === 4 ? -1 : MESSAGE_CODE);
  }

  private writeFrame(frame: Buffer, callback?: (err?: Error | null) => void): void {
    const net = this.netSocket!;
    if (!this.corked) {
      if (this.heldFrame === null && callback === undefined) {
        // the common case, one message per connection per turn: held back and written uncorked at the
        // end of the turn, which saves Node's cork/uncork bookkeeping on every recipient of a broadcast
        this.heldFrame = frame;
        deferFlush(this);
        return;
      }
      // a second frame this turn (a burst) or a write callback: cork, so that all leave in one syscall
      this.corkForThisTurn(net);
    }
    // after ws's close frame nothing more may be sent
    if (this.socket.readyState !== WS_OPEN) return;
    net.write(frame, callback);
  }

  private corkForThisTurn(net: NetSocket): void {
    this.corked = true;
    net.cork();
    deferFlush(this);
    const held = this.heldFrame;
    if (held !== null) {
      this.heldFrame = null;
      if (this.socket.readyState === WS_OPEN) net.write(held);
    }
  }

  /** @internal end of the event-loop turn: hand the turn's frames to the kernel */
  runDeferredFlush(): void {
    // a peer that started the closing handshake gets nothing after ws's close frame
    if (this.heldFrame !== null && this.socket.readyState !== WS_OPEN) this.heldFrame = null;
    this.flushNow();
  }

  private flushNow(): void {
    const net = this.netSocket;
    if (net === null) return;
    const held = this.heldFrame;
    if (held !== null) {
      this.heldFrame = null;
      net.write(held);
    }
    if (this.corked) {
      this.corked = false;
      net.uncork();
    }
    this.backlogged = net.writableLength > 0;
  }

  send(packets: Packet[], callbacks?: SendCallback[] | null): void {
    // after a close frame nothing more may be sent
    if (this.socket.readyState !== WS_OPEN) return;
    const done = callbacks ? this.callbacksRunner(callbacks) : undefined;
    for (let i = 0; i < packets.length; i++) {
      const packet = packets[i]!;
      const last = i === packets.length - 1 ? done : undefined;
      if (this.buildsFrames) {
        this.writeFrame(this.packetFrame(packet.type, packet.data), last);
      } else {
        const encoded = this.encodeForWs(packet);
        const compress = packet.options?.compress !== false;
        (this.socket as WsWebSocket).send(encoded, { compress, binary: typeof encoded !== "string" }, last);
      }
    }
    if (this.listenerCount("drain") > 0) this.emit("drain");
  }

  private callbacksRunner(callbacks: SendCallback[]): (err?: Error | null) => void {
    return (err) => {
      if (err) {
        this.onError("write error", err.stack);
        return;
      }
      for (const callback of callbacks) callback(this);
    };
  }

  private packetFrame(type: PacketType, data: RawData | PreparedMessage | undefined): Buffer {
    if (type === "message" && data !== undefined) return this.messageFrame(data);
    if (data instanceof PreparedMessage) data = data.data;
    const code = PACKET_CODES[type];
    if (data === undefined) return textFrame(code, "");
    if (isBinaryData(data)) return binaryFrame(toBuffer(data), this.protocol === 4 ? -1 : code);
    return textFrame(code, String(data));
  }

  private encodeForWs(packet: Packet): string | Buffer {
    if (this.protocol === 3) return encodePacketV3(packet, this.supportsBinary);
    const data = packet.data;
    if (data !== undefined && isBinaryData(data)) {
      return this.supportsBinary ? toBuffer(data) : "b" + toBuffer(data).toString("base64");
    }
    return data === undefined ? String(PACKET_CODES[packet.type]) : PACKET_CODES[packet.type] + String(data);
  }

  /** @internal */
  onWsMessage(data: Buffer, isBinary: boolean): void {
    const owner = this.owner;
    if (!isBinary && this.protocol === 4 && owner && data.length > 0 && this.listenerCount("packet") === 0) {
      const first = data[0];
      if (first === MESSAGE_CHAR) {
        // hot path: a text message needs no packet object
        owner.onTransportMessage(this, data.toString("utf8", 1));
        return;
      }
    }
    const packet = this.decodePacket(isBinary ? data : data.toString("utf8"));
    if (packet.type === "close") {
      // unlike engine.io (which waits for the ping timeout), a close packet ends the session at once
      debug("client sent a close packet");
      this.flushNow();
      this.socket.close();
      this.onClose();
      return;
    }
    this.onPacket(packet);
  }

  /** @internal */
  onWsClose(): void {
    this.corked = false;
    this.heldFrame = null;
    this.onClose();
  }

  /** @internal */
  onWsError(err: Error): void {
    this.onError("websocket error", err);
  }

  protected doClose(fn?: () => void): void {
    debug("closing");
    this.flushNow();
    this.socket.close();
    fn?.();
  }
}

function onWsMessage(this: OwnedWebSocket, data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): void {
  const transport = this[kTransport];
  if (!transport) return;
  const bytes = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
  transport.onWsMessage(bytes, isBinary);
}

function onWsClose(this: OwnedWebSocket): void {
  this[kTransport]?.onWsClose();
}

function onWsError(this: OwnedWebSocket, err: Error): void {
  this[kTransport]?.onWsError(err);
}
