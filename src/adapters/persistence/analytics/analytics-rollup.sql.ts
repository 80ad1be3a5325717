import { histogramBinSql } from '../../../core/analytics/duration-histogram.js';
import { FINISHED_STATUSES, OPEN_STATUSES, sqlStatusList } from '../../../core/tickets/ticket-lifecycle.js';

/**
 * The SQL of the analytics rollups, written once: the facts of a ticket from its raw rows, what a set of facts
 * contributes to each rollup (signed, so a refresh subtracts the old facts and adds the new), and the upserts.
 * Every rollup is `contributions(facts)` summed per key, whether built by the worker one ticket at a time or by
 * the rebuild over every ticket.
 */

/** The key standing for "none" (no group, no category, unassigned). */
export const NONE_KEY = '00000000-0000-0000-0000-000000000000';

const OPEN = sqlStatusList(OPEN_STATUSES);
const FINISHED = sqlStatusList(FINISHED_STATUSES);

/** Columns of analytics_ticket_facts with their types (for jsonb_to_recordset). */
export const FACT_COLUMNS = [
  ['ticket_id', 'uuid'],
  ['created_at', 'timestamptz'],
  ['resolved_at', 'timestamptz'],
  ['group_key', 'uuid'],
  ['category_key', 'uuid'],
  ['priority', 'text'],
  ['agent_key', 'uuid'],
  ['status', 'text'],
  ['reopened', 'boolean'],
  ['fr_micros', 'bigint'],
  ['res_micros', 'bigint'],
  ['fr_met', 'boolean'],
  ['fr_breached', 'boolean'],
  ['res_met', 'boolean'],
  ['res_breached', 'boolean'],
  ['rating', 'smallint'],
] as const;
const FACT_NAMES = FACT_COLUMNS.map(([name]) => name).join(', ');

const micros = (later: string, earlier: string) => `greatest(0, (extract(epoch FROM ${later} - ${earlier}) * 1000000)::bigint)`;

/**
 * The facts of live tickets, from the raw rows: `where` selects tickets (alias t). A ticket is reopened when its
 * activity shows a status change from a finished to an open status; SLA figures come from the SLA engine's row
 * (first_responded_at, resolved_at and the breach flags); `sla_behind` marks a reopened ticket whose resolution
 * clock the SLA worker has not restarted yet.
 */
export function factsFromRowsSql(where: string): string {
  return `SELECT t.id AS ticket_id, t.created_at, t.resolved_at,
      coalesce(t.group_id, '${NONE_KEY}') AS group_key, coalesce(t.category_id, '${NONE_KEY}') AS category_key,
      t.priority, coalesce(t.assignee_id, '${NONE_KEY}') AS agent_key, t.status,
      EXISTS (SELECT 1 FROM ticket_activity a WHERE a.ticket_id = t.id AND a.type = 'status_changed'
              AND a.old_value #>> '{}' IN (${FINISHED}) AND a.new_value #>> '{}' IN (${OPEN})) AS reopened,
      CASE WHEN s.first_responded_at IS NOT NULL THEN ${micros('s.first_responded_at', 't.created_at')} END AS fr_micros,
      CASE WHEN t.resolved_at IS NOT NULL THEN ${micros('t.resolved_at', 't.created_at')} END AS res_micros,
      coalesce(s.first_responded_at IS NOT NULL AND NOT s.first_response_breached, false) AS fr_met,
      coalesce(s.first_response_breached, false) AS fr_breached,
      coalesce(s.resolved_at IS NOT NULL AND NOT s.resolution_breached, false) AS res_met,
      coalesce(s.resolution_breached, false) AS res_breached,
      ${RATING_SQL} AS rating,
      (s.resolved_at IS NOT NULL AND t.status IN (${OPEN})) AS sla_behind
    FROM tickets t LEFT JOIN ticket_sla s ON s.ticket_id = t.id
    WHERE t.deleted_at IS NULL AND (${where})`;
}

/** The ticket's satisfaction rating: its latest (the one the ticket shows; a new resolution's rating replaces it). */
const RATING_SQL = `(SELECT r.rating FROM ticket_ratings r WHERE r.ticket_id = t.id ORDER BY r.rated_at DESC, r.id DESC LIMIT 1)`;

