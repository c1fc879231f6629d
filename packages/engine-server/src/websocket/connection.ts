import type { Socket as NetSocket } from "node:net";
import debugModule from "debug";
import { FrameReader } from "./frame-reader";
import { OPCODE_CLOSE, OPCODE_PONG, controlFrame } from "./frame-writer";

const debug = debugModule("sockwave:engine:websocket-connection");

/** ws's readyState values, which `transport.socket.readyState` keeps. */
export const CONNECTING = 0;
export const OPEN = 1;
export const CLOSING = 2;
export const CLOSED = 3;
export type WebSocketReadyState = typeof CONNECTING | typeof OPEN | typeof CLOSING | typeof CLOSED;

/** How long a closing connection waits for the peer to close the TCP connection before destroying it. */
const CLOSE_TIMEOUT = 30_000;

/** A close frame without a status code: the same bytes serve every connection. */
const EMPTY_CLOSE_FRAME = controlFrame(OPCODE_CLOSE, Buffer.alloc(0));

/** What a connection reports to whoever reads it (the WebSocket transport), called directly. */
export interface WebSocketHandler {
  onWsMessage(data: Buffer, isBinary: boolean): void;
  /** Called once, when the TCP connection is closed. */
  onWsClose(): void;
  /** A protocol violation by the peer (the connection is already closing). */
  onWsError(err: Error): void;
}

/** The error a protocol violation reports: `closeCode` is what the close frame said. */
export interface WebSocketProtocolError extends Error {
  code: string;
  closeCode: number;
}

const kConnection = Symbol("sockwave:websocket-connection");
type ConnectionSocket = NetSocket & { [kConnection]?: WebSocketConnection };

/**
 * The server side of one WebSocket (RFC 6455) over an upgraded TCP socket, without extensions. It reads
 * client frames, answers pings and the closing handshake, and reports messages to its handler. Data frames
 * to the client are written by the transport straight to `_socket`. Listeners on the socket are shared
 * module functions that find the connection through a symbol, so a connection holds no closures.
 */
export class WebSocketConnection extends FrameReader {
  /** As ws: 1 open, 2 closing (our close frame sent or the socket going), 3 closed. */
  readyState: WebSocketReadyState = OPEN;
  /** Receives messages, errors and the close; null until a transport takes the connection. */
  handler: WebSocketHandler | null = null;
  /** The TCP (or TLS) socket, under ws's name since tests and tools reach it as `socket._socket`. */
  readonly _socket: NetSocket;
  private closeTimer: NodeJS.Timeout | null = null;

  constructor(socket: NetSocket, maxPayload: number) {
    super(maxPayload);
    this._socket = socket;
    (socket as ConnectionSocket)[kConnection] = this;
    socket.setTimeout(0);
    socket.setNoDelay(true);
    socket.on("data", onSocketData);
    socket.on("end", onSocketEnd);
    socket.on("error", onSocketError);
    socket.on("close", onSocketClose);
  }

  /** Bytes written to the socket that the kernel has not taken yet. */
  get bufferedAmount(): number {
    return this._socket.writableLength;
  }

  /**
   * Starts the closing handshake from our side: a close frame without a code (the client sees 1005),
   * then our end of the TCP connection. Nothing is written after it.
   */
  close(): void {
    if (this.readyState !== OPEN) return;
    this.readyState = CLOSING;
    this.endWith(EMPTY_CLOSE_FRAME);
  }

  /** Destroys the TCP connection at once. */
  terminate(): void {
    if (this.readyState === CLOSED) return;
    this.readyState = CLOSING;
    this._socket.destroy();
  }

  protected readsFrames(): boolean {
    return this.readyState === OPEN;
  }

  protected onMessage(data: Buffer, isBinary: boolean): void {
    const handler = this.handler;
    if (handler !== null) handler.onWsMessage(data, isBinary);
    // before a transport takes the connection (an async generateId), messages have nobody to go to
    else debug("message before the session is ready, dropped");
  }

  protected onPing(payload: Buffer): void {
    // a client that pings without reading would otherwise pile pongs up in our memory; RFC 6455 (5.5.3)
    // lets us skip pongs, answering only a later ping
    if (this._socket.writableNeedDrain) return;
    this._socket.write(controlFrame(OPCODE_PONG, payload));
  }

  protected onCloseFrame(code: number): void {
    debug("client close frame (code %d)", code);
    this.readyState = CLOSING;
    this.endWith(code < 0 ? EMPTY_CLOSE_FRAME : closeFrame(code));
  }

  protected onProtocolError(closeCode: number, message: string, errorCode: string): void {
    debug("protocol error: %s (closing with %d)", message, closeCode);
    this.readyState = CLOSING;
    const socket = this._socket;
    if (socket.writable) {
      // a peer that broke the protocol gets no closing handshake: the socket goes once the frame is out
      socket.on("finish", destroySocket);
      socket.end(closeFrame(closeCode));
    }
    this.startCloseTimer();
    const err = new Error(message) as WebSocketProtocolError;
    err.code = errorCode;
    err.closeCode = closeCode;
    if (this.handler !== null) this.handler.onWsError(err);
  }

  /** Writes the last frame, ends our side, and bounds the wait for the peer's side. */
  private endWith(frame: Buffer): void {
    const socket = this._socket;
    if (socket.writable) socket.end(frame);
    this.startCloseTimer();
  }

  private startCloseTimer(): void {
    if (this.closeTimer !== null) return;
    this.closeTimer = setTimeout(onCloseTimeout, CLOSE_TIMEOUT, this);
    this.closeTimer.unref();
  }

  /** @internal the peer half-closed the connection */
  onEnd(): void {
    // http sockets allow half-open connections: close ours too, as ws does
    if (this.readyState === OPEN) this.readyState = CLOSING;
    if (!this._socket.writableEnded) this._socket.end();
  }

  /** @internal a TCP error (reset, ...): not a protocol error, the connection just goes */
  onSocketError(err: Error): void {
    debug("socket error: %s", err.message);
    if (this.readyState === OPEN) this.readyState = CLOSING;
    this._socket.destroy();
  }

  /** @internal */
  onClose(): void {
    this.readyState = CLOSED;
    if (this.closeTimer !== null) {
      clearTimeout(this.closeTimer);
      this.closeTimer = null;
    }
    const handler = this.handler;
    if (handler !== null) handler.onWsClose();
  }

  /** @internal */
  onData(chunk: Buffer): void {
    this.readFrames(chunk);
  }
}

function closeFrame(code: number): Buffer {
  return controlFrame(OPCODE_CLOSE, Buffer.from([code >>> 8, code & 0xff]));
}

function onSocketData(this: ConnectionSocket, chunk: Buffer): void {
  this[kConnection]?.onData(chunk);
}

function onSocketEnd(this: ConnectionSocket): void {
  this[kConnection]?.onEnd();
}

function onSocketError(this: ConnectionSocket, err: Error): void {
  this[kConnection]?.onSocketError(err);
}

function onSocketClose(this: ConnectionSocket): void {
  this[kConnection]?.onClose();
}

function destroySocket(this: NetSocket): void {
  this.destroy();
}

function onCloseTimeout(connection: WebSocketConnection): void {
  debug("peer did not close within %d ms, destroying", CLOSE_TIMEOUT);
  connection._socket.destroy();
}
