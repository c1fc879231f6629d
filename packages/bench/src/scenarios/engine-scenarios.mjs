// Engine.IO server scenarios (engine.io 6.6.11 vs @sockwave/engine-server): the engine layer's
// own share of the connection cost, without Socket.IO on top.

import { settings } from '../settings.mjs';
import { RETAINED_ALLOWANCE_KB, measureConnectionFootprint } from './connection-footprint.mjs';

/** @type {import('./paired-runner.mjs').Scenario[]} */
export const engineScenarios = [
  {
    name: `${settings.idleWebsocket.clients} engine websocket connections`,
    features: {},
    metrics: [
      { key: 'handshakeCpuMicros', metric: 'engine websocket handshake (open), server CPU each', unit: 'µs' },
      { key: 'heapPerConnectionKB', metric: `engine heap per idle websocket connection (${settings.idleWebsocket.clients})`, unit: 'KB' },
      { key: 'heapAndBuffersPerConnectionKB', metric: 'same, heap + Buffer memory (arrayBuffers)', unit: 'KB' },
      {
        key: 'heapRetainedKB',
        metric: 'engine heap retained after all disconnect, per former connection',
        unit: 'KB',
        ratioFloor: RETAINED_ALLOWANCE_KB,
        note: 'under 0.3 KB counts as 0.3',
      },
    ],
    measure: measureConnectionFootprint({ path: '/engine.io/', mode: 'websocket', socketIo: false, clients: settings.idleWebsocket.clients }),
  },
];