/** Measure columns of the rollups: what a ticket adds on the day it was created, and on the day it was resolved. */
const MEASURES: { column: string; created?: string; resolved?: string }[] = [
  { column: 'created', created: '1' },
  { column: 'open', created: `(f.status IN (${OPEN}))::int` },
  { column: 'reopened', created: 'f.reopened::int' },
  { column: 'sla_breached', created: '(f.fr_breached OR f.res_breached)::int' },
  { column: 'fr_count', created: '(f.fr_micros IS NOT NULL)::int' },
  { column: 'fr_micros', created: 'coalesce(f.fr_micros, 0)' },
  { column: 'fr_met', created: 'f.fr_met::int' },
  { column: 'fr_breached', created: 'f.fr_breached::int' },
  { column: 'res_met', created: 'f.res_met::int' },
  { column: 'res_breached', created: 'f.res_breached::int' },
  { column: 'rating_count', created: '(f.rating IS NOT NULL)::int' },
  { column: 'rating_sum', created: 'coalesce(f.rating, 0)' },
  ...[1, 2, 3, 4, 5].map((r) => ({ column: `rating_${r}`, created: `coalesce(f.rating = ${r}, false)::int` })),
  { column: 'resolved', resolved: '1' },
  { column: 'res_micros', resolved: 'f.res_micros' },
];
export const MEASURE_COLUMNS = MEASURES.map((m) => m.column);

/** Histogram metrics: 1 first response, 2 resolution. */
export const METRIC = { firstResponse: 1, resolution: 2 } as const;

const UTC_DAY = `(c.at AT TIME ZONE 'UTC')::date`;

const binOf = (column: string) => histogramBinSql(`(${column}::float8 / 60000000.0)`);

const KEY_COLUMNS = 'f.group_key, f.category_key, f.priority, f.agent_key, f.status';

/**
 * Signed contributions of the facts in CTE `f` (facts columns plus `sign`): one row per ticket for its creation
 * (at = created_at) and one for its resolution (at = resolved_at).
 */
export const CONTRIBUTIONS_SQL = `
  SELECT f.created_at AS at, ${KEY_COLUMNS}, ${MEASURES.map((m) => `f.sign * (${m.created ?? '0'})::bigint AS ${m.column}`).join(', ')}
  FROM f
  UNION ALL
  SELECT f.resolved_at, ${KEY_COLUMNS}, ${MEASURES.map((m) => `f.sign * (${m.resolved ?? '0'})::bigint`).join(', ')}
  FROM f WHERE f.resolved_at IS NOT NULL`;

/** Signed histogram entries of the facts in CTE `f`: first response at creation, resolution at resolution. */
export const HISTOGRAM_SQL = `
  SELECT f.created_at AS at, ${KEY_COLUMNS}, ${METRIC.firstResponse}::smallint AS metric, ${binOf('f.fr_micros')} AS bin, f.sign::bigint AS n
  FROM f WHERE f.fr_micros IS NOT NULL
  UNION ALL
  SELECT f.resolved_at, ${KEY_COLUMNS}, ${METRIC.resolution}::smallint, ${binOf('f.res_micros')}, f.sign::bigint
  FROM f WHERE f.resolved_at IS NOT NULL`;

/** The key standing for "any" in a rollup row summed over that key (no filter on it). */
export const ALL_KEY = 'ffffffff-ffff-ffff-ffff-ffffffffffff';
export const ALL_PRIORITY = '*';

/**
 * Lengths in days of the blocks the rollups are kept for, each aligned on 1970-01-01: a range of whole UTC days
 * reads a handful of blocks (a 30-day range 7 on average and 12 at most, a year at most 20) instead of one row per day.
 */
export const BLOCK_SPANS = [1, 4, 16, 64] as const;

/**
 * A rollup and its histogram, keyed by block (span, first day) and these fact columns. Each row is also summed
 * over every subset of the `cube` keys (standing as ALL_KEY / ALL_PRIORITY), so a query filtering on any of them,
 * or on none, reads exactly one row (one row per bin) per block.
 */
export interface BlockRollup {
  table: string;
  histogram: string;
  /** Key columns, in primary-key order after (span, day). */
  keys: readonly string[];
  cube: readonly string[];
}

export const DASHBOARD_ROLLUP: BlockRollup = {
  table: 'analytics_blocks',
  histogram: 'analytics_blocks_hist',
  keys: ['group_key', 'category_key', 'priority'],
  cube: ['group_key', 'category_key', 'priority'],
};
export const AGENT_ROLLUP: BlockRollup = {
  table: 'analytics_agent_blocks',
  histogram: 'analytics_agent_blocks_hist',
  keys: ['group_key', 'agent_key'],
  cube: ['group_key'],
};
export const BLOCK_ROLLUPS = [DASHBOARD_ROLLUP, AGENT_ROLLUP] as const;

/**
 * The open tickets now, counted per status, priority, category and assignee (`dimension`, `value`), for every
 * combination of the filterable keys and "any": a dashboard's backlog is one index range of about a hundred rows.
 */
