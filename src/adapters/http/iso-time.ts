const DAY_MS = 86_400_000;
const two = (n: number) => (n < 10 ? `0${n}` : `${n}`);
const three = (n: number) => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);

// The date part ("2026-11-29T") of the last day formatted: a page of tickets mostly shares a few days.
let cachedDay = Number.NaN;
let cachedDayText = '';

/**
 * `date.toISOString()`, about four times faster: the date part is formatted once per UTC day and reused, the time
 * of day by arithmetic. Every response carries several timestamps per ticket, and V8's `toISOString` was the
 * largest single cost of turning a page of tickets into JSON. Years outside 0000–9999 and invalid dates take
 * `toISOString` itself (same text, same RangeError).
 */
export function isoTime(date: Date): string {
  const ms = date.getTime();
  const day = Math.floor(ms / DAY_MS) * DAY_MS;
  if (day !== cachedDay) {
    if (!Number.isFinite(day)) return date.toISOString();
    const text = new Date(day).toISOString();
    if (text.length !== 24) return date.toISOString();
    cachedDay = day;
    cachedDayText = text.slice(0, 11);
  }
  let rest = ms - day;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  return `${cachedDayText}${two(hours)}:${two(minutes)}:${two(seconds)}.${three(rest - seconds * 1000)}Z`;
}

export const isoTimeOrNull = (date: Date | null | undefined): string | null => (date ? isoTime(date) : null);
