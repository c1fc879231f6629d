// Prints result rows as the table PERFORMANCE.md asks for:
// metric | official | ours | ratio | target | ok?

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
 * }} ResultRow
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
  const header = ['metric', 'official', 'ours', 'ratio', 'target', 'ok?'];
  const cells = rows.map((row) => [
    row.note ? `${row.metric} (${row.note})` : row.metric,
    formatValue(row.official, row.unit),
    formatValue(row.ours, row.unit),
    Number.isFinite(row.ratio) ? `${row.ratio.toFixed(2)}x` : '-',
    formatTarget(row.target),
    verdict(row),
  ]);
  const widths = header.map((name, column) => Math.max(name.length, ...cells.map((line) => line[column].length)));
  /** @param {string[]} line */
  const render = (line) => `| ${line.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
  const rule = `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`;
  return [`\n${title}`, render(header), rule, ...cells.map(render)].join('\n');
}