export const BACKLOG_KEYS = ['group_key', 'category_key', 'priority'] as const;
export const BACKLOG_DIMENSIONS = { status: 'status', priority: 'priority', category: 'category', agent: 'agent' } as const;
const BACKLOG_DIMENSIONS_SQL = `('${BACKLOG_DIMENSIONS.status}', f.status), ('${BACKLOG_DIMENSIONS.priority}', f.priority),
  ('${BACKLOG_DIMENSIONS.category}', f.category_key::text), ('${BACKLOG_DIMENSIONS.agent}', f.agent_key::text)`;

/**
 * Tickets created and resolved per quarter hour (aligned on 1970-01-01 UTC), for every combination of the filterable
 * keys and "any": the per-day counts of a zone whose midnights are not UTC midnights, summed over the quarters of
 * each local day. Every zone offset in use today is a whole number of quarter hours.
 */
export const QUARTERS_TABLE = 'analytics_quarters';
export const QUARTER_MS = 15 * 60_000;

/** The first day of the `span`-day block holding `day` (both SQL dates; floor division, so any date works). */
export const blockStartSql = (day: string, span: string) => `(${day} - (((${day} - DATE '1970-01-01') % ${span} + ${span}) % ${span}))`;

/** The value a key column holds in a row summed over it. */
const allValue = (key: string) => (key === 'priority' ? `'${ALL_PRIORITY}'` : `'${ALL_KEY}'::uuid`);

/**
 * Data-modifying CTEs adding the contributions of the facts in CTE `f` (facts columns plus `sign`) to each
 * rollup, in key order; rows whose sums do not change are not written (a replay writes nothing). Contributions
 * are first summed per UTC day, then spread over the blocks holding that day and over the key cube.
 */
function applyCtes(): string[] {
  const ctes: string[] = [];
  const spans = `unnest('{${BLOCK_SPANS.join(',')}}'::smallint[]) AS s(span)`;
  BLOCK_ROLLUPS.forEach((r, i) => {
    const keys = r.keys.join(', ');
    const plain = r.keys.filter((k) => !r.cube.includes(k)).map((k) => `b.${k}`);
    const groupKeys = [...plain, `CUBE(${r.cube.map((k) => `b.${k}`).join(', ')})`].join(', ');
    const keyValues = r.keys.map((k) => (r.cube.includes(k) ? `coalesce(b.${k}, ${allValue(k)})` : `b.${k}`)).join(', ');
    const order = Array.from({ length: r.keys.length + 2 }, (_, n) => n + 1).join(', ');
    const cKeys = r.keys.map((k) => `c.${k}`).join(', ');
    const blocks = (daily: string, columns: string) =>
      `(SELECT s.span, ${blockStartSql('d.day', 's.span')} AS day, ${columns} FROM (${daily}) d CROSS JOIN ${spans}) b`;
    ctes.push(`rollup_${i} AS (
      INSERT INTO ${r.table} (span, day, ${keys}, ${MEASURE_COLUMNS.join(', ')})
      SELECT b.span, b.day, ${keyValues}, ${MEASURE_COLUMNS.map((m) => `sum(b.${m})`).join(', ')}
      FROM ${blocks(
        `SELECT ${UTC_DAY} AS day, ${cKeys}, ${MEASURE_COLUMNS.map((m) => `sum(c.${m}) AS ${m}`).join(', ')}
         FROM (${CONTRIBUTIONS_SQL}) c GROUP BY ${UTC_DAY}, ${cKeys}`,
        `d.${r.keys.join(', d.')}, ${MEASURE_COLUMNS.map((m) => `d.${m}`).join(', ')}`,
      )}
      GROUP BY b.span, b.day, ${groupKeys}
      HAVING ${MEASURE_COLUMNS.map((m) => `sum(b.${m}) <> 0`).join(' OR ')}
      ORDER BY ${order}
      ON CONFLICT (span, day, ${keys}) DO UPDATE SET ${MEASURE_COLUMNS.map((m) => `${m} = ${r.table}.${m} + EXCLUDED.${m}`).join(', ')})`);
    ctes.push(`histogram_${i} AS (
      INSERT INTO ${r.histogram} (span, day, ${keys}, metric, bin, n)
      SELECT b.span, b.day, ${keyValues}, b.metric, b.bin, sum(b.n)
      FROM ${blocks(
        `SELECT ${UTC_DAY} AS day, ${cKeys}, c.metric, c.bin, sum(c.n) AS n
         FROM (${HISTOGRAM_SQL}) c GROUP BY ${UTC_DAY}, ${cKeys}, c.metric, c.bin`,
        `d.${r.keys.join(', d.')}, d.metric, d.bin, d.n`,
      )}
      GROUP BY b.span, b.day, ${groupKeys}, b.metric, b.bin HAVING sum(b.n) <> 0
      ORDER BY ${order}, ${r.keys.length + 3}, ${r.keys.length + 4}
      ON CONFLICT (span, day, ${keys}, metric, bin) DO UPDATE SET n = ${r.histogram}.n + EXCLUDED.n)`);
  });
  ctes.push(`backlog AS (
    INSERT INTO analytics_backlog (group_key, category_key, priority, dimension, value, n)
    SELECT ${BACKLOG_KEYS.map((k) => `coalesce(b.${k}, ${allValue(k)})`).join(', ')}, b.dimension, b.value, sum(b.sign)
    FROM (SELECT f.sign, f.group_key, f.category_key, f.priority, d.dimension, d.value
          FROM f CROSS JOIN LATERAL (VALUES ${BACKLOG_DIMENSIONS_SQL}) AS d(dimension, value)
          WHERE f.status IN (${OPEN})) b
    GROUP BY b.dimension, b.value, CUBE(${BACKLOG_KEYS.map((k) => `b.${k}`).join(', ')})
    HAVING sum(b.sign) <> 0 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (group_key, category_key, priority, dimension, value) DO UPDATE SET n = analytics_backlog.n + EXCLUDED.n)`);
  ctes.push(`quarters AS (
    INSERT INTO ${QUARTERS_TABLE} (${BACKLOG_KEYS.join(', ')}, quarter, created, resolved)
    SELECT ${BACKLOG_KEYS.map((k) => `coalesce(q.${k}, ${allValue(k)})`).join(', ')}, q.quarter, sum(q.created), sum(q.resolved)
    FROM (SELECT c.group_key, c.category_key, c.priority, c.created, c.resolved,
            date_bin('${QUARTER_MS / 60_000} minutes', c.at, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS quarter
          FROM (${CONTRIBUTIONS_SQL}) c) q
    GROUP BY q.quarter, CUBE(${BACKLOG_KEYS.map((k) => `q.${k}`).join(', ')})
    HAVING sum(q.created) <> 0 OR sum(q.resolved) <> 0 ORDER BY 1, 2, 3, 4
    ON CONFLICT (${BACKLOG_KEYS.join(', ')}, quarter)
    DO UPDATE SET created = ${QUARTERS_TABLE}.created + EXCLUDED.created, resolved = ${QUARTERS_TABLE}.resolved + EXCLUDED.resolved)`);
  return ctes;
}

