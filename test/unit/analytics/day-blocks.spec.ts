import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BLOCK_SPANS } from '../../../src/adapters/persistence/analytics/analytics-rollup.sql.js';
import { dayBlocks } from '../../../src/adapters/persistence/analytics/sql-analytics.queries.js';

describe('dayBlocks: the aligned blocks a range of UTC days is read from', () => {
  it('covers every day of the range exactly once, each block aligned on 1970-01-01 and one of BLOCK_SPANS', () => {
    fc.assert(
      fc.property(fc.integer({ min: -40_000, max: 40_000 }), fc.integer({ min: 0, max: 400 }), (first, length) => {
        const blocks = dayBlocks(first, first + length);
        let next = first;
        for (const { span, day } of blocks) {
          expect(day).toBe(next);
          expect(BLOCK_SPANS).toContain(span);
          expect(((day % span) + span) % span).toBe(0);
          next += span;
        }
        expect(next).toBe(first + length);
      }),
      { seed: 20261203, numRuns: 2000 },
    );
  });

  it('takes the longest aligned block that fits: 30 days need at most 12 blocks, a year at most 20', () => {
    const most = (length: number) => Math.max(...Array.from({ length: 64 }, (_, start) => dayBlocks(20_000 + start, 20_000 + start + length).length));
    expect(most(30)).toBe(12);
    expect(most(365)).toBe(20);
    expect(dayBlocks(20_480, 20_480 + 64)).toEqual([{ span: 64, day: 20_480 }]);
    expect(dayBlocks(20_481, 20_485)).toEqual([
      { span: 1, day: 20_481 },
      { span: 1, day: 20_482 },
      { span: 1, day: 20_483 },
      { span: 1, day: 20_484 },
    ]);
  });
});
