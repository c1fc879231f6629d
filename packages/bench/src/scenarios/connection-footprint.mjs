// The measurement behind every "connection" metric: server CPU per handshake, heap per open
// idle connection, and heap still held once every client has gone.

import { settings } from '../settings.mjs';

const KB = 1024;
const WARM_UP_CONNECTIONS = 200;
const SETTLE_MS = 300;
/** PERFORMANCE.md allows a websocket server to keep this much heap per former connection. */
export const RETAINED_ALLOWANCE_KB = 0.3;

/**
 * @typedef {import('./paired-runner.mjs').ScenarioContext} ScenarioContext
 * @typedef {{ path: string, mode: import('../load/client-session.mjs').SessionMode, socketIo: boolean, clients: number }} FootprintOptions
 */

/**
 * Waits until the server reports `expected` engine sessions, then a short settling pause.
 * @param {ScenarioContext['server']} server
 * @param {number} expected
 */
export async function waitForClientCount(server, expected) {
  const deadline = Date.now() + settings.stepTimeoutMs;
  let count = -1;
  while (Date.now() < deadline) {
    count = await server.request('clients');
    if (count === expected) {
      // The count changes before everything behind it is done (a polling client's pending GET
      // may still be on its way; a closed session's sockets are still being destroyed): a short
      // idle pause lets both servers finish before the heap is read.
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`the server reports ${count} clients, expected ${expected}`);
}

/**
 * @param {FootprintOptions} options
 * @returns {(context: ScenarioContext) => Promise<Record<'handshakeCpuMicros' | 'heapPerConnectionKB' | 'heapAndBuffersPerConnectionKB' | 'heapRetainedKB', number>>}
 */
export function measureConnectionFootprint(options) {
  return async ({ server, port, fleet }) => {
    const connectRequest = { port, path: options.path, mode: options.mode, socketIo: options.socketIo };
    // A first few sessions compile the server's code paths and allocate its lazy singletons,
    // which belong to neither the per-handshake CPU nor the per-connection heap.
    await fleet.connect({ ...connectRequest, count: WARM_UP_CONNECTIONS });
    await fleet.closeAll();
    await waitForClientCount(server, 0);
    const baseline = await server.request('heap');

    await server.request('cpu-begin');
    await fleet.connect({ ...connectRequest, count: options.clients });
    const handshakeCpu = await server.request('cpu-end');
    await waitForClientCount(server, options.clients);
    const connected = await server.request('heap');

    await fleet.closeAll();
    await waitForClientCount(server, 0);
    const retained = await server.request('heap');
    const perConnectionKB = (/** @type {number} */ bytes) => bytes / options.clients / KB;
    return {
      handshakeCpuMicros: handshakeCpu / options.clients,
      heapPerConnectionKB: perConnectionKB(connected.heapUsed - baseline.heapUsed),
      heapAndBuffersPerConnectionKB: perConnectionKB(
        connected.heapUsed + connected.arrayBuffers - baseline.heapUsed - baseline.arrayBuffers,
      ),
      heapRetainedKB: perConnectionKB(retained.heapUsed - baseline.heapUsed),
    };
  };
}
