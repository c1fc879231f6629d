// One simulated client, speaking Engine.IO 4 (and optionally Socket.IO 5 on the main namespace)
// by hand over the minimal WebSocket and HTTP clients: the handshakes of the three transports
// modes, answering heartbeats, counting received events, and a closed loop of acknowledged emits.

import { createSignal, withDeadline } from '../harness/deadline.mjs';
import { HttpConnection } from '../net/http-client.mjs';
import { openWebSocket } from '../net/websocket-client.mjs';

const CHAR_0 = 0x30;
const CHAR_1 = 0x31;
const CHAR_2 = 0x32;
const CHAR_3 = 0x33;
const CHAR_4 = 0x34;
const CHAR_5 = 0x35;
const RECORD_SEPARATOR = '\x1e';

/**
 * @typedef {'websocket' | 'polling' | 'polling-upgrade'} SessionMode
 * @typedef {{ events: number }} Counters
 * @typedef {{ port: number, path: string, socketIo: boolean, counters: Counters, timeoutMs: number }} SessionOptions
 */

export class ClientSession {
  /** @param {SessionOptions} options */
  constructor(options) {
    this.options = options;
    /** @type {import('../net/websocket-client.mjs').WebSocketConnection | null} */
    this.webSocket = null;
    /** @type {HttpConnection | null} */
    this.http = null;
    this.sid = '';
    this.closed = false;
    /** @type {ReturnType<typeof createSignal<string>>} */
    this.opened = createSignal();
    /** @type {ReturnType<typeof createSignal<void>>} */
    this.connected = createSignal();
    /** @type {ReturnType<typeof createSignal<void>>} */
    this.probed = createSignal();
    /** @type {ReturnType<typeof createSignal<void>>} */
    this.acksDone = createSignal();
    this.acksLeft = 0;
    this.nextAckId = 0;
  }

  /** @param {SessionMode} mode */
  async open(mode) {
    const opening = mode === 'websocket' ? this.openWebSocketOnly() : this.openPolling(mode === 'polling-upgrade');
    await withDeadline(opening, this.options.timeoutMs, `a ${mode} handshake`);
  }

  async openWebSocketOnly() {
    await this.attachWebSocket(`${this.options.path}?EIO=4&transport=websocket`);
    await this.opened.promise;
    if (!this.options.socketIo) return;
    this.webSocket?.sendText('40');
    await this.connected.promise;
  }

  /** @param {boolean} upgrade */
  async openPolling(upgrade) {
    const base = `${this.options.path}?EIO=4&transport=polling`;
    this.http = new HttpConnection(this.options.port);
    const handshake = await this.http.request('GET', base);
    if (handshake.status !== 200 || !handshake.body.startsWith('0')) {
      throw new Error(`polling handshake answered ${handshake.status} ${handshake.body.slice(0, 80)}`);
    }
    this.sid = JSON.parse(handshake.body.slice(1)).sid;
    const sessionPath = `${base}&sid=${encodeURIComponent(this.sid)}`;
    if (this.options.socketIo) {
      const posted = await this.http.request('POST', sessionPath, '40');
      if (posted.status !== 200) throw new Error(`CONNECT over polling answered ${posted.status}`);
      const reply = await this.http.request('GET', sessionPath);
      if (!reply.body.split(RECORD_SEPARATOR).some((packet) => packet.startsWith('40'))) {
        throw new Error(`no CONNECT reply over polling: ${reply.body.slice(0, 80)}`);
      }
    }
    if (!upgrade) return void this.pollForever(sessionPath);
    await this.attachWebSocket(`${this.options.path}?EIO=4&transport=websocket&sid=${encodeURIComponent(this.sid)}`);
    this.webSocket?.sendText('2probe');
    await this.probed.promise;
    this.webSocket?.sendText('5');
    // The polling transport is discarded once upgraded; its connection is not needed any more.
    this.http.destroy();
    this.http = null;
  }

  /**
   * Keeps one GET pending, as an idle polling client does, answering pings until closed.
   * @param {string} sessionPath
   */
  async pollForever(sessionPath) {
    const http = this.http;
    try {
      while (!this.closed && http && !http.closed) {
        const response = await http.request('GET', sessionPath);
        if (response.status !== 200) return;
        for (const packet of response.body.split(RECORD_SEPARATOR)) {
          if (packet === '2') await http.request('POST', sessionPath, '3');
          else if (packet === '1') return;
          else if (packet.startsWith('42')) this.options.counters.events++;
        }
      }
    } catch {
      // The connection closed: the session is over, nothing to report.
    }
  }

  /** @param {string} path */
  async attachWebSocket(path) {
    this.webSocket = await openWebSocket({
      port: this.options.port,
      path,
      timeoutMs: this.options.timeoutMs,
      onMessage: (payload, isText) => {
        if (isText) this.onText(payload);
      },
    });
  }

  /** @param {Buffer} payload one Engine.IO packet */
  onText(payload) {
    switch (payload[0]) {
      case CHAR_4:
        return this.onMessage(payload);
      case CHAR_2:
        return this.webSocket?.sendText('3');
      case CHAR_0:
        this.sid = JSON.parse(payload.toString('utf8', 1)).sid;
        return this.opened.resolve(this.sid);
      case CHAR_3:
        return this.probed.resolve();
      case CHAR_1:
        return this.close();
    }
  }

  /** @param {Buffer} payload an Engine.IO message packet: `4` then the data */
  onMessage(payload) {
    if (!this.options.socketIo) return void this.options.counters.events++;
    switch (payload[1]) {
      case CHAR_2:
      case CHAR_5: // a BINARY_EVENT's header; its attachments follow as binary frames
        this.options.counters.events++;
        return;
      case CHAR_3:
        return this.onAck();
      case CHAR_0:
        return this.connected.resolve();
      case CHAR_4:
        return this.connected.reject(new Error(`CONNECT refused: ${payload.toString('utf8', 2)}`));
    }
  }

  /**
   * Emits `count` acknowledged events one after the other (closed loop).
   * @param {number} count
   */
  runAcks(count) {
    this.acksDone = createSignal();
    this.acksLeft = count;
    if (count > 0) this.emitWithAck();
    else this.acksDone.resolve();
    return this.acksDone.promise;
  }

  emitWithAck() {
    const id = this.nextAckId++;
    this.webSocket?.sendText(`42${id}["echo",${id}]`);
  }

  onAck() {
    if (--this.acksLeft > 0) this.emitWithAck();
    else this.acksDone.resolve();
  }

  close() {
    this.closed = true;
    this.webSocket?.destroy();
    this.http?.destroy();
    const gone = new Error('session closed');
    this.opened.reject(gone);
    this.connected.reject(gone);
    this.probed.reject(gone);
    this.acksDone.reject(gone);
  }
}
