// Runs scenarios A B A B: official then ours, each in a fresh process (a server, or the client
// process of the client suite), for settings.rounds rounds; reports the median of each side and
// the median of the paired ratios. A scenario with `floor` also runs the bare net.Socket floor
// (servers/floor-server.mjs) third in each round, A B F, so the same drift touches all three.

import { startChild } from '../harness/child-process.mjs';
import { settings } from '../settings.mjs';
import { median, medianPairedRatio } from '../stats.mjs';

/** The floor is a server too, and node:net is what it measures (see servers/floor-server.mjs). */
const floorScript = new URL('../servers/floor-server.mjs', import.meta.url);
const FLOOR_MODULE = 'node:net';

/**
 * @typedef {import('../table.mjs').ResultRow} ResultRow
 * @typedef {import('../table.mjs').Target} Target
 * @typedef {{
 *   key: string, metric: string, unit: string, target?: Target, note?: string,
 *   ratioFloor?: number,
 * }} MetricSpec `ratioFloor`: values below it count as it in the ratio (a figure that is
 *   allowed to be that small is "nothing", and a ratio of two near-zero figures is noise)
 * @typedef {{
 *   server: import('../harness/child-process.mjs').Child,
 *   port: number,
 *   fleet: import('./load-fleet.mjs').LoadFleet,
 * }} ScenarioContext
 * @typedef {{
 *   name: string,
 *   features: object,
 *   metrics: MetricSpec[],
 *   measure: (context: ScenarioContext) => Promise<Record<string, number>>,
 *   floor?: boolean,
 * }} Scenario `floor`: also measure the floor server with the same `measure`, each round
 * @typedef {{ name: string, metrics: MetricSpec[], floor?: boolean }} PairedScenario what the A/B loop needs of any scenario
 * @typedef {{ official: string, ours: string }} PackagePair
 * @typedef {{ rows: ResultRow[], skipped: string[] }} SuiteResult
 */

/**
 * @param {number[]} values
 * @param {number | undefined} floor
 */
function floored(values, floor) {
  return floor === undefined ? values : values.map((value) => Math.max(value, floor));
}

/**
 * Node flags that make a measured process write a CPU profile, when BENCH_PROFILE asks for them.
 * @param {string} moduleName
 * @param {PairedScenario} scenario
 * @param {number} round
 */
export function profilingFlags(moduleName, scenario, round) {
  if (!settings.profileDirectory) return [];
  const name = `${moduleName}-${scenario.name}-round${round + 1}`.replace(/[^\w.-]+/g, '_');
  return ['--cpu-prof', `--cpu-prof-dir=${settings.profileDirectory}`, `--cpu-prof-name=${name}.cpuprofile`];
}

/**
 * @param {Scenario} scenario
 * @param {URL} serverScript
 * @param {string} moduleName
 * @param {import('./load-fleet.mjs').LoadFleet} fleet
 * @param {number} round
 */
async function runOnce(scenario, serverScript, moduleName, fleet, round) {
  const flags = profilingFlags(moduleName, scenario, round);
  const server = await startChild(serverScript, [moduleName, JSON.stringify(scenario.features)], flags);
  try {
    const { port } = /** @type {{ port: number }} */ (server.info);
    return await scenario.measure({ server, port, fleet });
  } finally {
    await fleet.closeAll().catch(() => {});
    await server.stop();
  }
}

/**
 * The A/B loop of every suite: `runOnce` measures one scenario with one package in one round
 * (in a fresh process) and returns its metrics by key; `runFloor` does the same for the floor of
 * a scenario that has one.
 * @template {PairedScenario} S
 * @param {S[]} scenarios
 * @param {PackagePair} pair
 * @param {(scenario: S, moduleName: string, round: number) => Promise<Record<string, number>>} runOnce
 * @param {(scenario: S, round: number) => Promise<Record<string, number>>} [runFloor]
 * @returns {Promise<SuiteResult>}
 */
export async function runPaired(scenarios, pair, runOnce, runFloor) {
  /** @type {SuiteResult} */ const result = { rows: [], skipped: [] };
  for (const scenario of scenarios) {
    if (!scenario.name.includes(settings.scenarioFilter)) continue;
    /** @type {Record<string, number>[]} */ const officialRuns = [];
    /** @type {Record<string, number>[]} */ const oursRuns = [];
    /** @type {Record<string, number>[]} */ const floorRuns = [];
    let problem = '';
    let measureFloor = Boolean(scenario.floor);
    for (let round = 0; round < settings.rounds && !problem; round++) {
      try {
        officialRuns.push(await runOnce(scenario, pair.official, round));
      } catch (error) {
        problem = `${pair.official} failed, the harness needs a look: ${error instanceof Error ? error.message : error}`;
        break;
      }
      try {
        oursRuns.push(await runOnce(scenario, pair.ours, round));
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        problem = round === 0 && oursRuns.length === 0 ? `not available yet: ${message}` : `failed in round ${round + 1}: ${message}`;
      }
      // The floor runs third in a round both sides completed; when it fails, only the floor stops
      // (its later rounds would pair with the wrong official ones).
      if (problem || !measureFloor || !runFloor) continue;
      try {
        floorRuns.push(await runFloor(scenario, round));
      } catch (error) {
        measureFloor = false;
        const message = error instanceof Error ? error.message : String(error);
        result.skipped.push(`${scenario.name} (bare net.Socket floor): failed in round ${round + 1}: ${message}`);
      }
    }
    if (problem) result.skipped.push(`${scenario.name} (${pair.ours}): ${problem}`);
    if (oursRuns.length === 0) continue;
    for (const spec of scenario.metrics) {
      const official = officialRuns.slice(0, oursRuns.length).map((run) => run[spec.key]);
      const ours = oursRuns.map((run) => run[spec.key]);
      const floor = floorRuns.slice(0, oursRuns.length).map((run) => run[spec.key]);
      result.rows.push({
        metric: spec.metric,
        unit: spec.unit,
        official: median(official),
        ours: median(ours),
        ratio: medianPairedRatio(floored(official, spec.ratioFloor), floored(ours, spec.ratioFloor)),
        ...(spec.target ? { target: spec.target } : {}),
        ...(spec.note ? { note: spec.note } : {}),
        ...(floor.length > 0
          ? { floor: median(floor), floorRatio: medianPairedRatio(floored(official, spec.ratioFloor), floored(floor, spec.ratioFloor)) }
          : {}),
      });
    }
  }
  return result;
}

/**
 * @param {Scenario[]} scenarios
 * @param {PackagePair} pair
 * @param {URL} serverScript
 * @param {import('./load-fleet.mjs').LoadFleet} fleet
 * @returns {Promise<SuiteResult>}
 */
export function runPairedScenarios(scenarios, pair, serverScript, fleet) {
  return runPaired(
    scenarios,
    pair,
    (scenario, moduleName, round) => runOnce(scenario, serverScript, moduleName, fleet, round),
    (scenario, round) => runOnce(scenario, floorScript, FLOOR_MODULE, fleet, round),
  );
}
