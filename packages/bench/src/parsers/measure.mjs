// Ops per CPU second of small synchronous functions, measured official/ours alternately
// (A B A B) so both sides see the same machine load. CPU time, not wall time: the machine is shared.

import { settings } from '../settings.mjs';
import { median, medianPairedRatio } from '../stats.mjs';

/**
 * @typedef {import('../table.mjs').ResultRow} ResultRow
 * @typedef {import('../table.mjs').Target} Target
 * @typedef {{
 *   metric: string,
 *   target?: Target,
 *   official: () => unknown,
 *   ours: () => unknown,
 *   sameOutput?: () => boolean,
 * }} ParserCase
 */

function cpuMicros() {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
}

/**
 * Runs `operation` `count` times and returns the CPU microseconds spent.
 * @param {() => unknown} operation
 * @param {number} count
 */
function timeBatch(operation, count) {
  // Start every batch with an empty young generation, so neither side pays for the other's garbage.
  globalThis.gc?.();
  const start = cpuMicros();
  for (let i = 0; i < count; i++) operation();
  return cpuMicros() - start;
}

/**
 * Finds how many calls fill the configured CPU budget, doubling from one call so the
 * calibration itself stays bounded.
 * @param {() => unknown} operation
 */
function calibrateBatchSize(operation) {
  let count = 1;
  for (let attempt = 0; attempt < 40; attempt++) {
    const micros = timeBatch(operation, count);
    if (micros >= 20_000) return Math.max(1, Math.round((count * settings.parsers.batchCpuMs * 1000) / micros));
    count *= 2;
  }
  return count;
}

/**
 * @param {() => unknown} operation
 * @param {number} count
 * @returns {number} operations per CPU second
 */
function opsPerCpuSecond(operation, count) {
  const micros = timeBatch(operation, count);
  return micros > 0 ? (count * 1e6) / micros : Number.NaN;
}

/**
 * @param {ParserCase} parserCase
 * @returns {ResultRow}
 */
export function measureCase(parserCase) {
  const officialCount = calibrateBatchSize(parserCase.official);
  const oursCount = calibrateBatchSize(parserCase.ours);
  for (let batch = 0; batch < settings.parsers.warmupBatches; batch++) {
    timeBatch(parserCase.official, officialCount);
    timeBatch(parserCase.ours, oursCount);
  }
  /** @type {number[]} */ const official = [];
  /** @type {number[]} */ const ours = [];
  for (let round = 0; round < settings.parsers.rounds; round++) {
    official.push(opsPerCpuSecond(parserCase.official, officialCount));
    ours.push(opsPerCpuSecond(parserCase.ours, oursCount));
  }
  const sameOutput = parserCase.sameOutput ? parserCase.sameOutput() : true;
  return {
    metric: parserCase.metric,
    unit: 'k ops/CPU-s',
    official: median(official) / 1000,
    ours: median(ours) / 1000,
    ratio: medianPairedRatio(official, ours),
    ...(parserCase.target ? { target: parserCase.target } : {}),
    ...(sameOutput ? {} : { note: 'OUTPUT DIFFERS from official' }),
  };
}
