// A minimal HTTP/1.1 keep-alive client on `net` for Engine.IO long-polling load: one request at
// a time per connection, which is exactly how a polling session uses a connection. Cheaper and
// more predictable than `http.Agent` for hundreds of parallel sessions in one process.

import { connect } from 'node:net';

const HEADER_END = Buffer.from('\r\n\r\n');

/**
 * @typedef {{ status: number, body: string }} HttpResponse
 */

/**
 * Parses one response at the start of `data`, or returns null when it is not complete yet.
 * @param {Buffer} data
 * @returns {{ response: HttpResponse, used: number } | null}
 */
function parseResponse(data) {
  const headerEnd = data.indexOf(HEADER_END);
  if (headerEnd === -1) return null;
  const head = data.subarray(0, headerEnd).toString('latin1');
  const status = Number(head.slice(9, 12));
  const bodyStart = headerEnd + HEADER_END.length;
  const lengthMatch = /\r\ncontent-length:\s*(\d+)/i.exec(head);
  if (lengthMatch) {
    const end = bodyStart + Number(lengthMatch[1]);
    if (data.length < end) return null;
    return { response: { status, body: data.subarray(bodyStart, end).toString('utf8') }, used: end };
  }
  if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
    /** @type {Buffer[]} */ const parts = [];
    let offset = bodyStart;
    for (;;) {
      const lineEnd = data.indexOf('\r\n', offset);
      if (lineEnd === -1) return null;
      const size = parseInt(data.subarray(offset, lineEnd).toString('latin1'), 16);
      const chunkEnd = lineEnd + 2 + size + 2;
      if (data.length < chunkEnd) return null;
      if (size === 0) return { response: { status, body: Buffer.concat(parts).toString('utf8') }, used: chunkEnd };
      parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
      offset = chunkEnd;
    }
  }
  return { response: { status, body: '' }, used: bodyStart };
}

export class HttpConnection {
  /** @param {number} port */
  constructor(port) {
    this.port = port;
    this.socket = connect({ host: '127.0.0.1', port, noDelay: true });
    /** @type {Buffer | null} */
    this.buffered = null;
    /** @type {{ resolve: (response: HttpResponse) => void, reject: (error: Error) => void } | null} */
    this.waiter = null;
    this.closed = false;
    this.socket.on('data', (chunk) => this.receive(chunk));
    this.socket.on('error', () => {});
    this.socket.on('close', () => {
      this.closed = true;
      this.waiter?.reject(new Error('connection closed'));
      this.waiter = null;
    });
  }

  /**
   * @param {'GET' | 'POST'} method
   * @param {string} path with query string
   * @param {string} [body]
   * @returns {Promise<HttpResponse>}
   */
  request(method, path, body) {
    if (this.closed) return Promise.reject(new Error('connection closed'));
    if (this.waiter) return Promise.reject(new Error('a request is already in flight'));
    const payload = body === undefined ? '' : body;
    const lengthHeader = method === 'POST' ? `Content-Type: text/plain;charset=UTF-8\r\nContent-Length: ${Buffer.byteLength(payload)}\r\n` : '';
    this.socket.write(`${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1:${this.port}\r\nConnection: keep-alive\r\n${lengthHeader}\r\n${payload}`);
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  /** @param {Buffer} chunk */
  receive(chunk) {
    this.buffered = this.buffered ? Buffer.concat([this.buffered, chunk]) : chunk;
    const parsed = parseResponse(this.buffered);
    if (!parsed) return;
    this.buffered = parsed.used < this.buffered.length ? Buffer.from(this.buffered.subarray(parsed.used)) : null;
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.resolve(parsed.response);
  }

  destroy() {
    this.closed = true;
    this.socket.destroy();
  }
}
