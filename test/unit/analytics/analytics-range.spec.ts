import { describe, expect, it } from 'vitest';
import { parseAnalyticsRange, rangePieces } from '../../../src/core/analytics/analytics-range.js';
import { InvalidInputError } from '../../../src/core/shared/domain-error.js';

const NOW = new Date('2026-11-15T23:30:00Z');
const field = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof InvalidInputError) return error.fieldErrors[0].field;
    throw error;
  }
  return null;
};

describe('parseAnalyticsRange', () => {
  it('lists every local day with the instant it starts, across a DST change', () => {
    const range = parseAnalyticsRange({ from: '2026-10-24', to: '2026-10-26', tz: 'Europe/Madrid' }, NOW);
    expect(range.days).toEqual(['2026-10-24', '2026-10-25', '2026-10-26']);
    expect(range.dayStarts.map((ms) => new Date(ms).toISOString())).toEqual([
      '2026-10-23T22:00:00.000Z',
      '2026-10-24T22:00:00.000Z',
      '2026-10-25T23:00:00.000Z', // the 25th lasted 25 hours
      '2026-10-26T23:00:00.000Z',
    ]);
    expect(range.timeZone).toBe('Europe/Madrid');
  });

  it('defaults to the 30 days ending today in the zone', () => {
    expect(parseAnalyticsRange({}, NOW)).toMatchObject({ from: '2026-10-17', to: '2026-11-15', timeZone: 'UTC' });
    // 23:30 UTC is already the 16th in Madrid.
    expect(parseAnalyticsRange({ tz: 'Europe/Madrid' }, NOW)).toMatchObject({ from: '2026-10-18', to: '2026-11-16' });
    expect(parseAnalyticsRange({ to: '2026-02-01' }, NOW).from).toBe('2026-01-03');
  });

  it.each([
    [{ from: '2026-11-02', to: '2026-11-01' }, 'from'],
    [{ from: '2025-01-01', to: '2026-02-05' }, 'to'],
    [{ from: '2026-02-29' }, 'from'],
    [{ from: '2026-1-01' }, 'from'],
    [{ to: '1969-12-31' }, 'to'],
    [{ to: '20261101' }, 'to'],
    [{ tz: 'Mars/Olympus' }, 'tz'],
    [{ tz: '' }, 'tz'],
  ])('%j is invalid input naming %s', (input, name) => {
    expect(field(() => parseAnalyticsRange(input, NOW))).toBe(name);
  });

  it('accepts exactly 400 days', () => {
    expect(parseAnalyticsRange({ from: '2025-01-01', to: '2026-02-04' }, NOW).days).toHaveLength(400);
  });
});

describe('rangePieces', () => {
  it('UTC: whole UTC days, no edges', () => {
    const pieces = rangePieces(parseAnalyticsRange({ from: '2026-11-01', to: '2026-11-30' }, NOW));
    expect(pieces).toEqual({ firstDay: Date.UTC(2026, 10, 1) / 86_400_000, endDay: Date.UTC(2026, 11, 1) / 86_400_000, edges: [], alignedDays: true });
  });

  it('a zone ahead of UTC: partial UTC days at both edges', () => {
    const pieces = rangePieces(parseAnalyticsRange({ from: '2026-11-01', to: '2026-11-02', tz: 'Asia/Kathmandu' }, NOW));
    expect(pieces.alignedDays).toBe(false);
    expect(pieces.edges.map((e) => [new Date(e.start).toISOString(), new Date(e.end).toISOString()])).toEqual([
      ['2026-10-31T18:15:00.000Z', '2026-11-01T00:00:00.000Z'],
      ['2026-11-02T00:00:00.000Z', '2026-11-02T18:15:00.000Z'],
    ]);
    expect(pieces.endDay - pieces.firstDay).toBe(1);
  });

  it('one day shorter than a UTC day: the whole range is an edge', () => {
    const pieces = rangePieces(parseAnalyticsRange({ from: '2026-11-01', to: '2026-11-01', tz: 'America/St_Johns' }, NOW));
    expect(pieces.edges).toHaveLength(1);
    expect(pieces.firstDay).toBe(pieces.endDay);
  });
});
