import { describe, expect, it, vi } from 'vitest';
import {
  addBusinessMinutes,
  ALWAYS_OPEN,
  businessMinutesBetween,
  type BusinessCalendar,
} from '../../../src/core/sla/business-calendar.js';
import { InvalidInputError } from '../../../src/core/shared/domain-error.js';
import { at, office, roundTheClock, weekdays } from './calendars.js';

const LUNCH: BusinessCalendar = { timeZone: 'UTC', weeklyHours: weekdays([['09:00', '13:00'], ['14:00', '18:00']]), holidays: [] };
const NIGHT_SHIFT: BusinessCalendar = {
  timeZone: 'UTC',
  weeklyHours: [
    { day: 1, start: '22:00', end: '24:00' },
    { day: 2, start: '00:00', end: '06:00' },
  ],
  holidays: [],
};
/** Open only on Sundays, `start`–`end` local time: isolates what a DST Sunday does to a range. */
const sundays = (timeZone: string, start = '00:00', end = '24:00'): BusinessCalendar => ({
  timeZone,
  weeklyHours: [{ day: 0, start, end }],
  holidays: [],
});

describe('addBusinessMinutes', () => {
  // 2025-03-07 is a Friday, 2025-03-10 a Monday.
  it.each([
    ['inside the day', office(), '2025-03-10T10:00:00Z', 60, '2025-03-10T11:00:00Z'],
    ['across a weekend: Friday 16:00 + 4 h', office(), '2025-03-07T16:00:00Z', 240, '2025-03-10T12:00:00Z'],
    ['up to the closing instant, not the next opening', office(), '2025-03-07T16:00:00Z', 60, '2025-03-07T17:00:00Z'],
    ['from before opening', office(), '2025-03-10T07:30:00Z', 30, '2025-03-10T09:30:00Z'],
    ['from after closing', office(), '2025-03-10T18:00:00Z', 30, '2025-03-11T09:30:00Z'],
    ['from a Saturday', office(), '2025-03-08T12:00:00Z', 60, '2025-03-10T10:00:00Z'],
    ['across a holiday Monday', office('UTC', ['2025-03-10']), '2025-03-07T16:00:00Z', 240, '2025-03-11T12:00:00Z'],
    ['across a lunch break', LUNCH, '2025-03-10T12:00:00Z', 120, '2025-03-10T15:00:00Z'],
    ['from inside the lunch break', LUNCH, '2025-03-10T13:30:00Z', 30, '2025-03-10T14:30:00Z'],
    ['across midnight in a night shift (24:00 then 00:00)', NIGHT_SHIFT, '2025-03-10T23:00:00Z', 120, '2025-03-11T01:00:00Z'],
    ['fractional minutes, to the millisecond', office(), '2025-03-10T10:00:00Z', 0.5, '2025-03-10T10:00:30Z'],
    ['several weeks: 10,000 minutes in Madrid, across the DST change', office('Europe/Madrid'), '2025-03-03T08:00:00Z', 10_000, '2025-03-31T13:40:00Z'],
    ['ALWAYS_OPEN: a weekend night is business time', ALWAYS_OPEN, '2025-03-08T23:00:00Z', 120, '2025-03-09T01:00:00Z'],
    ['ALWAYS_OPEN: across New Year', ALWAYS_OPEN, '2024-12-31T23:30:00Z', 60 * 24, '2025-01-01T23:30:00Z'],
  ])('%s', (_name, calendar, from, minutes, expected) => {
    expect(addBusinessMinutes(calendar, at(from), minutes).toISOString()).toBe(at(expected).toISOString());
  });

  describe('keeps to local wall-clock time across DST weekends (Friday 16:00 + 4 h → Monday 12:00 local)', () => {
    it.each([
      ['Europe/Madrid, spring forward (CET → CEST)', 'Europe/Madrid', '2025-03-28T15:00:00Z', '2025-03-31T10:00:00Z'],
      ['Europe/Madrid, fall back (CEST → CET)', 'Europe/Madrid', '2025-10-24T14:00:00Z', '2025-10-27T11:00:00Z'],
      ['America/New_York, spring forward (EST → EDT)', 'America/New_York', '2025-03-07T21:00:00Z', '2025-03-10T16:00:00Z'],
      ['America/New_York, fall back (EDT → EST)', 'America/New_York', '2025-10-31T20:00:00Z', '2025-11-03T17:00:00Z'],
      ['America/Sao_Paulo, no DST any more (UTC−3 all year)', 'America/Sao_Paulo', '2025-10-31T19:00:00Z', '2025-11-03T15:00:00Z'],
      ['America/Sao_Paulo in January, still UTC−3', 'America/Sao_Paulo', '2025-01-03T19:00:00Z', '2025-01-06T15:00:00Z'],
    ])('%s', (_name, timeZone, from, expected) => {
      expect(addBusinessMinutes(office(timeZone), at(from), 240).toISOString()).toBe(at(expected).toISOString());
    });

    it('counts a range cut by the spring-forward gap by the hours that really pass (01:00–04:00 is 2 h)', () => {
      // Sunday 2025-03-30 in Madrid: 01:00 CET = 00:00Z, the clock jumps 02:00 → 03:00 at 01:00Z.
      expect(addBusinessMinutes(sundays('Europe/Madrid', '01:00', '04:00'), at('2025-03-29T12:00:00Z'), 90).toISOString()).toBe(
        '2025-03-30T01:30:00.000Z',
      );
    });
  });

  it('returns the same instant for 0 minutes, even outside business hours', () => {
    const saturday = at('2025-03-08T12:00:00Z');
    const result = addBusinessMinutes(office(), saturday, 0);
    expect(result.getTime()).toBe(saturday.getTime());
  });

  it('rejects a negative or non-finite amount', () => {
    expect(() => addBusinessMinutes(office(), at('2025-03-10T10:00:00Z'), -1)).toThrow(RangeError);
    expect(() => addBusinessMinutes(office(), at('2025-03-10T10:00:00Z'), Number.NaN)).toThrow(RangeError);
  });

  it('treats holidays as local dates: 08:30 Monday in Tokyo is still Sunday in UTC', () => {
    const from = at('2025-03-09T23:30:00Z'); // Monday 2025-03-10 08:30 JST
    expect(addBusinessMinutes(office('Asia/Tokyo'), from, 60).toISOString()).toBe('2025-03-10T01:00:00.000Z');
    expect(addBusinessMinutes(office('Asia/Tokyo', ['2025-03-10']), from, 60).toISOString()).toBe('2025-03-11T01:00:00.000Z');
  });

  it('validates the calendar it is given', () => {
    const broken = { ...office(), timeZone: 'Mars/Olympus_Mons' };
    expect(() => addBusinessMinutes(broken, at('2025-03-10T10:00:00Z'), 60)).toThrow(InvalidInputError);
  });

  it('gives up with an Error when a calendar has no open time for 3 years (every Monday a holiday)', () => {
    const mondays: string[] = [];
    for (let day = Date.UTC(2025, 2, 10); day < Date.UTC(2030, 0, 1); day += 7 * 86_400_000) {
      mondays.push(new Date(day).toISOString().slice(0, 10));
    }
    const calendar: BusinessCalendar = { timeZone: 'UTC', weeklyHours: [{ day: 1, start: '09:00', end: '17:00' }], holidays: mondays };
    expect(() => addBusinessMinutes(calendar, at('2025-03-08T00:00:00Z'), 60)).toThrow(/no open time for 3 years/);
    expect(() => addBusinessMinutes(calendar, at('2025-03-08T00:00:00Z'), 60)).not.toThrow(InvalidInputError);
  });

  it('walks day by day, not minute by minute: four years of business minutes in Madrid cost a few zone look-ups a day', () => {
    const from = at('2025-01-06T08:00:00Z');
    // Every wall-clock conversion asks Intl for the zone's fields once: count them instead of timing the walk.
    const lookups = vi.spyOn(Intl.DateTimeFormat.prototype, 'formatToParts');
    const due = addBusinessMinutes(office('Europe/Madrid'), from, 500_000);
    expect(businessMinutesBetween(office('Europe/Madrid'), from, due)).toBe(500_000);
    const days = (due.getTime() - from.getTime()) / 86_400_000;
    expect(days).toBeGreaterThan(3.9 * 365);
    // A walk minute by minute would make at least one look-up per business minute (500,000).
    expect(lookups.mock.calls.length).toBeLessThan(5 * days);
  });
});

