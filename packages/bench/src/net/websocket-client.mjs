// A minimal RFC 6455 client on `net`, for load generation only. It costs far less CPU than the
// `ws` library, which matters because the load generators share 2 cores with the server under
// test. It speaks just what Engine.IO servers send: unfragmented (or simply fragmented) text and
// binary frames, ping, close; it does not verify Sec-WebSocket-Accept.

import { connect } from 'node:net';
import { FrameSplitter, OPCODE_CLOSE, OPCODE_CONTINUATION, OPCODE_PING, OPCODE_PONG, OPCODE_TEXT } from './frame-splitter.mjs';

const HEADER_END = Buffer.from('\r\n\r\n');

/**
 * Builds one masked client frame. The mask key is all zeros, which leaves the payload unchanged:
 * servers must accept any key, and this skips a XOR pass over every byte we send.
 * @param {number} opcode
 * @param {Buffer} payload
 */
function clientFrame(opcode, payload) {
  const length = payload.length;
  const lengthBytes = length < 126 ? 0 : length < 65_536 ? 2 : 8;
  const frame = Buffer.alloc(2 + lengthBytes + 4 + length);
  frame[0] = 0x80 | opcode;
  if (lengthBytes === 0) frame[1] = 0x80 | length;
  else if (lengthBytes === 2) {
    frame[1] = 0x80 | 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 0x80 | 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  payload.copy(frame, 2 + lengthBytes + 4);
  return frame;
}

/**
 * @typedef {(payload: Buffer, isText: boolean) => void} MessageListener
 */

export class WebSocketConnection {
  /**
   * @param {import('node:net').Socket} socket already upgraded
   * @param {MessageListener} onMessage
   */
  constructor(socket, onMessage) {
    this.socket = socket;
    this.onMessage = onMessage;
    this.frames = new FrameSplitter();
    /** @type {import('./frame-splitter.mjs').FrameListener} */
    this.dispatchFrame = (opcode, final, payload) => this.dispatch(opcode, final, payload);
    /** @type {Buffer[]} payloads of a fragmented message */
    this.fragments = [];
    this.fragmentIsText = false;
    this.closed = false;
    socket.on('data', (chunk) => this.receive(chunk));
    socket.on('close', () => {
      this.closed = true;
    });
    socket.on('error', () => {});
  }

  /** @param {string} text */
  sendText(text) {
    if (!this.closed) this.socket.write(clientFrame(OPCODE_TEXT, Buffer.from(text)));
  }

  /** Drops the TCP connection without a closing handshake, like a client that goes away. */
  destroy() {
    this.closed = true;
    this.socket.destroy();
  }

  /** @param {Buffer} chunk */
  receive(chunk) {
    this.frames.split(chunk, this.dispatchFrame);
  }

  /**
   * @param {number} opcode
   * @param {boolean} final
   * @param {Buffer} payload
   */
  dispatch(opcode, final, payload) {
    if (opcode === OPCODE_PING) return void (this.closed || this.socket.write(clientFrame(OPCODE_PONG, payload)));
    if (opcode === OPCODE_CLOSE) return this.destroy();
    if (opcode === OPCODE_PONG) return;
    if (opcode !== OPCODE_CONTINUATION && final) return this.onMessage(payload, opcode === OPCODE_TEXT);
    if (opcode !== OPCODE_CONTINUATION) this.fragmentIsText = opcode === OPCODE_TEXT;
    this.fragments.push(Buffer.from(payload));
    if (!final) return;
    const whole = Buffer.concat(this.fragments);
    this.fragments = [];
    this.onMessage(whole, this.fragmentIsText);
  }
}

/**
 * Opens a WebSocket to 127.0.0.1:`port` at `path` (with its query string).
 * @param {{ port: number, path: string, onMessage: MessageListener, timeoutMs: number }} options
 * @returns {Promise<WebSocketConnection>}
 */
export function openWebSocket({ port, path, onMessage, timeoutMs }) {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, noDelay: true });
    let head = Buffer.alloc(0);
    const fail = (/** @type {string} */ reason) => {
      clearTimeout(timer);
      socket.destroy();
      reject(new Error(reason));
    };
    const timer = setTimeout(() => fail(`no WebSocket upgrade within ${timeoutMs} ms`), timeoutMs);
    socket.once('error', (error) => fail(error.message));
    socket.once('close', () => fail('closed during the upgrade'));
    socket.on('data', function onHead(chunk) {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf(HEADER_END);
      if (end === -1) return head.length > 16_384 ? fail('oversized upgrade response') : undefined;
      socket.off('data', onHead);
      const statusLine = head.subarray(0, head.indexOf('\r\n')).toString('latin1');
      if (!statusLine.startsWith('HTTP/1.1 101')) return fail(`upgrade refused: ${statusLine}`);
      clearTimeout(timer);
      socket.removeAllListeners('close');
      socket.removeAllListeners('error');
      const connection = new WebSocketConnection(socket, onMessage);
      resolve(connection);
      const rest = head.subarray(end + HEADER_END.length);
      if (rest.length > 0) connection.receive(rest);
    });
    socket.write(
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        'Sec-WebSocket-Key: c29ja3dhdmUtYmVuY2gtMQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
    );
  });
}
