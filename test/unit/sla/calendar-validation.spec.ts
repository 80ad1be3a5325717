import { describe, expect, it } from 'vitest';
import { ALWAYS_OPEN, validateCalendar, type BusinessCalendar } from '../../../src/core/sla/business-calendar.js';
import { InvalidInputError } from '../../../src/core/shared/domain-error.js';
import { office } from './calendars.js';

const invalid = (calendar: unknown): InvalidInputError => {
  try {
    validateCalendar(calendar as BusinessCalendar);
  } catch (error) {
    if (error instanceof InvalidInputError) return error;
    throw error;
  }
  throw new Error('expected validateCalendar to fail');
};

const withHours = (...weeklyHours: unknown[]) => ({ ...office(), weeklyHours });

describe('validateCalendar', () => {
  it.each([
    ['no calendar at all', undefined, 'calendar', 'must be { timeZone, weeklyHours, holidays }'],
    ['an unknown time zone', { ...office(), timeZone: 'Mars/Olympus_Mons' }, 'calendar.timeZone', 'IANA'],
    ['a UTC offset instead of a zone', { ...office(), timeZone: '+01:00' }, 'calendar.timeZone', 'IANA'],
    ['no ranges', withHours(), 'calendar.weeklyHours', 'at least one opening range'],
    ['ranges that are not a list', { ...office(), weeklyHours: 'Mon-Fri' }, 'calendar.weeklyHours', 'at least one'],
    ['a range that is not an object', withHours(null), 'calendar.weeklyHours[0]', 'must be { day, start, end }'],
    ['day 7', withHours({ day: 7, start: '09:00', end: '17:00' }), 'calendar.weeklyHours[0].day', '0–6'],
    ['day 1.5', withHours({ day: 1.5, start: '09:00', end: '17:00' }), 'calendar.weeklyHours[0].day', '0–6'],
    ['start without a leading zero', withHours({ day: 1, start: '9:00', end: '17:00' }), 'calendar.weeklyHours[0].start', 'HH:MM'],
    ['start at 24:00', withHours({ day: 1, start: '24:00', end: '24:00' }), 'calendar.weeklyHours[0].start', '23:59'],
    ['end at 25:00', withHours({ day: 1, start: '09:00', end: '25:00' }), 'calendar.weeklyHours[0].end', 'HH:MM'],
    ['end at 17:60', withHours({ day: 1, start: '09:00', end: '17:60' }), 'calendar.weeklyHours[0].end', 'HH:MM'],
    ['end past 24:00', withHours({ day: 1, start: '09:00', end: '24:01' }), 'calendar.weeklyHours[0].end', 'HH:MM'],
    ['end equal to start', withHours({ day: 1, start: '09:00', end: '09:00' }), 'calendar.weeklyHours[0].end', 'after start (09:00)'],
    [
      'end before start, in the third range',
      withHours({ day: 1, start: '09:00', end: '12:00' }, { day: 2, start: '09:00', end: '12:00' }, { day: 3, start: '17:00', end: '09:00' }),
      'calendar.weeklyHours[2].end',
      'after start (17:00)',
    ],
    [
      'overlapping ranges on the same day, naming the later one',
      withHours({ day: 1, start: '09:00', end: '13:00' }, { day: 2, start: '09:00', end: '17:00' }, { day: 1, start: '12:00', end: '18:00' }),
      'calendar.weeklyHours[2]',
      'overlaps calendar.weeklyHours[0] (Monday 09:00–13:00)',
    ],
    [
      'a range inside another, listed first',
      withHours({ day: 3, start: '10:00', end: '11:00' }, { day: 3, start: '09:00', end: '17:00' }),
      'calendar.weeklyHours[1]',
      'overlaps calendar.weeklyHours[0] (Wednesday 10:00–11:00)',
    ],
    ['holidays that are not a list', { ...office(), holidays: '2025-12-25' }, 'calendar.holidays', 'YYYY-MM-DD'],
    ['a holiday on 30 February', office('UTC', ['2025-12-25', '2025-02-30']), 'calendar.holidays[1]', 'real date'],
    ['a holiday in another format', office('UTC', ['25/12/2025']), 'calendar.holidays[0]', 'real date'],
    ['a holiday without zero padding', office('UTC', ['2025-1-6']), 'calendar.holidays[0]', 'real date'],
  ])('rejects %s', (_name, calendar, field, message) => {
    const error = invalid(calendar);
    expect(error.fieldErrors).toEqual([{ field, message: expect.stringContaining(message) }]);
  });

  it('accepts ranges that touch (a lunch break with no gap) and a range ending at 24:00', () => {
    const calendar = withHours({ day: 1, start: '09:00', end: '12:00' }, { day: 1, start: '12:00', end: '24:00' });
    expect(validateCalendar(calendar as BusinessCalendar).weeklyHours).toHaveLength(2);
  });

  it('accepts the same hours on different days and a leap day holiday', () => {
    expect(() => validateCalendar(office('UTC', ['2028-02-29']))).not.toThrow();
  });

  it('returns a normalised copy: canonical zone, ranges by day and start, holidays sorted once', () => {
    const input: BusinessCalendar = {
      timeZone: 'europe/madrid',
      weeklyHours: [
        { day: 2, start: '14:00', end: '18:00' },
        { day: 1, start: '09:00', end: '13:00' },
        { day: 2, start: '09:00', end: '13:00' },
      ],
      holidays: ['2025-12-25', '2025-01-06', '2025-12-25'],
    };
    expect(validateCalendar(input)).toEqual({
      timeZone: 'Europe/Madrid',
      weeklyHours: [
        { day: 1, start: '09:00', end: '13:00' },
        { day: 2, start: '09:00', end: '13:00' },
        { day: 2, start: '14:00', end: '18:00' },
      ],
      holidays: ['2025-01-06', '2025-12-25'],
    });
    expect(input.weeklyHours[0].day).toBe(2);
  });

  it('ALWAYS_OPEN is a valid, frozen 24×7 UTC calendar', () => {
    expect(validateCalendar(ALWAYS_OPEN)).toEqual({
      timeZone: 'UTC',
      weeklyHours: [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, start: '00:00', end: '24:00' })),
      holidays: [],
    });
    expect(() => (ALWAYS_OPEN.holidays as string[]).push('2025-12-25')).toThrow(TypeError);
  });
});
