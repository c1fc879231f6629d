// A process of Socket.IO client sockets, from socket.io-client or @sockwave/io-client (same API),
// all against one server, so the parent can measure what the client library costs:
//   node io-client-process.mjs <module name>
// It answers the CPU and heap probes of the server processes, plus connect, acks and close-all.

import { runBounded } from '../harness/bounded.mjs';
import { answerRequests, announceFailure, announceReady } from '../harness/child-side.mjs';
import { withDeadline } from '../harness/deadline.mjs';
import { loadModule } from '../harness/load-module.mjs';
import { smallEventArgs } from '../parsers/fixtures.mjs';
import { createProbes } from '../servers/probes.mjs';

/**
 * @typedef {{
 *   once(event: string, listener: (...args: any[]) => void): unknown,
 *   emit(event: string, ...args: unknown[]): unknown,
 *   emitWithAck(event: string, ...args: unknown[]): Promise<unknown>,
 *   disconnect(): unknown,
 * }} ClientSocket
 * @typedef {(url: string, options: object) => ClientSocket} Lookup
 * @typedef {'callback' | 'promise'} AckStyle `emit(..., ack)` or `await emitWithAck(...)`
 * @typedef {{ url: string, count: number, concurrency: number, timeoutMs: number }} ConnectArgs
 * @typedef {{ perSocket: number, style: AckStyle, verify: boolean, timeoutMs: number }} AckArgs
 */

/** The chat message of the parser benchmarks: the small event an app sends most. */
const payload = smallEventArgs[1];
const expectedReply = JSON.stringify(payload);

/** @param {unknown} error */
const messageOf = (error) => (error instanceof Error ? error.message : String(error));

/**
 * @param {unknown} reply
 * @param {boolean} verify
 */
function checkReply(reply, verify) {
  if (verify && JSON.stringify(reply) !== expectedReply) {
    throw new Error(`the ack carried ${JSON.stringify(reply)}, expected the echoed ${expectedReply}`);
  }
}

/**
 * A closed loop: the next emit leaves when the previous one is acknowledged.
 * @param {ClientSocket} socket
 * @param {AckArgs} args
 * @returns {Promise<void>}
 */
async function ackLoop(socket, args) {
  if (args.style === 'promise') {
    for (let index = 0; index < args.perSocket; index++) checkReply(await socket.emitWithAck('echo', payload), args.verify);
    return;
  }
  await new Promise((resolve, reject) => {
    let left = args.perSocket;
    // One ack function per loop, handed to every emit: only one emit is in flight at a time.
    /** @param {unknown} [reply] */
    const next = (reply) => {
      try {
        if (left < args.perSocket) checkReply(reply, args.verify);
      } catch (error) {
        return reject(error);
      }
      if (left-- === 0) return resolve(undefined);
      socket.emit('echo', payload, next);
    };
    next();
  });
}

/**
 * @param {Lookup} io
 * @param {string} url
 * @param {number} timeoutMs
 * @returns {Promise<ClientSocket>}
 */
async function connectOne(io, url, timeoutMs) {
  // The options of the issue: a websocket-only client with its own Manager (one connection each).
  const socket = io(url, { transports: ['websocket'], forceNew: true });
  const connected = new Promise((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  try {
    await withDeadline(connected, timeoutMs, 'a client socket to connect');
    return socket;
  } catch (error) {
    socket.disconnect();
    throw error;
  }
}

const [moduleName = 'socket.io-client'] = process.argv.slice(2);
const loaded = await loadModule(moduleName, ['io']);
if ('unavailable' in loaded) {
  announceFailure(loaded.unavailable);
} else {
  const io = /** @type {Lookup} */ (loaded.module.io);
  /** @type {ClientSocket[]} */ let sockets = [];
  answerRequests({
    ...createProbes(),
    /** @param {ConnectArgs} args */
    connect: async (args) => {
      let firstError = '';
      await runBounded(
        args.count,
        args.concurrency,
        async () => {
          try {
            sockets.push(await connectOne(io, args.url, args.timeoutMs));
          } catch (error) {
            firstError ||= messageOf(error);
          }
        },
        () => firstError !== '',
      );
      if (firstError) throw new Error(`a ${moduleName} socket did not connect: ${firstError}`);
    },
    /** @param {AckArgs} args */
    acks: async (args) => {
      await withDeadline(Promise.all(sockets.map((socket) => ackLoop(socket, args))), args.timeoutMs, `${args.style} acks`);
    },
    'close-all': () => {
      for (const socket of sockets) socket.disconnect();
      sockets = [];
    },
  });
  announceReady({ pid: process.pid });
}
