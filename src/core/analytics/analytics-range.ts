import { InvalidInputError } from '../shared/domain-error.js';
import { canonicalTimeZone, DAY_MS, firstInstantAt, localDayOf } from '../sla/zoned-time.js';

/** The longest range a report covers, in days (both ends included). */
export const MAX_RANGE_DAYS = 400;
/** Without `from`, a report covers this many days ending on `to`. */
export const DEFAULT_RANGE_DAYS = 30;

/**
 * A report's period: the local dates `from`..`to` (both included) in `timeZone`, and the instants where each of
 * those days starts (`dayStarts[i]` for `days[i]`; the last entry is the end of `to`, exclusive).
 */
export interface AnalyticsRange {
  from: string;
  to: string;
  timeZone: string;
  days: string[];
  /** Epoch milliseconds: days.length + 1 entries, increasing. */
  dayStarts: number[];
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `YYYY-MM-DD` → days since 1970-01-01, or null when it is not a real calendar date in 1970–9999. */
function parseDate(value: string): number | null {
  const match = DATE.exec(value);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1970) return null;
  const ms = Date.UTC(year, month - 1, day);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) return null;
  return ms / DAY_MS;
}

const formatDay = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

/**
 * Reads `from`/`to` (local dates, inclusive) and `tz` (IANA, default UTC; echoed as given, any case). Without `to`, today in the zone;
 * without `from`, 30 days ending on `to`. A malformed date, an unknown zone, `from` after `to` or more than 400
 * days is invalid input.
 */
export function parseAnalyticsRange(input: { from?: string; to?: string; tz?: string }, now: Date): AnalyticsRange {
  const timeZone = input.tz ?? 'UTC';
  if (canonicalTimeZone(timeZone) === null) throw new InvalidInputError('tz', `unknown time zone ${JSON.stringify(input.tz)}; use an IANA name such as Europe/Madrid`);
  const to = input.to === undefined ? localDayOf(timeZone, now.getTime()) : parseDate(input.to);
  if (to === null) throw new InvalidInputError('to', 'must be a date YYYY-MM-DD');
  const from = input.from === undefined ? to - (DEFAULT_RANGE_DAYS - 1) : parseDate(input.from);
  if (from === null) throw new InvalidInputError('from', 'must be a date YYYY-MM-DD');
  if (from > to) throw new InvalidInputError('from', 'must not be after to');
  const length = to - from + 1;
  if (length > MAX_RANGE_DAYS) throw new InvalidInputError('to', `the range covers ${length} days; at most ${MAX_RANGE_DAYS}`);
  const days: string[] = [];
  const dayStarts: number[] = [];
  for (let day = from; day <= to + 1; day++) {
    dayStarts.push(firstInstantAt(timeZone, day * DAY_MS));
    if (day <= to) days.push(formatDay(day));
  }
  return { from: formatDay(from), to: formatDay(to), timeZone, days, dayStarts };
}

/**
 * How the range splits for UTC-day rollups: whole UTC days [firstDay, endDay) (epoch days) answered by the
 * rollups, and at most two partial pieces at the edges (epoch-ms half-open intervals) answered from per-ticket
 * facts. With UTC, or any zone whose midnights fall on UTC midnights in the range, there are no edges.
 */
export interface RangePieces {
  firstDay: number;
  endDay: number;
  edges: { start: number; end: number }[];
  /** True when every local day of the range is exactly one UTC day: per-day figures come from the rollups. */
  alignedDays: boolean;
}

export function rangePieces(range: AnalyticsRange): RangePieces {
  const start = range.dayStarts[0];
  const end = range.dayStarts[range.dayStarts.length - 1];
  const firstDay = Math.ceil(start / DAY_MS);
  const endDay = Math.floor(end / DAY_MS);
  const alignedDays = range.dayStarts.every((instant) => instant % DAY_MS === 0);
  if (firstDay >= endDay) return { firstDay, endDay: firstDay, edges: [{ start, end }], alignedDays };
  const edges = [
    { start, end: firstDay * DAY_MS },
    { start: endDay * DAY_MS, end },
  ].filter((e) => e.start < e.end);
  return { firstDay, endDay, edges, alignedDays };
}

export const epochDayToDate = formatDay;
