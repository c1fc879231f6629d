// The yardstick's arithmetic: medians and paired ratios (see /work/shared/PERFORMANCE.md).

/**
 * @param {number[]} values
 * @returns {number}
 */
export function median(values) {
  const finite = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (finite.length === 0) return Number.NaN;
  const middle = finite.length >> 1;
  return finite.length % 2 === 1 ? finite[middle] : (finite[middle - 1] + finite[middle]) / 2;
}

/**
 * Ratio ours/official for each round, then the median of those: pairing rounds cancels the
 * slow drift of a shared machine, which a ratio of medians would not.
 * @param {number[]} official one value per round
 * @param {number[]} ours one value per round, same order
 * @returns {number}
 */
export function medianPairedRatio(official, ours) {
  const ratios = [];
  for (let round = 0; round < Math.min(official.length, ours.length); round++) {
    if (official[round] > 0 && Number.isFinite(ours[round])) ratios.push(ours[round] / official[round]);
  }
  return median(ratios);
}
