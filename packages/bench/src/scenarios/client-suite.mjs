// The client suite (socket.io-client 4.8.4 vs @sockwave/io-client): many client sockets in one
// process against one official socket.io server, the same server for both sides so that only the
// client differs. Client CPU per acknowledged emit (issue 5: no more than socket.io-client) and
// client heap per connected socket.

import { startChild } from '../harness/child-process.mjs';
import { loadModule } from '../harness/load-module.mjs';
import { packagePairs } from '../packages.mjs';
import { settings } from '../settings.mjs';
import { waitForClientCount } from './connection-footprint.mjs';
import { profilingFlags, runPaired } from './paired-runner.mjs';

const serverScript = new URL('../servers/io-server.mjs', import.meta.url);
const clientScript = new URL('../clients/io-client-process.mjs', import.meta.url);
const KB = 1024;

/**
 * @typedef {import('../harness/child-process.mjs').Child} Child
 * @typedef {{ client: Child, server: Child, url: string }} ClientContext
 * @typedef {import('./paired-runner.mjs').PairedScenario & {
 *   measure: (context: ClientContext) => Promise<Record<string, number>>,
 * }} ClientScenario
 * @typedef {import('../clients/io-client-process.mjs').AckStyle} AckStyle
 */

/** @type {import('../table.mjs').Target} */
const noMoreThanOfficial = { direction: 'at-most', ratio: 1 };

/**
 * @param {Child} client
 * @param {number} perSocket
 * @param {AckStyle} style
 * @param {boolean} verify
 */
function runAcks(client, perSocket, style, verify) {
  const timeoutMs = settings.stepTimeoutMs;
  return client.request('acks', { perSocket, style, verify, timeoutMs }, timeoutMs + 1_000);
}

/**
 * Client CPU per acknowledged emit over a closed loop on every socket, after a warm-up loop
 * whose replies are checked (a client that does not get its payload back measures nothing).
 * @param {Child} client
 * @param {AckStyle} style
 */
async function clientCpuPerAck(client, style) {
  const { sockets, acksPerSocket, warmUpAcks } = settings.client;
  await runAcks(client, warmUpAcks, style, true);
  await client.request('cpu-begin');
  await runAcks(client, acksPerSocket, style, false);
  const cpu = await client.request('cpu-end');
  return cpu / (sockets * acksPerSocket);
}

/**
 * The lowest of a few settled heap readings: with 100 idle sockets, one process's readings were
 * seen to jump by about 240 KB and back between consecutive probes, a transient that is no
 * socket's footprint.
 * @param {Child} client
 * @returns {Promise<number>} heapUsed in bytes
 */
async function lowestHeap(client) {
  let lowest = Number.POSITIVE_INFINITY;
  for (let reading = 0; reading < 3; reading++) lowest = Math.min(lowest, (await client.request('heap')).heapUsed);
  return lowest;
}

/** @type {ClientScenario[]} */
const clientScenarios = [
  {
    name: `${settings.client.sockets} client sockets emitting with acknowledgement`,
    metrics: [
      {
        key: 'callbackAck',
        metric: `emit with ack callback (${settings.client.sockets} sockets in one process, closed loop), client CPU each`,
        unit: 'µs',
        target: noMoreThanOfficial,
      },
      { key: 'emitWithAck', metric: 'same with await socket.emitWithAck(), client CPU each', unit: 'µs', target: noMoreThanOfficial },
      { key: 'heapPerSocketKB', metric: `client heap per connected socket (${settings.client.sockets})`, unit: 'KB' },
    ],
    measure: async ({ client, server, url }) => {
      const { sockets, warmUpSockets, warmUpAcks } = settings.client;
      /** @param {number} count */
      const connect = (count) =>
        client.request('connect', { url, count, concurrency: settings.connectConcurrency, timeoutMs: 20_000 }, settings.stepTimeoutMs);
      // A few sockets that come and go first compile the client's code paths and allocate its
      // lazy singletons, which belong to neither the heap per socket nor the CPU per emit.
      await connect(warmUpSockets);
      await runAcks(client, warmUpAcks, 'callback', true);
      await runAcks(client, warmUpAcks, 'promise', true);
      await client.request('close-all');
      await waitForClientCount(server, 0);
      const baseline = await lowestHeap(client);
      await connect(sockets);
      const connected = await lowestHeap(client);
      const callbackAck = await clientCpuPerAck(client, 'callback');
      const emitWithAck = await clientCpuPerAck(client, 'promise');
      await client.request('close-all');
      await waitForClientCount(server, 0);
      return { callbackAck, emitWithAck, heapPerSocketKB: (connected - baseline) / sockets / KB };
    },
  },
];

/** @returns {Promise<import('./paired-runner.mjs').SuiteResult>} */
export async function runClientSuite() {
  const pair = packagePairs.ioClient;
  const ours = await loadModule(pair.ours, ['io']);
  if ('unavailable' in ours) return { rows: [], skipped: [`${pair.ours}: not available yet: ${ours.unavailable}`] };
  const features = { echo: true, transports: ['websocket'] };
  const server = await startChild(serverScript, [packagePairs.ioServer.official, JSON.stringify(features)]);
  try {
    const url = `http://127.0.0.1:${/** @type {{ port: number }} */ (server.info).port}`;
    return await runPaired(clientScenarios, pair, async (scenario, moduleName, round) => {
      const client = await startChild(clientScript, [moduleName], profilingFlags(moduleName, scenario, round));
      try {
        return await scenario.measure({ client, server, url });
      } finally {
        await client.stop();
        // The next round starts on an idle server, whatever this one left behind.
        await waitForClientCount(server, 0).catch(() => {});
      }
    });
  } finally {
    await server.stop();
  }
}
