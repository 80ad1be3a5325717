import { addToHistogram, percentiles, type DurationHistogram } from './duration-histogram.js';

/**
 * The sums a report is made of, over the tickets of one scope (all, filtered, or one agent's). Created-side
 * fields cover tickets created in the range; `resolved`, `resolutionMicros` and `resolution` cover tickets whose
 * current `resolved_at` falls in the range. Durations are kept in whole microseconds, so sums stay exact.
 */
export interface Tally {
  created: number;
  /** Created in the range and neither resolved nor closed now. */
  open: number;
  /** Created in the range and reopened (a resolved or closed ticket taken back into work) at least once. */
  reopened: number;
  /** Created in the range with at least one breached SLA clock. */
  slaBreached: number;
  firstResponseCount: number;
  firstResponseMicros: number;
  firstResponse: DurationHistogram;
  firstResponseMet: number;
  firstResponseBreached: number;
  resolutionMet: number;
  resolutionBreached: number;
  ratingCount: number;
  ratingSum: number;
  /** Ratings 1–5: index 0 counts the 1s. */
  ratings: [number, number, number, number, number];
  resolved: number;
  resolutionMicros: number;
  resolution: DurationHistogram;
}

export const TALLY_COUNTERS = [
  'created',
  'open',
  'reopened',
  'slaBreached',
  'firstResponseCount',
  'firstResponseMicros',
  'firstResponseMet',
  'firstResponseBreached',
  'resolutionMet',
  'resolutionBreached',
  'ratingCount',
  'ratingSum',
  'resolved',
  'resolutionMicros',
] as const satisfies readonly (keyof Tally)[];
export type TallyCounter = (typeof TALLY_COUNTERS)[number];

export function emptyTally(): Tally {
  const tally = Object.fromEntries(TALLY_COUNTERS.map((k) => [k, 0])) as Record<TallyCounter, number>;
  return { ...tally, ratings: [0, 0, 0, 0, 0], firstResponse: new Map(), resolution: new Map() };
}

/** Adds `b` into `a`. */
export function mergeTally(a: Tally, b: Tally): Tally {
  for (const k of TALLY_COUNTERS) a[k] += b[k];
  b.ratings.forEach((n, i) => (a.ratings[i] += n));
  for (const [bin, n] of b.firstResponse) addToHistogram(a.firstResponse, bin, n);
  for (const [bin, n] of b.resolution) addToHistogram(a.resolution, bin, n);
  return a;
}

export interface DurationFigures {
  count: number;
  averageMinutes: number;
  medianMinutes: number;
  p90Minutes: number;
}

export interface SlaTargetFigures {
  met: number;
  breached: number;
  compliance: number;
}

export interface SatisfactionFigures {
  count: number;
  average: number | null;
  distribution: Record<'1' | '2' | '3' | '4' | '5', number>;
}

const MICROS_PER_MINUTE = 60_000_000;

function durations(count: number, micros: number, histogram: DurationHistogram): DurationFigures {
  const [median, p90] = percentiles(histogram, [0.5, 0.9]);
  return { count, averageMinutes: count ? micros / count / MICROS_PER_MINUTE : 0, medianMinutes: median, p90Minutes: p90 };
}

/** compliance = met / (met + breached), 1 when both are 0. */
const target = (met: number, breached: number): SlaTargetFigures => ({
  met,
  breached,
  compliance: met + breached === 0 ? 1 : met / (met + breached),
});

export const firstResponseFigures = (t: Tally) => durations(t.firstResponseCount, t.firstResponseMicros, t.firstResponse);
export const resolutionFigures = (t: Tally) => durations(t.resolved, t.resolutionMicros, t.resolution);

export const slaFigures = (t: Tally) => ({
  firstResponse: target(t.firstResponseMet, t.firstResponseBreached),
  resolution: target(t.resolutionMet, t.resolutionBreached),
});

export const satisfactionFigures = (t: Tally): SatisfactionFigures => ({
  count: t.ratingCount,
  average: t.ratingCount ? t.ratingSum / t.ratingCount : null,
  distribution: { '1': t.ratings[0], '2': t.ratings[1], '3': t.ratings[2], '4': t.ratings[3], '5': t.ratings[4] },
});

/** Reopened ÷ resolved in the range; 0 when nothing was resolved. */
export const reopenRate = (t: Tally): number => (t.resolved ? t.reopened / t.resolved : 0);
