// Entry point of `pnpm --filter @sockwave/bench run bench`: runs every suite, official and ours in
// the same run, and prints one ratio table per suite. BENCH_QUICK=1 for a short run;
// BENCH_ONLY=parsers,engine,io,client,bundle to run some suites only; BENCH_JSON=<file> also writes the
// results as JSON, for comparing runs over time.

import { writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { runBundleSuite } from './bundle-size.mjs';
import { runParserSuite } from './parsers/suite.mjs';
import { runClientSuite } from './scenarios/client-suite.mjs';
import { runEngineSuite, runIoSuite } from './scenarios/server-suites.mjs';
import { packagePairs } from './packages.mjs';
import { settings } from './settings.mjs';
import { renderTable } from './table.mjs';

/**
 * @typedef {{ rows: import('./table.mjs').ResultRow[], skipped: string[] }} SuiteResult
 * @typedef {{ name: string, title: string, run: () => Promise<SuiteResult> }} Suite
 */

/** @type {Suite[]} */
const suites = [
  { name: 'parsers', title: 'Parsers (ops per CPU second, higher is better; ratio ours/official)', run: runParserSuite },
  {
    name: 'engine',
    title: 'Engine.IO servers (server CPU and heap, lower is better; ratio ours/official)',
    run: runEngineSuite,
  },
  {
    name: 'io',
    title: 'Socket.IO servers (server CPU and heap, lower is better; ratio ours/official)',
    run: runIoSuite,
  },
  {
    name: 'client',
    title: 'Socket.IO clients against socket.io 4.8.4 (client CPU and heap, lower is better; ratio ours/official)',
    run: runClientSuite,
  },
  { name: 'bundle', title: 'Browser bundle (bytes, lower is better; ratio ours/official)', run: runBundleSuite },
];

const only = process.env.BENCH_ONLY?.split(',').map((name) => name.trim());

async function main() {
  /** @type {Record<string, SuiteResult>} */ const results = {};
  // The load average tells the reader how noisy the machine was while these numbers were taken.
  console.log(
    `Sockwave bench: ${settings.quick ? 'quick' : 'full'} mode, ${settings.rounds} A/B rounds, node ${process.version}, ` +
      `${availableParallelism()} cores, load average ${loadavg()[0].toFixed(1)} at start`,
  );
  if (packagePairs.selfCheck) console.log('SELF CHECK: "ours" is the official package; every ratio should be near 1.00');
  if (packagePairs.baseline) console.log(`BASELINE: the "official" servers and parsers are those built in ${packagePairs.baseline}`);
  for (const suite of suites) {
    if (only && !only.includes(suite.name)) continue;
    const started = Date.now();
    let result;
    try {
      result = await suite.run();
    } catch (error) {
      result = { rows: [], skipped: [`the suite failed: ${error instanceof Error ? error.stack : String(error)}`] };
    }
    results[suite.name] = result;
    if (result.rows.length > 0) console.log(renderTable(suite.title, result.rows));
    else console.log(`\n${suite.title}`);
    for (const line of result.skipped) console.log(`  skipped: ${line}`);
    console.log(`  (${((Date.now() - started) / 1000).toFixed(1)} s, load average ${loadavg()[0].toFixed(1)})`);
  }
  const jsonPath = process.env.BENCH_JSON;
  if (jsonPath) {
    const run = { at: new Date().toISOString(), quick: settings.quick, selfCheck: packagePairs.selfCheck, results };
    writeFileSync(jsonPath, `${JSON.stringify(run, null, 2)}\n`);
  }
}

await main();
