// The parser micro-benchmarks, run in this process: official and ours side by side.

import { loadModule } from '../harness/load-module.mjs';
import { engineParserCases } from './engine-parser-cases.mjs';
import { ioParserCases } from './io-parser-cases.mjs';
import { measureCase } from './measure.mjs';
import { packagePairs } from '../packages.mjs';

/**
 * @typedef {import('../table.mjs').ResultRow} ResultRow
 * @typedef {{ rows: ResultRow[], skipped: string[] }} SuiteResult
 */

const engineParserExports = ['encodePacket', 'decodePacket', 'encodePayload', 'decodePayload'];
const ioParserExports = ['Encoder', 'Decoder'];

/**
 * @template Module
 * @param {string} officialName
 * @param {string} oursName
 * @param {string[]} requiredExports
 * @param {(official: Module, ours: Module) => import('./measure.mjs').ParserCase[]} buildCases
 * @param {SuiteResult} result
 */
async function runPair(officialName, oursName, requiredExports, buildCases, result) {
  const official = await loadModule(officialName, requiredExports);
  const ours = await loadModule(oursName, requiredExports);
  if ('unavailable' in official) return void result.skipped.push(`${oursName} vs ${officialName}: ${official.unavailable}`);
  if ('unavailable' in ours) return void result.skipped.push(`${oursName}: not available yet: ${ours.unavailable}`);
  /** @type {import('./measure.mjs').ParserCase[]} */ let cases;
  try {
    cases = buildCases(/** @type {Module} */ (official.module), /** @type {Module} */ (ours.module));
  } catch (error) {
    return void result.skipped.push(`${oursName}: setting up the cases failed: ${String(error)}`);
  }
  for (const parserCase of cases) {
    try {
      result.rows.push(measureCase(parserCase));
    } catch (error) {
      result.skipped.push(`${parserCase.metric}: threw ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/** @returns {Promise<SuiteResult>} */
export async function runParserSuite() {
  /** @type {SuiteResult} */ const result = { rows: [], skipped: [] };
  const { ioParser, engineParser } = packagePairs;
  await runPair(ioParser.official, ioParser.ours, ioParserExports, ioParserCases, result);
  await runPair(engineParser.official, engineParser.ours, engineParserExports, engineParserCases, result);
  return result;
}
