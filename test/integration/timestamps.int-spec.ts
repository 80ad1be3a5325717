import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isoTime } from '../../src/adapters/http/iso-time.js';
import { parseTimestamptz, pgTypeParsers } from '../../src/adapters/persistence/pg-type-parsers.js';
import { testDatabaseUrl } from '../support/database.js';

const defaultParser = pg.types.getTypeParser(1184, 'text') as (text: string) => Date | number;

/**
 * The pool's timestamptz parser and the responses' ISO formatter, checked against what PostgreSQL itself says of
 * the same instants: its epoch milliseconds and its own ISO text.
 */
describe('timestamps between PostgreSQL and the JSON responses', () => {
  let client: pg.Client;

  beforeAll(async () => {
    client = new pg.Client({ connectionString: testDatabaseUrl(), types: pgTypeParsers });
    await client.connect();
  });

  afterAll(async () => {
    await client.end();
  });

  it.each(['UTC', 'America/Sao_Paulo', 'Asia/Kathmandu'])(
    'reads 20,000 random instants (0 to 6 fraction digits, session time zone %s) to the millisecond PostgreSQL gives',
    async (zone) => {
      await client.query(`SET TIME ZONE '${zone}'`);
      const { rows } = await client.query<{ t: Date; text: string; ms: string; iso: string }>(`
        SELECT t, t::text AS text, floor(extract(epoch FROM t) * 1000)::bigint::text AS ms,
               to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS iso
        FROM (SELECT date_trunc(
                       (ARRAY['second', 'milliseconds', 'microseconds', 'microseconds'])[1 + i % 4],
                       to_timestamp(-30610224000 + random() * 284000000000)) AS t -- years 1000 to 9999
              FROM generate_series(1, 20000) AS i) AS instants`);
      expect(rows.some((r) => /:\d\d[+-]\d\d(:\d\d)?$/.test(r.text))).toBe(true); // whole seconds, no fraction
      expect(rows.some((r) => /\.\d{6}[+-]\d\d(:\d\d)?$/.test(r.text))).toBe(true);
      for (const row of rows) {
        expect(row.t).toBeInstanceOf(Date);
        expect([row.text, row.t.getTime()]).toEqual([row.text, Number(row.ms)]);
        expect([row.text, isoTime(row.t)]).toEqual([row.text, row.iso]);
      }
  
    },
  );

  it('reads offsets in minutes itself and hands other forms to pg’s parser: offsets with seconds, BC, early years, infinity', async () => {
    // 1890 is before these zones' standard offsets: PostgreSQL writes local mean time, "-03:06:28", "+05:53:28".
    for (const zone of ['America/Sao_Paulo', 'Asia/Kolkata', 'Asia/Kathmandu']) {
      await client.query(`SET TIME ZONE '${zone}'`);
      const { rows } = await client.query<{ t: Date; ms: string }>(
        `SELECT t, floor(extract(epoch FROM t) * 1000)::bigint::text AS ms
         FROM (VALUES (timestamptz '2026-11-29 15:45:00.849404+00'), (timestamptz '1890-03-01 12:00:00+00')) AS v(t)`,
      );
      for (const row of rows) expect(row.t.getTime()).toBe(Number(row.ms));
    }
    await client.query('SET TIME ZONE UTC');
    const { rows } = await client.query<{ t: Date | number; text: string }>(
      `SELECT t, t::text AS text FROM (VALUES (timestamptz '0044-03-15 12:00:00+00 BC'), (timestamptz '0099-12-31 23:59:59.5+00'),
         (timestamptz 'infinity'), (timestamptz '-infinity'), (timestamptz '9999-12-31 23:59:59.999999+00')) AS v(t)`,
    );
    for (const row of rows) expect(row.t).toEqual(defaultParser(row.text));
    expect(rows.map((r) => (r.t instanceof Date ? r.t.toISOString() : r.t))).toEqual([
      '-000043-03-15T12:00:00.000Z',
      '0099-12-31T23:59:59.500Z',
      Infinity,
      -Infinity,
      '9999-12-31T23:59:59.999Z',
    ]);
  });

  it('never reads a malformed text as a date of its own making', () => {
    for (const text of ['2026-11-29 15:45:00.+00', '2026-11-29 15:45:0x.123+00', '2026-11-29T15:45:00+00', '2026-11-29 15:45:00.1234567+00']) {
      const ours = parseTimestamptz(text);
      const theirs = defaultParser(text);
      expect([text, ours instanceof Date ? ours.getTime() : ours]).toEqual([text, theirs instanceof Date ? theirs.getTime() : theirs]);
    }
  });

  it('formats like toISOString outside 0000–9999 and throws the same RangeError for an invalid date', () => {
    for (const ms of [-62_198_755_200_000, 253_402_300_800_000, -1, 0, 1e15]) {
      expect(isoTime(new Date(ms))).toBe(new Date(ms).toISOString());
    }
    expect(() => isoTime(new Date(Number.NaN))).toThrow(RangeError);
  });
});
