import pg from 'pg';

const TIMESTAMPTZ_OID = 1184;
const defaultTimestamptz = pg.types.getTypeParser(TIMESTAMPTZ_OID, 'text') as (text: string) => Date;

const ZERO = 48;
const digitsAt = (text: string, from: number, count: number): number => {
  let value = 0;
  for (let i = from; i < from + count; i++) {
    const digit = text.charCodeAt(i) - ZERO;
    if (digit < 0 || digit > 9) return Number.NaN;
    value = value * 10 + digit;
  }
  return value;
};

/**
 * PostgreSQL's text form of a `timestamptz` ("2026-11-29 15:45:00.849404+00", "… 12:45:00-03", "… 21:15:00+05:30",
 * in whatever TimeZone the session has) read by character codes instead of `pg`'s three regular expressions. The
 * fraction is cut to milliseconds, as `pg` does. Any other form (an offset with seconds, a BC date, a year before
 * 1000 or after 9999, infinity) goes to `pg`'s own parser, so the result is always `pg`'s.
 */
export function parseTimestamptz(text: string): Date {
  const length = text.length;
  if (length < 22 || text.charCodeAt(4) !== 45 || text.charCodeAt(10) !== 32) return defaultTimestamptz(text);
  let at = 19; // after the seconds: an optional fraction, then the offset
  let ms = 0;
  if (text.charCodeAt(at) === 46) {
    let end = at + 1;
    while (end < length && text.charCodeAt(end) >= ZERO && text.charCodeAt(end) <= ZERO + 9) end++;
    const digits = end - at - 1;
    if (digits < 1 || digits > 6) return defaultTimestamptz(text);
    const kept = Math.min(3, digits);
    ms = digitsAt(text, at + 1, kept) * (kept === 1 ? 100 : kept === 2 ? 10 : 1);
    at = end;
  }
  const sign = text.charCodeAt(at) === 43 ? 1 : text.charCodeAt(at) === 45 ? -1 : 0;
  let offsetMinutes = digitsAt(text, at + 1, 2) * 60;
  if (length === at + 6 && text.charCodeAt(at + 3) === 58) offsetMinutes += digitsAt(text, at + 4, 2);
  else if (length !== at + 3) return defaultTimestamptz(text);
  const separatorsOk = text.charCodeAt(7) === 45 && text.charCodeAt(13) === 58 && text.charCodeAt(16) === 58;
  const year = digitsAt(text, 0, 4);
  const [month, day] = [digitsAt(text, 5, 2), digitsAt(text, 8, 2)];
  const [hours, minutes, seconds] = [digitsAt(text, 11, 2), digitsAt(text, 14, 2), digitsAt(text, 17, 2)];
  const time = Date.UTC(year, month - 1, day, hours, minutes, seconds, ms);
  if (!sign || !separatorsOk || year < 1000 || Number.isNaN(time + offsetMinutes)) return defaultTimestamptz(text);
  return new Date(time - sign * offsetMinutes * 60_000);
}

/** The pool's type parsers: `pg`'s, but a faster one for `timestamptz` (every ticket row carries four or more). */
export const pgTypeParsers = {
  getTypeParser(oid: number, format?: 'text' | 'binary'): unknown {
    if (oid === TIMESTAMPTZ_OID && format !== 'binary') return parseTimestamptz;
    return pg.types.getTypeParser(oid, format);
  },
};
