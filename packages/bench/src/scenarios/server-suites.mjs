// The two server suites as the CLI runs them: each starts its load generators, checks that our
// package imports at all (else one "not available yet" line), and runs its scenarios A B A B.

import { loadModule } from '../harness/load-module.mjs';
import { packagePairs } from '../packages.mjs';
import { engineScenarios } from './engine-scenarios.mjs';
import { ioScenarios } from './io-scenarios.mjs';
import { LoadFleet } from './load-fleet.mjs';
import { runPairedScenarios } from './paired-runner.mjs';

/**
 * @param {import('./paired-runner.mjs').Scenario[]} scenarios
 * @param {import('./paired-runner.mjs').PackagePair} pair
 * @param {string} requiredExport
 * @param {URL} serverScript
 * @returns {Promise<import('./paired-runner.mjs').SuiteResult>}
 */
async function runServerSuite(scenarios, pair, requiredExport, serverScript) {
  const ours = await loadModule(pair.ours, [requiredExport]);
  if ('unavailable' in ours) return { rows: [], skipped: [`${pair.ours}: not available yet: ${ours.unavailable}`] };
  const fleet = await LoadFleet.start();
  try {
    return await runPairedScenarios(scenarios, pair, serverScript, fleet);
  } finally {
    await fleet.stop();
  }
}

export function runEngineSuite() {
  return runServerSuite(engineScenarios, packagePairs.engineServer, 'attach', new URL('../servers/engine-server.mjs', import.meta.url));
}

export function runIoSuite() {
  return runServerSuite(ioScenarios, packagePairs.ioServer, 'Server', new URL('../servers/io-server.mjs', import.meta.url));
}
