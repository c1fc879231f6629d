// The frame every server process shares: `node <script> <module name> <features JSON>` loads the
// module, lets the script build its server on a fresh HTTP server, listens on 127.0.0.1 port 0,
// and answers the parent's requests (the script's own plus the CPU and heap probes).

import { createServer } from 'node:http';
import { answerRequests, announceFailure, announceReady } from '../harness/child-side.mjs';
import { loadModule } from '../harness/load-module.mjs';
import { createProbes } from './probes.mjs';

/**
 * @template Features
 * @typedef {(
 *   module: Record<string, unknown>,
 *   httpServer: import('node:http').Server,
 *   features: Features,
 * ) => Record<string, import('../harness/child-side.mjs').Handler>} BuildServer
 */

/**
 * @template Features
 * @param {string} defaultModule
 * @param {string} requiredExport
 * @param {BuildServer<Features>} build
 */
export async function runServerProcess(defaultModule, requiredExport, build) {
  const [moduleName = defaultModule, featuresJson = '{}'] = process.argv.slice(2);
  const loaded = await loadModule(moduleName, [requiredExport]);
  if ('unavailable' in loaded) return announceFailure(loaded.unavailable);
  try {
    const httpServer = createServer();
    const handlers = build(loaded.module, httpServer, JSON.parse(featuresJson));
    await new Promise((resolve) => httpServer.listen(0, '127.0.0.1', () => resolve(undefined)));
    const address = /** @type {import('node:net').AddressInfo} */ (httpServer.address());
    answerRequests({ ...createProbes(), ...handlers });
    announceReady({ port: address.port });
  } catch (error) {
    announceFailure(error);
  }
}
