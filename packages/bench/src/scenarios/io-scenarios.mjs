// Socket.IO server scenarios (socket.io 4.8.4 vs @sockwave/io-server), with the targets of
// /work/shared/PERFORMANCE.md.

import { settings } from '../settings.mjs';
import { RETAINED_ALLOWANCE_KB, measureConnectionFootprint } from './connection-footprint.mjs';

/** @typedef {import('./paired-runner.mjs').Scenario} Scenario */

const PATH = '/socket.io/';
const WARM_UP_BROADCASTS = 5;
/** @param {number} ratio */
const atMost = (ratio) => /** @type {const} */ ({ direction: 'at-most', ratio });
const guardRail = atMost(1.1);

/**
 * Server CPU per delivered message of `count` broadcasts, `perTurn` per event-loop turn; per
 * emit when the plan expects no recipient (an empty room: the cost of finding nobody).
 * @param {import('./paired-runner.mjs').ScenarioContext} context
 * @param {{ count: number, perTurn: number, room?: string, binary?: boolean, recipients: number }} plan
 */
async function broadcastCpu({ server, fleet }, plan) {
  const { recipients, ...broadcast } = plan;
  await fleet.resetEvents();
  await server.request('broadcast', { ...broadcast, count: WARM_UP_BROADCASTS });
  await fleet.waitForEvents(WARM_UP_BROADCASTS * recipients);
  await fleet.resetEvents();
  await server.request('cpu-begin');
  await server.request('broadcast', broadcast, settings.stepTimeoutMs);
  await fleet.waitForEvents(plan.count * recipients);
  const cpu = await server.request('cpu-end');
  return cpu / (recipients > 0 ? plan.count * recipients : plan.count);
}

/** @type {Scenario[]} */
export const ioScenarios = [
  {
    name: `fan-out to ${settings.fanOut.clients} websocket clients`,
    features: { rooms: true },
    // What a server that only writes each recipient's pre-built frame costs (servers/floor-server.mjs).
    floor: true,
    metrics: [
      { key: 'broadcast', metric: `broadcast to ${settings.fanOut.clients} ws clients, server CPU per delivered msg`, unit: 'µs', target: atMost(0.6) },
      { key: 'burst', metric: `same, ${settings.fanOut.burstPerTurn} broadcasts per event-loop turn`, unit: 'µs', target: atMost(0.33) },
      { key: 'room', metric: 'room broadcast (half the clients), CPU per delivered msg', unit: 'µs', target: guardRail },
      { key: 'binary', metric: 'binary broadcast (1 KB attachment), CPU per delivered msg', unit: 'µs' },
      { key: 'emptyRoom', metric: 'broadcast to an empty room, server CPU per emit', unit: 'µs' },
    ],
    measure: async (context) => {
      const clients = settings.fanOut.clients;
      await context.fleet.connect({ port: context.port, path: PATH, count: clients, mode: 'websocket', socketIo: true });
      const broadcast = await broadcastCpu(context, { count: settings.fanOut.broadcasts, perTurn: 1, recipients: clients });
      const burst = await broadcastCpu(context, {
        count: settings.fanOut.burstTurns * settings.fanOut.burstPerTurn,
        perTurn: settings.fanOut.burstPerTurn,
        recipients: clients,
      });
      // The server puts every second connection into room "even".
      const room = await broadcastCpu(context, {
        count: settings.fanOut.roomBroadcasts,
        perTurn: 1,
        room: 'even',
        recipients: Math.floor(clients / 2),
      });
      const binary = await broadcastCpu(context, {
        count: settings.fanOut.binaryBroadcasts,
        perTurn: 1,
        binary: true,
        recipients: clients,
      });
      const emptyRoom = await broadcastCpu(context, {
        count: settings.fanOut.emptyRoomEmits,
        perTurn: settings.fanOut.emptyRoomPerTurn,
        room: 'nobody',
        recipients: 0,
      });
      return { broadcast, burst, room, binary, emptyRoom };
    },
  },
  {
    name: `${settings.ack.clients} clients emitting with acknowledgement`,
    features: { echo: true },
    metrics: [
      { key: 'ack', metric: `acknowledged emit (${settings.ack.clients} clients, closed loop), server CPU each`, unit: 'µs', target: atMost(0.75) },
    ],
    measure: async ({ server, port, fleet }) => {
      await fleet.connect({ port, path: PATH, count: settings.ack.clients, mode: 'websocket', socketIo: true });
      await fleet.runAcks(20);
      await server.request('cpu-begin');
      await fleet.runAcks(settings.ack.acksPerClient);
      const cpu = await server.request('cpu-end');
      return { ack: cpu / (settings.ack.clients * settings.ack.acksPerClient) };
    },
  },
  {
    name: `${settings.idleWebsocket.clients} websocket connections`,
    features: {},
    metrics: [
      { key: 'handshakeCpuMicros', metric: 'websocket handshake (open + CONNECT), server CPU each', unit: 'µs', target: atMost(0.6) },
      { key: 'heapPerConnectionKB', metric: `heap per idle websocket connection (${settings.idleWebsocket.clients})`, unit: 'KB', target: atMost(0.55) },
      { key: 'heapAndBuffersPerConnectionKB', metric: 'same, heap + Buffer memory (arrayBuffers)', unit: 'KB' },
      { key: 'heapRetainedKB', metric: 'heap retained after all disconnect, per former connection', unit: 'KB', target: guardRail, ratioFloor: RETAINED_ALLOWANCE_KB, note: 'under 0.3 KB counts as 0.3' },
    ],
    measure: measureConnectionFootprint({ path: PATH, mode: 'websocket', socketIo: true, clients: settings.idleWebsocket.clients }),
  },
  {
    name: `${settings.idlePolling.clients} polling connections`,
    features: {},
    metrics: [
      { key: 'heapPerConnectionKB', metric: `heap per polling connection (${settings.idlePolling.clients}, GET pending)`, unit: 'KB', target: guardRail },
    ],
    measure: measureConnectionFootprint({ path: PATH, mode: 'polling', socketIo: true, clients: settings.idlePolling.clients }),
  },
  {
    name: `${settings.pollingUpgrade.clients} polling-then-upgrade handshakes`,
    features: {},
    metrics: [
      { key: 'handshakeCpuMicros', metric: 'polling-then-upgrade handshake (+ CONNECT), server CPU each', unit: 'µs', target: guardRail },
    ],
    measure: measureConnectionFootprint({ path: PATH, mode: 'polling-upgrade', socketIo: true, clients: settings.pollingUpgrade.clients }),
  },
];
