// Latency summaries for benches: nearest-rank percentiles over a sample.

export interface Summary {
  count: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentile of an ascending array; NaN for an empty one. */
export function percentile(sortedAscending: readonly number[], p: number): number {
  if (sortedAscending.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sortedAscending.length);
  return sortedAscending[Math.min(sortedAscending.length - 1, Math.max(0, rank - 1))] ?? Number.NaN;
}

export function summarize(values: readonly number[]): Summary {
  const sorted = Float64Array.from(values).sort();
  const asArray = Array.from(sorted);
  const total = asArray.reduce((sum, v) => sum + v, 0);
  return {
    count: asArray.length,
    mean: asArray.length === 0 ? Number.NaN : total / asArray.length,
    p50: percentile(asArray, 50),
    p95: percentile(asArray, 95),
    p99: percentile(asArray, 99),
    max: asArray.at(-1) ?? Number.NaN,
  };
}

/** `12.34` style, fixed width, for aligned tables. */
export function formatNumber(value: number, width = 8, digits = 2): string {
  return (Number.isFinite(value) ? value.toFixed(digits) : '-').padStart(width);
}