describe('businessMinutesBetween', () => {
  it.each([
    ['inside the day', office(), '2025-03-10T10:00:00Z', '2025-03-10T11:00:00Z', 60],
    ['across a weekend', office(), '2025-03-07T16:00:00Z', '2025-03-10T10:00:00Z', 120],
    ['a whole weekend is closed', office(), '2025-03-08T00:00:00Z', '2025-03-10T00:00:00Z', 0],
    ['across a holiday', office('UTC', ['2025-03-10']), '2025-03-07T16:00:00Z', '2025-03-11T10:00:00Z', 120],
    ['around a lunch break', LUNCH, '2025-03-10T12:00:00Z', '2025-03-10T15:00:00Z', 120],
    ['a fraction of a minute', office(), '2025-03-10T10:00:00Z', '2025-03-10T10:00:30Z', 0.5],
    ['a full week', office(), '2025-03-10T00:00:00Z', '2025-03-17T00:00:00Z', 5 * 480],
    ['nothing when to equals from', office(), '2025-03-10T10:00:00Z', '2025-03-10T10:00:00Z', 0],
    ['nothing when to is before from', office(), '2025-03-10T11:00:00Z', '2025-03-10T10:00:00Z', 0],
    ['ALWAYS_OPEN counts every minute', ALWAYS_OPEN, '2025-03-08T00:00:00Z', '2025-03-10T00:00:00Z', 2 * 1440],
  ])('%s', (_name, calendar, from, to, expected) => {
    expect(businessMinutesBetween(calendar, at(from), at(to))).toBe(expected);
  });

  describe('a local day lasts as long as the zone says', () => {
    it.each([
      ['Europe/Madrid, an ordinary Sunday', 'Europe/Madrid', '2025-03-23', 1440],
      ['Europe/Madrid, spring forward: 23 h', 'Europe/Madrid', '2025-03-30', 1380],
      ['Europe/Madrid, fall back: 25 h', 'Europe/Madrid', '2025-10-26', 1500],
      ['America/New_York, spring forward: 23 h', 'America/New_York', '2025-03-09', 1380],
      ['America/New_York, fall back: 25 h', 'America/New_York', '2025-11-02', 1500],
      ['America/Sao_Paulo, early November (DST until 2019): 24 h', 'America/Sao_Paulo', '2025-11-02', 1440],
      ['America/Sao_Paulo, same Sunday in 2018, when it still had DST: 23 h', 'America/Sao_Paulo', '2018-11-04', 1380],
    ])('%s', (_name, timeZone, sunday, minutes) => {
      const day = Date.parse(`${sunday}T00:00:00Z`);
      const around = [new Date(day - 86_400_000), new Date(day + 2 * 86_400_000)] as const;
      expect(businessMinutesBetween(sundays(timeZone), ...around)).toBe(minutes);
    });

    it.each([
      ['Madrid 01:00–04:00 on the spring-forward Sunday', sundays('Europe/Madrid', '01:00', '04:00'), '2025-03-30', 120],
      ['Madrid 01:00–04:00 on the fall-back Sunday', sundays('Europe/Madrid', '01:00', '04:00'), '2025-10-26', 240],
      ['Madrid 02:15–02:45 never happens on the spring-forward Sunday', sundays('Europe/Madrid', '02:15', '02:45'), '2025-03-30', 0],
      ['Madrid 02:15–02:45 on an ordinary Sunday', sundays('Europe/Madrid', '02:15', '02:45'), '2025-03-23', 30],
      ['New York 01:00–03:00 on the spring-forward Sunday', sundays('America/New_York', '01:00', '03:00'), '2025-03-09', 60],
      ['New York 01:00–03:00 on the fall-back Sunday (01:00–02:00 twice)', sundays('America/New_York', '01:00', '03:00'), '2025-11-02', 180],
    ])('%s', (_name, calendar, sunday, minutes) => {
      const day = Date.parse(`${sunday}T00:00:00Z`);
      expect(businessMinutesBetween(calendar, new Date(day - 86_400_000), new Date(day + 2 * 86_400_000))).toBe(minutes);
    });
  });

  it.each([
    ['office, Friday afternoon', office(), '2025-03-07T15:12:00Z', 1234],
    ['office, Sunday', office(), '2025-03-09T03:00:00Z', 1],
    ['Madrid office across the spring change', office('Europe/Madrid'), '2025-03-27T10:00:00Z', 4321.25],
    ['New York office across the fall change', office('America/New_York'), '2025-10-30T22:00:00Z', 2500],
    ['lunch break', LUNCH, '2025-03-10T12:59:00Z', 61],
    ['round the clock in New York', roundTheClock('America/New_York'), '2025-11-01T12:00:00Z', 3000],
  ])('undoes addBusinessMinutes: %s + %s', (_name, calendar, from, minutes) => {
    const due = addBusinessMinutes(calendar, at(from), minutes);
    expect(businessMinutesBetween(calendar, at(from), due)).toBe(minutes);
  });
});

