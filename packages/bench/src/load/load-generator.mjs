// A load generator process: holds many ClientSessions and runs what the parent asks, so the
// clients' CPU is spent outside the server process being measured.

import { runBounded } from '../harness/bounded.mjs';
import { answerRequests, announceReady } from '../harness/child-side.mjs';
import { withDeadline } from '../harness/deadline.mjs';
import { ClientSession } from './client-session.mjs';

/**
 * @typedef {{
 *   port: number, path: string, count: number, concurrency: number,
 *   mode: import('./client-session.mjs').SessionMode, socketIo: boolean, timeoutMs: number,
 * }} ConnectArgs
 */

/** @type {import('./client-session.mjs').Counters} */
const counters = { events: 0 };
/** @type {ClientSession[]} */
let sessions = [];

answerRequests({
  /** @param {ConnectArgs} args */
  connect: async (args) => {
    let opened = 0;
    let failed = 0;
    let firstError = '';
    await runBounded(args.count, args.concurrency, async () => {
      const session = new ClientSession({ ...args, counters });
      try {
        await session.open(args.mode);
        sessions.push(session);
        opened++;
      } catch (error) {
        failed++;
        firstError ||= error instanceof Error ? error.message : String(error);
        session.close();
      }
    }, () => failed > 0);
    return { opened, failed, firstError };
  },
  events: () => counters.events,
  'reset-events': () => {
    counters.events = 0;
  },
  /** @param {{ perClient: number, timeoutMs: number }} args */
  acks: async (args) => {
    await withDeadline(Promise.all(sessions.map((session) => session.runAcks(args.perClient))), args.timeoutMs, 'acks');
  },
  'close-all': () => {
    for (const session of sessions) session.close();
    sessions = [];
  },
});
announceReady({ pid: process.pid });
