/** Nearest-rank percentile (p in (0, 1]) of a non-empty list: the live board's, the forecast's and history's rule. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}
