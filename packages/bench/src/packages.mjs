// Which package plays "official" and which plays "ours" in each comparison.
// BENCH_SELF_CHECK=1 makes "ours" the official package too: an A/A run whose ratios should all be
// close to 1.00, showing how much noise the machine adds and that the harness is fair.
// BENCH_BASELINE=<another checkout, built> makes that checkout's parsers and servers play "official":
// an A/B run of a change against the code before it (the browser client stays socket.io-client's).

import { resolve } from 'node:path';

const selfCheck = process.env.BENCH_SELF_CHECK === '1';
const baseline = process.env.BENCH_BASELINE ? resolve(process.env.BENCH_BASELINE) : '';

/**
 * The official package, or the same package of the baseline checkout.
 * @param {string} official
 * @param {string} folder our package's folder under packages/
 */
function reference(official, folder) {
  return baseline ? resolve(baseline, 'packages', folder, 'dist/index.js') : official;
}

/**
 * @param {string} official
 * @param {string} ours
 */
function pair(official, ours) {
  return { official, ours: selfCheck ? official : ours };
}

export const packagePairs = {
  selfCheck,
  baseline,
  ioParser: pair(reference('socket.io-parser', 'io-parser'), '@sockwave/io-parser'),
  engineParser: pair(reference('engine.io-parser', 'engine-parser'), '@sockwave/engine-parser'),
  engineServer: pair(reference('engine.io', 'engine-server'), '@sockwave/engine-server'),
  ioServer: pair(reference('socket.io', 'io-server'), '@sockwave/io-server'),
  ioClient: pair('socket.io-client', '@sockwave/io-client'),
};