describe('compiled calendars are reused by content', () => {
  it('tells apart calendars read afresh that differ only in a holiday or a time zone, in any order', () => {
    // Fresh objects each time, as a policy read again from the database: the compiled days must follow the content.
    const friday = '2025-03-07T16:00:00Z';
    const plain = () => addBusinessMinutes(office(), at(friday), 240).toISOString();
    const holiday = () => addBusinessMinutes(office('UTC', ['2025-03-10']), at(friday), 240).toISOString();
    const monday = '2025-03-10T08:30:00Z';
    const utcHour = () => addBusinessMinutes(office(), at(monday), 60).toISOString();
    const madridHour = () => addBusinessMinutes(office('Europe/Madrid'), at(monday), 60).toISOString();
    for (let round = 0; round < 2; round++) {
      expect(plain()).toBe('2025-03-10T12:00:00.000Z');
      expect(holiday()).toBe('2025-03-11T12:00:00.000Z');
      // 08:30 UTC is before opening in UTC, but 09:30 in Madrid (UTC+1 in March), already open.
      expect(utcHour()).toBe('2025-03-10T10:00:00.000Z');
      expect(madridHour()).toBe('2025-03-10T09:30:00.000Z');
    }
  });

  it('still rejects an invalid calendar the second time it is seen', () => {
    const broken = { timeZone: 'Mars/Olympus', weeklyHours: weekdays([['09:00', '17:00']]), holidays: [] };
    for (let round = 0; round < 2; round++) {
      expect(() => addBusinessMinutes({ ...broken }, at('2025-03-10T10:00:00Z'), 60)).toThrow(InvalidInputError);
    }
  });
});
