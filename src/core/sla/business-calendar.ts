import { InvalidInputError } from '../shared/domain-error.js';
import { canonicalTimeZone, DAY_MS, firstInstantAt, localDayOf, MINUTE_MS } from './zoned-time.js';

export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

/** One opening range on a weekday, in the calendar's wall-clock time. Several per day make a lunch break. */
export interface WeeklyHours {
  /** 0 = Sunday … 6 = Saturday. */
  day: Weekday;
  /** 'HH:MM', 00:00–23:59. */
  start: string;
  /** 'HH:MM', after start; '24:00' is the end of the day. */
  end: string;
}

export interface BusinessCalendar {
  /** IANA name, e.g. 'Europe/Madrid'. */
  timeZone: string;
  weeklyHours: WeeklyHours[];
  /** Local dates 'YYYY-MM-DD' on which the calendar is closed all day. */
  holidays: string[];
}

const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** 24×7 in UTC, no holidays: every minute is a business minute. */
export const ALWAYS_OPEN: BusinessCalendar = Object.freeze({
  timeZone: 'UTC',
  weeklyHours: Object.freeze(
    ([0, 1, 2, 3, 4, 5, 6] as const).map((day) => Object.freeze({ day, start: '00:00', end: '24:00' })),
  ) as WeeklyHours[],
  holidays: Object.freeze([]) as unknown as string[],
});

const TIME = /^(\d{2}):(\d{2})$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Minutes since local midnight for 'HH:MM' (00:00–24:00), or null when malformed. */
function minutesOfDay(value: unknown): number | null {
  const match = typeof value === 'string' ? TIME.exec(value) : null;
  if (!match) return null;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (minutes > 59 || hours > 24 || (hours === 24 && minutes > 0)) return null;
  return hours * 60 + minutes;
}

/** Days since 1970-01-01 for a real calendar date 'YYYY-MM-DD', or null. */
function dayOfDate(value: unknown): number | null {
  const match = typeof value === 'string' ? DATE.exec(value) : null;
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  const real = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return real ? Math.round(date.getTime() / DAY_MS) : null;
}

interface CheckedRange extends WeeklyHours {
  index: number;
  from: number;
  to: number;
}

function checkRange(raw: unknown, index: number): CheckedRange {
  const field = `calendar.weeklyHours[${index}]`;
  if (typeof raw !== 'object' || raw === null) throw new InvalidInputError(field, 'must be { day, start, end }');
  const range = raw as Partial<WeeklyHours>;
  if (!Number.isInteger(range.day) || (range.day as number) < 0 || (range.day as number) > 6) {
    throw new InvalidInputError(`${field}.day`, 'must be an integer 0–6 (0 = Sunday)');
  }
  const start = minutesOfDay(range.start);
  if (start === null || start >= 24 * 60) throw new InvalidInputError(`${field}.start`, "must be 'HH:MM', 00:00–23:59");
  const end = minutesOfDay(range.end);
  if (end === null) throw new InvalidInputError(`${field}.end`, "must be 'HH:MM', 00:00–24:00");
  if (end <= start) throw new InvalidInputError(`${field}.end`, `must be after start (${range.start})`);
  return { index, day: range.day as Weekday, start: String(range.start), end: String(range.end), from: start, to: end };
}

/**
 * Checks a calendar and returns a normalised copy: canonical time-zone name, ranges sorted by day and start,
 * holidays sorted without duplicates. Throws InvalidInputError naming the field, e.g. 'calendar.weeklyHours[2].end'.
 */
export function validateCalendar(calendar: BusinessCalendar): BusinessCalendar {
  if (typeof calendar !== 'object' || calendar === null) {
    throw new InvalidInputError('calendar', 'must be { timeZone, weeklyHours, holidays }');
  }
  const raw = calendar as Partial<BusinessCalendar>;
  const timeZone = typeof raw.timeZone === 'string' ? canonicalTimeZone(raw.timeZone) : null;
  if (!timeZone) throw new InvalidInputError('calendar.timeZone', 'must be an IANA time zone such as Europe/Madrid');

  if (!Array.isArray(raw.weeklyHours) || raw.weeklyHours.length === 0) {
    throw new InvalidInputError('calendar.weeklyHours', 'needs at least one opening range');
  }
  const ordered = raw.weeklyHours.map(checkRange).sort((a, b) => a.day - b.day || a.from - b.from);
  for (let i = 1; i < ordered.length; i++) {
    const [previous, range] = [ordered[i - 1], ordered[i]];
    if (previous.day === range.day && range.from < previous.to) {
      const [first, second] = previous.index < range.index ? [previous, range] : [range, previous];
      throw new InvalidInputError(
        `calendar.weeklyHours[${second.index}]`,
        `overlaps calendar.weeklyHours[${first.index}] (${WEEKDAY_NAMES[first.day]} ${first.start}–${first.end})`,
      );
    }
  }

  if (!Array.isArray(raw.holidays)) throw new InvalidInputError('calendar.holidays', "must be a list of 'YYYY-MM-DD'");
  raw.holidays.forEach((holiday, i) => {
    if (dayOfDate(holiday) === null) {
      throw new InvalidInputError(`calendar.holidays[${i}]`, "must be a real date 'YYYY-MM-DD'");
    }
  });

  return {
    timeZone,
    weeklyHours: ordered.map(({ day, start, end }) => ({ day, start, end })),
    holidays: [...new Set(raw.holidays)].sort(),
  };
}

