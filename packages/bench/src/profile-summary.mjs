// Prints where a server spent its CPU, from a profile written with BENCH_PROFILE:
//   node src/profile-summary.mjs <file.cpuprofile> [how many rows, default 25]
// Self time per function (summed over every place it was sampled), largest first, so a
// colleague sees the hot spots without opening a profiler UI.

import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

/**
 * @typedef {{ functionName: string, url: string, lineNumber: number }} CallFrame
 * @typedef {{ id: number, callFrame: CallFrame, hitCount?: number }} ProfileNode
 * @typedef {{ nodes: ProfileNode[], startTime: number, endTime: number, samples?: number[] }} CpuProfile
 */

const [file, rowsArgument = '25'] = process.argv.slice(2);
if (!file) {
  console.error('usage: node src/profile-summary.mjs <file.cpuprofile> [rows]');
  process.exit(2);
}

/** @type {CpuProfile} */
const profile = JSON.parse(readFileSync(file, 'utf8'));
const totalHits = profile.nodes.reduce((sum, node) => sum + (node.hitCount ?? 0), 0);
const microsPerHit = totalHits > 0 ? (profile.endTime - profile.startTime) / totalHits : 0;

/** @type {Map<string, number>} */
const hitsByFunction = new Map();
for (const node of profile.nodes) {
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url ? `${relative(process.cwd(), url.replace(/^file:\/\//, ''))}:${lineNumber + 1}` : '';
  const key = `${functionName || '(anonymous)'} ${where}`.trim();
  hitsByFunction.set(key, (hitsByFunction.get(key) ?? 0) + (node.hitCount ?? 0));
}

const rows = [...hitsByFunction.entries()].sort((a, b) => b[1] - a[1]).slice(0, Number(rowsArgument));
console.log(`${file}: ${(totalHits * microsPerHit / 1000).toFixed(0)} ms sampled (wall time of the process, idle included)`);
for (const [name, hits] of rows) {
  const share = ((hits / totalHits) * 100).toFixed(1).padStart(5);
  console.log(`${share}%  ${((hits * microsPerHit) / 1000).toFixed(1).padStart(8)} ms  ${name}`);
}
