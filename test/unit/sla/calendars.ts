import type { BusinessCalendar, WeeklyHours } from '../../../src/core/sla/business-calendar.js';

const WEEKDAYS = [1, 2, 3, 4, 5] as const;

/** Monday–Friday, the same ranges each day. */
export const weekdays = (ranges: [string, string][]): WeeklyHours[] =>
  WEEKDAYS.flatMap((day) => ranges.map(([start, end]) => ({ day, start, end })));

/** Monday–Friday 09:00–17:00 in `timeZone`. */
export const office = (timeZone = 'UTC', holidays: string[] = []): BusinessCalendar => ({
  timeZone,
  weeklyHours: weekdays([['09:00', '17:00']]),
  holidays,
});

/** Every day 00:00–24:00 in `timeZone`: only the zone's own day lengths matter. */
export const roundTheClock = (timeZone: string): BusinessCalendar => ({
  timeZone,
  weeklyHours: ([0, 1, 2, 3, 4, 5, 6] as const).map((day) => ({ day, start: '00:00', end: '24:00' })),
  holidays: [],
});

export const at = (iso: string): Date => new Date(iso);