/**
 * One statement (one snapshot) refreshing the tickets `$1` (uuid[]): their new facts from the raw rows replace
 * the old ones, and each rollup gets new − old. Returns the ids whose SLA clocks lag behind the ticket. The
 * caller holds a per-ticket lock, so two refreshes of a ticket never interleave.
 */
export const REFRESH_SQL = `WITH
  new_facts AS (${factsFromRowsSql('t.id = ANY($1::uuid[])')}),
  old_facts AS (SELECT ${FACT_NAMES} FROM analytics_ticket_facts WHERE ticket_id = ANY($1::uuid[])),
  upserted AS (
    INSERT INTO analytics_ticket_facts (${FACT_NAMES}) SELECT ${FACT_NAMES} FROM new_facts ORDER BY ticket_id
    ON CONFLICT (ticket_id) DO UPDATE SET ${FACT_COLUMNS.slice(1).map(([n]) => `${n} = EXCLUDED.${n}`).join(', ')}),
  removed AS (
    DELETE FROM analytics_ticket_facts WHERE ticket_id = ANY($1::uuid[])
      AND ticket_id NOT IN (SELECT ticket_id FROM new_facts)),
  f AS (SELECT -1 AS sign, * FROM old_facts UNION ALL SELECT 1 AS sign, ${FACT_NAMES} FROM new_facts),
  ${applyCtes().join(',\n  ')}
  SELECT ticket_id FROM new_facts WHERE sla_behind`;

/** Rebuild: every live ticket's facts from the raw rows (into the emptied facts table). */
export const REBUILD_FACTS_SQL = `INSERT INTO analytics_ticket_facts (${FACT_NAMES})
  SELECT ${FACT_NAMES} FROM (${factsFromRowsSql('true')}) n`;

/** Rebuild: every rollup from the facts (into emptied tables). */
export const REBUILD_ROLLUPS_SQL = `WITH f AS (SELECT 1 AS sign, ${FACT_NAMES} FROM analytics_ticket_facts),
  ${applyCtes().join(',\n  ')}
  SELECT 1`;

export const ANALYTICS_TABLES = [
  'analytics_ticket_facts',
  ...BLOCK_ROLLUPS.flatMap((r) => [r.table, r.histogram]),
  'analytics_backlog',
  QUARTERS_TABLE,
];

export { FACT_NAMES };