/** A validated calendar in the shape the walk needs: ranges per weekday in minutes, holidays as day numbers. */
interface CompiledCalendar {
  timeZone: string;
  rangesByWeekday: [number, number][][];
  holidays: Set<number>;
  /** Each local day's open intervals, computed once (they depend only on the calendar and the day). */
  days: Map<number, [number, number][]>;
}

/** Calendars compiled, by object and by content: a policy read again from the database is not compiled again. */
const compiled = new WeakMap<BusinessCalendar, CompiledCalendar>();
const compiledByContent = new Map<string, CompiledCalendar>();
const MAX_COMPILED = 100;
/** Days kept per calendar (about eleven years of days a walk went through). */
const MAX_DAYS_KEPT = 4096;

/** Calendars are treated as immutable: each is validated and compiled once. */
function compile(calendar: BusinessCalendar): CompiledCalendar {
  let result = compiled.get(calendar);
  if (result) return result;
  const content = JSON.stringify(calendar);
  result = compiledByContent.get(content);
  if (!result) {
    const valid = validateCalendar(calendar);
    const rangesByWeekday: [number, number][][] = [[], [], [], [], [], [], []];
    for (const { day, start, end } of valid.weeklyHours) {
      rangesByWeekday[day].push([minutesOfDay(start) as number, minutesOfDay(end) as number]);
    }
    const holidays = new Set(valid.holidays.map((h) => dayOfDate(h) as number));
    result = { timeZone: valid.timeZone, rangesByWeekday, holidays, days: new Map() };
    if (compiledByContent.size >= MAX_COMPILED) compiledByContent.clear();
    compiledByContent.set(content, result);
  }
  compiled.set(calendar, result);
  return result;
}

/** The open intervals [start, end) of one local day, as epoch milliseconds in order; empty on holidays. */
function openIntervalsOn(calendar: CompiledCalendar, day: number): readonly [number, number][] {
  let intervals = calendar.days.get(day);
  if (intervals) return intervals;
  intervals = [];
  if (!calendar.holidays.has(day)) {
    const weekday = (((day + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
    const midnight = day * DAY_MS;
    for (const [from, to] of calendar.rangesByWeekday[weekday]) {
      const start = firstInstantAt(calendar.timeZone, midnight + from * MINUTE_MS);
      const end = firstInstantAt(calendar.timeZone, midnight + to * MINUTE_MS);
      if (end > start) intervals.push([start, end]); // a range inside a spring-forward gap never opens
    }
  }
  if (calendar.days.size >= MAX_DAYS_KEPT) calendar.days.clear();
  calendar.days.set(day, intervals);
  return intervals;
}

/** The walk gives up after this many days without open time (every day a holiday) … */
const MAX_CLOSED_DAYS = 3 * 366;
/** … or after this many days in all, so a huge amount of minutes cannot hang the process. */
const MAX_WALK_DAYS = 100 * 366;

/**
 * The first instant at which `minutes` of open time have elapsed since `from`. Counting starts at `from`, or at
 * the next opening when `from` is outside business hours; an amount that runs out exactly at a closing returns
 * the closing instant, not the next opening. `minutes = 0` returns `from`'s instant unchanged, even when closed.
 * Fractional minutes are allowed (counted to the millisecond). Walks day by day over open intervals.
 */
export function addBusinessMinutes(calendar: BusinessCalendar, from: Date, minutes: number): Date {
  if (!Number.isFinite(minutes) || minutes < 0) throw new RangeError(`minutes must be ≥ 0, got ${minutes}`);
  const cal = compile(calendar);
  const origin = from.getTime();
  let remaining = Math.round(minutes * MINUTE_MS);
  if (remaining === 0) return new Date(origin);
  const firstDay = localDayOf(cal.timeZone, origin) - 1;
  let lastOpenDay = firstDay;
  for (let day = firstDay; day - firstDay <= MAX_WALK_DAYS; day++) {
    for (const [start, end] of openIntervalsOn(cal, day)) {
      lastOpenDay = day;
      if (end <= origin) continue;
      const counted = Math.max(start, origin);
      if (remaining <= end - counted) return new Date(counted + remaining);
      remaining -= end - counted;
    }
    if (day - lastOpenDay > MAX_CLOSED_DAYS) {
      throw new Error(`Business calendar has no open time for 3 years after ${new Date(origin).toISOString()}`);
    }
  }
  throw new Error(`Adding ${minutes} business minutes walks more than 100 years`);
}

/** Open minutes in [from, to), fractional to the millisecond; 0 when `to` is not after `from`. */
export function businessMinutesBetween(calendar: BusinessCalendar, from: Date, to: Date): number {
  const [origin, limit] = [from.getTime(), to.getTime()];
  if (limit <= origin) return 0;
  const cal = compile(calendar);
  const lastDay = localDayOf(cal.timeZone, limit);
  let open = 0;
  for (let day = localDayOf(cal.timeZone, origin) - 1; day <= lastDay; day++) {
    for (const [start, end] of openIntervalsOn(cal, day)) {
      open += Math.max(0, Math.min(end, limit) - Math.max(start, origin));
    }
  }
  return open / MINUTE_MS;
}
