// Prints result rows as the table PERFORMANCE.md asks for:
// metric | official | ours | ratio | target | ok?
// plus, when a row has one, the bare net.Socket floor and floor/official (the fan-out scenario).

/**
 * @typedef {{ direction: 'at-most' | 'at-least', ratio: number }} Target
 * @typedef {{
 *   metric: string,
 *   unit: string,
 *   official: number,
 *   ours: number,
 *   ratio: number,
 *   target?: Target,
 *   note?: string,
 *   floor?: number,
 *   floorRatio?: number,
 * }} ResultRow `floor`: the median of the floor server (servers/floor-server.mjs); `floorRatio`:
 *   the median of the per-round ratios floor/official, like `ratio`
 */

/**
 * @param {number} value
 * @param {string} unit
 */
function formatValue(value, unit) {
  if (!Number.isFinite(value)) return '-';
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })} ${unit}`;
}

/** @param {number | undefined} ratio */
function formatRatio(ratio) {
  return ratio !== undefined && Number.isFinite(ratio) ? `${ratio.toFixed(2)}x` : '-';
}

/** @param {Target | undefined} target */
function formatTarget(target) {
  if (!target) return '-';
  return `${target.direction === 'at-most' ? '<=' : '>='} ${target.ratio}x`;
}

/** @param {ResultRow} row */
function verdict(row) {
  if (!row.target || !Number.isFinite(row.ratio)) return '-';
  const met = row.target.direction === 'at-most' ? row.ratio <= row.target.ratio : row.ratio >= row.target.ratio;
  return met ? 'yes' : 'NO';
}

/**
 * @param {string} title
 * @param {ResultRow[]} rows
 * @returns {string}
 */
export function renderTable(title, rows) {
  const withFloor = rows.some((row) => row.floor !== undefined);
  const header = ['metric', 'official', 'ours', 'ratio', 'target', 'ok?', ...(withFloor ? ['bare net.Socket floor', 'floor/official'] : [])];
  const cells = rows.map((row) => [
    row.note ? `${row.metric} (${row.note})` : row.metric,
    formatValue(row.official, row.unit),
    formatValue(row.ours, row.unit),
    formatRatio(row.ratio),
    formatTarget(row.target),
    verdict(row),
    ...(withFloor ? [row.floor === undefined ? '-' : formatValue(row.floor, row.unit), formatRatio(row.floorRatio)] : []),
  ]);
  const widths = header.map((name, column) => Math.max(name.length, ...cells.map((line) => line[column].length)));
  /** @param {string[]} line */
  const render = (line) => `| ${line.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
  const rule = `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`;
  return [`\n${title}`, render(header), rule, ...cells.map(render)].join('\n');
}
