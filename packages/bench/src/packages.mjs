// Which package plays "official" and which plays "ours" in each comparison.
// BENCH_SELF_CHECK=1 makes "ours" the official package too: an A/A run whose ratios should all be
// close to 1.00, showing how much noise the machine adds and that the harness is fair.

const selfCheck = process.env.BENCH_SELF_CHECK === '1';

/**
 * @param {string} official
 * @param {string} ours
 */
function pair(official, ours) {
  return { official, ours: selfCheck ? official : ours };
}

export const packagePairs = {
  selfCheck,
  ioParser: pair('socket.io-parser', '@sockwave/io-parser'),
  engineParser: pair('engine.io-parser', '@sockwave/engine-parser'),
  engineServer: pair('engine.io', '@sockwave/engine-server'),
  ioServer: pair('socket.io', '@sockwave/io-server'),
  ioClient: pair('socket.io-client', '@sockwave/io-client'),
};
