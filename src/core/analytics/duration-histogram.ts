/**
 * Durations (in minutes) kept as counts per log-spaced bin, so medians and p90 can be summed across rollup rows.
 *
 * Bin 0 holds durations under one second; bin k ≥ 1 holds [FLOOR·RATIO^(k-1), FLOOR·RATIO^k). A bin stands for its
 * geometric middle FLOOR·RATIO^(k-½), which is within √RATIO − 1 ≈ 1.98 % of every duration in it (bin 0: within
 * half a second). A percentile is PostgreSQL's `percentile_cont` (linear interpolation between the two order
 * statistics around rank q·(n−1)) with each order statistic replaced by its bin's middle, so it is within
 * MAX_RELATIVE_ERROR of the exact figure, or MAX_ABSOLUTE_ERROR_MINUTES for durations under a second.
 */
export const HISTOGRAM_FLOOR_MINUTES = 1 / 60;
export const HISTOGRAM_RATIO = 1.04;
export const MAX_RELATIVE_ERROR = Math.sqrt(HISTOGRAM_RATIO) - 1;
export const MAX_ABSOLUTE_ERROR_MINUTES = HISTOGRAM_FLOOR_MINUTES / 2;

/** The bin of a duration; `histogramBinSql` is the same formula for SQL. */
export function histogramBin(minutes: number): number {
  if (!(minutes >= HISTOGRAM_FLOOR_MINUTES)) return 0;
  return 1 + Math.floor(Math.log(minutes / HISTOGRAM_FLOOR_MINUTES) / Math.log(HISTOGRAM_RATIO));
}

/** SQL for histogramBin over a double precision expression in minutes (constants from this file, never input). */
export function histogramBinSql(minutes: string): string {
  return `CASE WHEN ${minutes} < ${HISTOGRAM_FLOOR_MINUTES} THEN 0
    ELSE 1 + floor(ln((${minutes}) / ${HISTOGRAM_FLOOR_MINUTES}) / ln(${HISTOGRAM_RATIO}))::int END`;
}

/** The duration a bin stands for. */
export function binMiddle(bin: number): number {
  return bin <= 0 ? HISTOGRAM_FLOOR_MINUTES / 2 : HISTOGRAM_FLOOR_MINUTES * HISTOGRAM_RATIO ** (bin - 0.5);
}

/** Counts per bin. */
export type DurationHistogram = Map<number, number>;

export function addToHistogram(into: DurationHistogram, bin: number, count: number): void {
  if (count !== 0) into.set(bin, (into.get(bin) ?? 0) + count);
}

/**
 * Several percentiles (q in [0, 1]) of the durations in a histogram, as `percentile_cont` computes them; 0 for an
 * empty histogram. Bins are small non-negative integers (under 1,000 for any duration up to a million years), so
 * the counts are laid out in an array indexed by bin instead of sorted: a team view computes dozens per answer.
 */
export function percentiles(histogram: DurationHistogram, qs: readonly number[]): number[] {
  let top = -1;
  let total = 0;
  for (const [bin, n] of histogram) {
    if (n <= 0) continue;
    total += n;
    top = Math.max(top, bin);
  }
  if (total === 0) return qs.map(() => 0);
  const counts = new Float64Array(top + 1);
  for (const [bin, n] of histogram) if (n > 0) counts[bin] += n;
  /** The middle of the bin holding the order statistic of 0-based rank `rank`. */
  const valueAt = (rank: number): number => {
    let seen = 0;
    for (let bin = 0; bin < top; bin++) {
      seen += counts[bin];
      if (rank < seen) return binMiddle(bin);
    }
    return binMiddle(top);
  };
  return qs.map((q) => {
    const position = q * (total - 1);
    const lower = Math.floor(position);
    const low = valueAt(lower);
    const fraction = position - lower;
    return fraction === 0 ? low : low + fraction * (valueAt(lower + 1) - low);
  });
}
