/**
 * Wall-clock arithmetic in an IANA time zone, with nothing but Intl. A "local millisecond" is a wall-clock
 * date and time written as if it were UTC (Date.UTC(y, m, d, h, min)); a "day" is a local date as the number
 * of days since 1970-01-01.
 */
export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Names already resolved (building an Intl.DateTimeFormat costs about 0.1 ms); bounded, as callers send any text. */
const canonicalNames = new Map<string, string | null>();
const MAX_CANONICAL_NAMES = 1_000;

/** The canonical name of an IANA time zone ('europe/madrid' → 'Europe/Madrid'), or null when Intl does not know it. */
export function canonicalTimeZone(timeZone: string): string | null {
  let canonical = canonicalNames.get(timeZone);
  if (canonical !== undefined) return canonical;
  try {
    canonical = new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone;
  } catch {
    canonical = null;
  }
  if (canonicalNames.size >= MAX_CANONICAL_NAMES) canonicalNames.clear();
  canonicalNames.set(timeZone, canonical);
  return canonical;
}

/** How far the zone's wall clock is ahead of UTC at `instant`, in milliseconds (local = instant + offset). */
export function offsetAt(timeZone: string, instant: number): number {
  if (timeZone === 'UTC') return 0;
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) fields[part.type] = Number(part.value);
  const local = Date.UTC(fields.year, fields.month - 1, fields.day, fields.hour, fields.minute, fields.second);
  return local - Math.floor(instant / 1000) * 1000;
}

/** The local date (days since the epoch) that the zone's wall clock shows at `instant`. */
export function localDayOf(timeZone: string, instant: number): number {
  return Math.floor((instant + offsetAt(timeZone, instant)) / DAY_MS);
}

/**
 * The first instant at which the zone's wall clock reaches `local`. Wall times shown twice (autumn overlap) give
 * the first showing; wall times skipped (spring gap) give the instant of the jump, when the clock passes them.
 */
export function firstInstantAt(timeZone: string, local: number): number {
  const before = offsetAt(timeZone, local - DAY_MS);
  const after = offsetAt(timeZone, local + DAY_MS);
  if (before === after) return local - before;
  const withBefore = local - before;
  const withAfter = local - after;
  const beforeFits = offsetAt(timeZone, withBefore) === before;
  const afterFits = offsetAt(timeZone, withAfter) === after;
  if (beforeFits && afterFits) return Math.min(withBefore, withAfter);
  if (beforeFits) return withBefore;
  if (afterFits) return withAfter;
  return transitionBetween(timeZone, Math.min(withBefore, withAfter), Math.max(withBefore, withAfter));
}

/** The first instant in (lo, hi] whose offset differs from lo's, to the second (zones change offset on a second). */
function transitionBetween(timeZone: string, lo: number, hi: number): number {
  const initial = offsetAt(timeZone, lo);
  while (hi - lo > 1000) {
    const mid = Math.floor((lo + hi) / 2000) * 1000;
    if (mid <= lo) break;
    if (offsetAt(timeZone, mid) === initial) lo = mid;
    else hi = mid;
  }
  return hi;
}
