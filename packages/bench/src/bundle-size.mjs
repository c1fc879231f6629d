// Size of the minified browser bundle after gzip -9: socket.io-client's dist/socket.io.min.js vs
// ours. Deterministic, so measured once.

import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { packagePairs } from './packages.mjs';

const require = createRequire(import.meta.url);
const BUNDLE = 'dist/socket.io.min.js';

/**
 * @param {string} packageName
 * @returns {Promise<number | string>} gzip -9 bytes, or why there is no bundle
 */
async function gzippedBundleSize(packageName) {
  let bundlePath;
  try {
    bundlePath = join(dirname(require.resolve(`${packageName}/package.json`)), BUNDLE);
  } catch {
    return `${packageName} is not installed`;
  }
  try {
    return gzipSync(await readFile(bundlePath), { level: 9 }).length;
  } catch {
    return `${bundlePath} does not exist (build ${packageName})`;
  }
}

/** @returns {Promise<import('./scenarios/paired-runner.mjs').SuiteResult>} */
export async function runBundleSuite() {
  const pair = packagePairs.ioClient;
  const official = await gzippedBundleSize(pair.official);
  const ours = await gzippedBundleSize(pair.ours);
  if (typeof official === 'string') return { rows: [], skipped: [official] };
  if (typeof ours === 'string') return { rows: [], skipped: [`${pair.ours}: not available yet: ${ours}`] };
  return {
    rows: [
      {
        metric: `${BUNDLE}, gzip -9`,
        unit: 'B',
        official,
        ours,
        ratio: ours / official,
        target: { direction: 'at-most', ratio: 0.85 },
      },
    ],
    skipped: [],
  };
}
