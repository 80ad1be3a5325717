import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addToHistogram,
  binMiddle,
  histogramBin,
  MAX_ABSOLUTE_ERROR_MINUTES,
  MAX_RELATIVE_ERROR,
  percentiles,
  type DurationHistogram,
} from '../../../src/core/analytics/duration-histogram.js';

/** PostgreSQL's percentile_cont over exact values. */
function percentileCont(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const position = q * (sorted.length - 1);
  const lower = Math.floor(position);
  return sorted[lower] + (position - lower) * ((sorted[lower + 1] ?? sorted[lower]) - sorted[lower]);
}

describe('duration histogram', () => {
  it('every duration is within 2 % (or half a second) of its bin middle', () => {
    expect(MAX_RELATIVE_ERROR).toBeLessThan(0.02);
    for (let minutes = 0; minutes < 600_000; minutes = minutes * 1.013 + 0.0007) {
      const middle = binMiddle(histogramBin(minutes));
      expect(Math.abs(middle - minutes)).toBeLessThanOrEqual(Math.max(MAX_RELATIVE_ERROR * minutes, MAX_ABSOLUTE_ERROR_MINUTES) + 1e-9);
    }
  });

  it('median and p90 stay within the bound of percentile_cont for skewed samples', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (const size of [1, 2, 3, 10, 101, 5000]) {
      const values = Array.from({ length: size }, () => random() ** 3 * 10_000);
      const histogram: DurationHistogram = new Map();
      for (const v of values) addToHistogram(histogram, histogramBin(v), 1);
      const [median, p90] = percentiles(histogram, [0.5, 0.9]);
      for (const [actual, q] of [[median, 0.5], [p90, 0.9]] as const) {
        const exact = percentileCont(values, q);
        expect(Math.abs(actual - exact)).toBeLessThanOrEqual(Math.max(MAX_RELATIVE_ERROR * exact, MAX_ABSOLUTE_ERROR_MINUTES) + 1e-9);
      }
    }
  });

  it('an empty histogram gives 0; removed entries no longer count', () => {
    expect(percentiles(new Map(), [0.5, 0.9])).toEqual([0, 0]);
    const histogram: DurationHistogram = new Map();
    addToHistogram(histogram, histogramBin(10), 1);
    addToHistogram(histogram, histogramBin(1000), 1);
    addToHistogram(histogram, histogramBin(1000), -1);
    expect(percentiles(histogram, [0.5])[0]).toBeCloseTo(binMiddle(histogramBin(10)));
  });

  it('equals percentile_cont over the bin middles, for any counts in any bins and any q', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 700 }), fc.integer({ min: -3, max: 40 })), { maxLength: 60 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 4 }),
        (entries, qs) => {
          const histogram: DurationHistogram = new Map();
          for (const [bin, n] of entries) addToHistogram(histogram, bin, n);
          const middles = [...histogram].flatMap(([bin, n]) => Array.from({ length: Math.max(0, n) }, () => binMiddle(bin)));
          const actual = percentiles(histogram, qs);
          qs.forEach((q, i) => {
            const expected = middles.length ? percentileCont(middles, q) : 0;
            expect(Math.abs(actual[i]! - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, expected));
          });
        },
      ),
      { seed: 20261203, numRuns: 500 },
    );
  });
});
