import type { DataSource } from 'typeorm';
import { emptyTally, type Tally } from '../../../core/analytics/analytics-figures.js';
import {
  AnalyticsQueries,
  type AgentTally,
  type AnalyticsFilter,
  type Backlog,
  type DashboardData,
  type DayFigures,
  type OpenStatus,
  type StaffMember,
} from '../../../core/analytics/analytics-queries.port.js';
import { epochDayToDate, rangePieces, type AnalyticsRange } from '../../../core/analytics/analytics-range.js';
import { prepared } from '../prepared.js';
import { addToHistogram } from '../../../core/analytics/duration-histogram.js';
import { PRIORITIES, type Priority } from '../../../core/tickets/priority-matrix.js';
import { OPEN_STATUSES } from '../../../core/tickets/ticket-lifecycle.js';
import {
  AGENT_ROLLUP,
  ALL_KEY,
  ALL_PRIORITY,
  BACKLOG_DIMENSIONS,
  BACKLOG_KEYS,
  BLOCK_SPANS,
  CONTRIBUTIONS_SQL,
  DASHBOARD_ROLLUP,
  FACT_NAMES,
  HISTOGRAM_SQL,
  MEASURE_COLUMNS,
  METRIC,
  NONE_KEY,
  QUARTER_MS,
  QUARTERS_TABLE,
  type BlockRollup,
} from './analytics-rollup.sql.js';

type Row = Record<string, unknown>;
type RollupFilter = AnalyticsFilter & { agentIds?: readonly string[] };

/**
 * The aligned blocks covering the epoch days [firstDay, endDay): from the left, the longest block of BLOCK_SPANS
 * that starts on the day and ends inside the range.
 */
export function dayBlocks(firstDay: number, endDay: number): { span: number; day: number }[] {
  const blocks: { span: number; day: number }[] = [];
  for (let day = firstDay; day < endDay; ) {
    const span = [...BLOCK_SPANS].reverse().find((s) => ((day % s) + s) % s === 0 && day + s <= endDay) ?? 1;
    blocks.push({ span, day });
    day += span;
  }
  return blocks;
}

/** The value a filter asks for on each filterable key column (undefined: not filtered), and the column's SQL cast. */
const askedFor = (filter: AnalyticsFilter): Record<string, string | undefined> => ({
  group_key: filter.groupId,
  category_key: filter.categoryId,
  priority: filter.priority,
});
const castOf = (key: string) => (key === 'priority' ? '' : '::uuid');
const agentCondition = (params: unknown[], agentIds: readonly string[]) => `agent_key = ANY($${params.push(agentIds)}::uuid[])`;

/** The filter on a block rollup's keys: each filterable key equals the value asked, or "any" when not asked. */
function rollupConditions(params: unknown[], rollup: Pick<BlockRollup, 'keys' | 'cube'>, filter: RollupFilter): string[] {
  const asked = askedFor(filter);
  return rollup.keys.flatMap((key) => {
    if (rollup.cube.includes(key)) {
      // The "any" key is a valid uuid a caller may send: as an id it names nothing, so it matches nothing.
      if (asked[key]?.toLowerCase() === ALL_KEY) return ['false'];
      return [`${key} = $${params.push(asked[key] ?? (key === 'priority' ? ALL_PRIORITY : ALL_KEY))}${castOf(key)}`];
    }
    return key === 'agent_key' && filter.agentIds !== undefined ? [agentCondition(params, filter.agentIds)] : [];
  });
}

/** The filter on the per-ticket facts: each key asked equals its value. */
function factConditions(params: unknown[], filter: RollupFilter): string[] {
  const conditions = Object.entries(askedFor(filter)).flatMap(([key, value]) =>
    value === undefined ? [] : [`${key} = $${params.push(value)}${castOf(key)}`],
  );
  return filter.agentIds !== undefined ? [...conditions, agentCondition(params, filter.agentIds)] : conditions;
}

const where = (conditions: string[]) => (conditions.length ? `WHERE ${conditions.join(' AND ')}` : '');
const MEASURE_SUMS = MEASURE_COLUMNS.map((m) => `coalesce(sum(${m}), 0)::float8 AS ${m}`).join(', ');

function addMeasures(tally: Tally, r: Row): void {
  const n = (column: string) => Number(r[column] ?? 0);
  tally.created += n('created');
  tally.open += n('open');
  tally.reopened += n('reopened');
  tally.slaBreached += n('sla_breached');
  tally.firstResponseCount += n('fr_count');
  tally.firstResponseMicros += n('fr_micros');
  tally.firstResponseMet += n('fr_met');
  tally.firstResponseBreached += n('fr_breached');
  tally.resolutionMet += n('res_met');
  tally.resolutionBreached += n('res_breached');
  tally.ratingCount += n('rating_count');
  tally.ratingSum += n('rating_sum');
  for (let i = 0; i < 5; i++) tally.ratings[i] += n(`rating_${i + 1}`);
  tally.resolved += n('resolved');
  tally.resolutionMicros += n('res_micros');
}

/** Adds a row of `binsSql`: histogram entries as three arrays (metric, bin, count; null when there are none). */
function addBins(tally: Tally, r: Row): void {
  const [metrics, bins, counts] = [r.metrics, r.bins, r.counts] as (number[] | null)[];
  for (let i = 0; i < (bins?.length ?? 0); i++) {
    addToHistogram(metrics![i] === METRIC.firstResponse ? tally.firstResponse : tally.resolution, bins![i]!, counts![i]!);
  }
}

/**
 * Histogram entries (`entries`: rows of `select`metric, bin, n) as three arrays, per value of `select` when given;
 * a bin may be listed several times (addBins sums them). A team view carries thousands of entries: much cheaper to
 * send that way than as rows, and cheaper to sum in the API than to sort and group in PostgreSQL.
 */
const binsSql = (select: string, entries: string) =>
  `SELECT ${select}array_agg(metric) AS metrics, array_agg(bin) AS bins, array_agg(n) AS counts FROM (${entries}) e
   ${select ? `GROUP BY ${select.replace(/, $/, '')}` : ''}`;

const BACKLOG_ROLLUP = { keys: BACKLOG_KEYS, cube: BACKLOG_KEYS };

/** The open tickets now per status, priority, category and assignee, with the names of categories and agents. */
function backlogSql(params: unknown[], filter: AnalyticsFilter): string {
  const name = (table: string, dimension: string) =>
    `(SELECT x.name FROM ${table} x WHERE x.id = CASE WHEN b.dimension = '${dimension}' THEN b.value::uuid END)`;
  return `SELECT b.dimension, b.value, b.n::float8 AS n, ${name('categories', BACKLOG_DIMENSIONS.category)} AS category_name,
      ${name('users', BACKLOG_DIMENSIONS.agent)} AS agent_name
    FROM analytics_backlog b ${where([...rollupConditions(params, BACKLOG_ROLLUP, filter), 'b.n <> 0'])}`;
}

function toBacklog(rows: Row[]): Backlog {
  const byStatus = Object.fromEntries(OPEN_STATUSES.map((s) => [s, 0])) as Record<OpenStatus, number>;
  const byPriority = Object.fromEntries(PRIORITIES.map((p) => [p, 0])) as Record<Priority, number>;
  type Entry = { id: string | null; name: string | null; count: number };
  const categories: Entry[] = [];
  const agents: Entry[] = [];
  const entry = (key: string, name: unknown, count: number): Entry =>
    key === NONE_KEY ? { id: null, name: null, count } : { id: key, name: name == null ? null : String(name), count };
  for (const r of rows) {
    const [value, n] = [String(r.value), Number(r.n)];
    if (r.dimension === BACKLOG_DIMENSIONS.status) byStatus[value as OpenStatus] = n;
    else if (r.dimension === BACKLOG_DIMENSIONS.priority) byPriority[value as Priority] = n;
    else if (r.dimension === BACKLOG_DIMENSIONS.category) categories.push(entry(value, r.category_name, n));
    else if (r.dimension === BACKLOG_DIMENSIONS.agent) agents.push(entry(value, r.agent_name, n));
  }
  const sorted = (list: Entry[]) =>
    list.sort((a, b) => b.count - a.count || (a.name ?? '').localeCompare(b.name ?? '') || (a.id ?? '').localeCompare(b.id ?? ''));
  return {
    byStatus,
    byPriority,
    byCategory: sorted(categories).map(({ id, name, count }) => ({ categoryId: id, name, count })),
    byAssignee: sorted(agents).map(({ id, name, count }) => ({ agentId: id, name, count })),
  };
}

/** One part of an answer: a query whose rows (as JSON objects) `apply` takes in. */
interface Read {
  sql: string;
  apply(rows: Row[]): void;
  /** Reads the per-ticket facts of the whole range: its best plan depends on the range's length. */
  scansFacts?: boolean;
  /** A common table expression it reads, computed once per statement however many parts read it. */
  shared?: { name: string; sql: string };
}

/**
 * Reads the rollups. A range is answered from the block rollups for the whole UTC days inside it, plus the
 * per-ticket facts for the partial UTC days at its edges (only when the zone's midnights are not UTC midnights),
 * so every figure is exact in any zone. Each answer is one statement (one round trip, one snapshot): its parts are
 * subqueries aggregated to JSON, one column each.
 */
export class SqlAnalyticsQueries extends AnalyticsQueries {
  constructor(private readonly db: DataSource) {
    super();
  }

  async dashboard(range: AnalyticsRange, filter: AnalyticsFilter): Promise<DashboardData> {
    const params: unknown[] = [];
    const tallies = new Map<string, Tally>();
    const perDay = range.days.map((date) => ({ date, created: 0, resolved: 0 }));
    const backlog: Row[] = [];
    await this.run(params, [
      ...this.tallyReads(params, range, DASHBOARD_ROLLUP, filter, null, tallies),
      ...this.perDayReads(params, range, filter, perDay),
      { sql: backlogSql(params, filter), apply: (rows) => backlog.push(...rows) },
    ]);
    return { tally: tallies.get('') ?? emptyTally(), perDay, backlog: toBacklog(backlog) };
  }

  async agentTallies(range: AnalyticsRange, agentIds: readonly string[], groupId?: string): Promise<AgentTally[]> {
    if (!agentIds.length) return [];
    const filter = { ...(groupId !== undefined ? { groupId } : {}), agentIds };
    const params: unknown[] = [];
    const tallies = new Map<string, Tally>();
    const openBy = new Map<string, number>();
    await this.run(params, [
      ...this.tallyReads(params, range, AGENT_ROLLUP, filter, 'agent_key', tallies),
      {
        sql: `SELECT b.value, b.n::float8 AS n FROM analytics_backlog b
              ${where([...rollupConditions(params, BACKLOG_ROLLUP, { groupId }), `b.dimension = '${BACKLOG_DIMENSIONS.agent}'`, `b.value = ANY($${params.push(agentIds)}::text[])`])}`,
        apply: (rows) => rows.forEach((r) => openBy.set(String(r.value), Number(r.n))),
      },
    ]);
    return agentIds.map((agentId) => ({ agentId, tally: tallies.get(agentId) ?? emptyTally(), open: openBy.get(agentId) ?? 0 }));
  }

  /**
   * Runs the reads as one statement, parameters shared: prepared (it reads rollup rows by key, and facts of at most
   * two partial days), unless a part scans the facts of the whole range, which is planned for its values.
   */
  private async run(params: unknown[], reads: Read[]): Promise<void> {
    const columns = reads.map((r, i) => `(SELECT coalesce(json_agg(x), '[]'::json) FROM (${r.sql}) x) AS r${i}`);
    const shared = new Map(reads.flatMap((r) => (r.shared ? [[r.shared.name, r.shared.sql] as const] : [])));
    const ctes = [...shared].map(([name, sql]) => `${name} AS MATERIALIZED (${sql})`);
    const sql = `${ctes.length ? `WITH ${ctes.join(', ')} ` : ''}SELECT ${columns.join(', ')}`;
    const [row]: Row[] = await this.db.query(reads.some((r) => r.scansFacts) ? sql : prepared(sql), params);
    reads.forEach((r, i) => r.apply(row![`r${i}`] as Row[]));
  }

  /** Sums over the range into `tallies`, per value of `groupBy` ('' when null). */
  private tallyReads(
    params: unknown[],
    range: AnalyticsRange,
    rollup: BlockRollup,
    filter: RollupFilter,
    groupBy: 'agent_key' | null,
    tallies: Map<string, Tally>,
  ): Read[] {
    const pieces = rangePieces(range);
    const tallyOf = (r: Row) => {
      const key = groupBy ? String(r[groupBy]) : '';
      let tally = tallies.get(key);
      if (!tally) tallies.set(key, (tally = emptyTally()));
      return tally;
    };
    const measures = (sql: string, shared?: Read['shared']): Read => ({
      sql,
      apply: (rows) => rows.forEach((r) => addMeasures(tallyOf(r), r)),
      shared,
    });
    const bins = (entries: string, shared?: Read['shared']): Read => ({
      sql: binsSql(select, entries),
      apply: (rows) => rows.forEach((r) => addBins(tallyOf(r), r)),
      shared,
    });
    const select = groupBy ? `${groupBy}, ` : '';
    const group = groupBy ? `GROUP BY ${groupBy}` : '';
    const reads: Read[] = [];

    if (pieces.firstDay < pieces.endDay) {
      const blocks = dayBlocks(pieces.firstDay, pieces.endDay);
      params.push(blocks.map((b) => b.span), blocks.map((b) => epochDayToDate(b.day)));
      const p = params.length;
      const from = (table: string) => `${table} JOIN unnest($${p - 1}::smallint[], $${p}::date[]) AS p(span, day) USING (span, day)`;
      const conditions = where(rollupConditions(params, rollup, filter));
      reads.push(
        measures(`SELECT ${select}${MEASURE_SUMS} FROM ${from(rollup.table)} ${conditions} ${group}`),
        bins(`SELECT ${select}metric, bin, n FROM ${from(rollup.histogram)} ${conditions}`),
      );
    }

    if (pieces.edges.length) {
      const within = (column: string) =>
        pieces.edges
          .map((e) => {
            params.push(new Date(e.start), new Date(e.end));
            return `(${column} >= $${params.length - 1} AND ${column} < $${params.length})`;
          })
          .join(' OR ');
      // The facts of the tickets created or resolved in the edges, read once for the sums and the histograms.
      const facts = {
        name: `edge_facts_${rollup.table}`,
        sql: `SELECT 1 AS sign, ${FACT_NAMES} FROM analytics_ticket_facts
          ${where([`(${within('created_at')} OR ${within('resolved_at')})`, ...factConditions(params, filter)])}`,
      };
      const at = within('c.at');
      reads.push(
        measures(`WITH f AS (SELECT * FROM ${facts.name}) SELECT ${select}${MEASURE_SUMS} FROM (${CONTRIBUTIONS_SQL}) c WHERE ${at} ${group}`, facts),
        bins(`WITH f AS (SELECT * FROM ${facts.name}) SELECT ${select}metric, bin, n FROM (${HISTOGRAM_SQL}) c WHERE ${at}`, facts),
      );
    }
    return reads;
  }

  /** Tickets created and resolved per local day, into `days` (every day of the range, zeros included). */
  private perDayReads(params: unknown[], range: AnalyticsRange, filter: AnalyticsFilter, days: DayFigures[]): Read[] {
    if (rangePieces(range).alignedDays) {
      const index = new Map(days.map((d) => [d.date, d]));
      params.push(range.from, range.to);
      const conditions = ['span = 1', `day >= $${params.length - 1}::date`, `day <= $${params.length}::date`];
      return [
        {
          sql: `SELECT day::text AS day, created::float8 AS created, resolved::float8 AS resolved FROM ${DASHBOARD_ROLLUP.table}
                ${where([...conditions, ...rollupConditions(params, DASHBOARD_ROLLUP, filter)])}`,
          apply: (rows) => {
            for (const r of rows) {
              const day = index.get(String(r.day));
              if (day) Object.assign(day, { created: Number(r.created), resolved: Number(r.resolved) });
            }
          },
        },
      ];
    }
    // Local days that are not UTC days: each count's local day from the instants where the days start.
    const bounds = range.dayStarts.map((ms) => new Date(ms));
    params.push(bounds, bounds[0], bounds[bounds.length - 1]);
    const [all, first, last] = [params.length - 2, params.length - 1, params.length];
    if (range.dayStarts.every((ms) => ms % QUARTER_MS === 0)) {
      // Days made of whole quarter hours (every zone in use today): from the quarter-hour counts.
      return [
        {
          sql: `SELECT width_bucket(quarter, $${all}::timestamptz[]) AS i, sum(created)::float8 AS created, sum(resolved)::float8 AS resolved
                FROM ${QUARTERS_TABLE}
                ${where([...rollupConditions(params, BACKLOG_ROLLUP, filter), `quarter >= $${first}`, `quarter < $${last}`])} GROUP BY 1`,
          apply: (rows) => {
            for (const r of rows) {
              const day = days[Number(r.i) - 1];
              if (day) Object.assign(day, { created: Number(r.created), resolved: Number(r.resolved) });
            }
          },
        },
      ];
    }
    // Otherwise (offsets of older dates, such as local mean times) from each ticket's own instants.
    return (['created', 'resolved'] as const).map((column) => ({
      sql: `SELECT width_bucket(${column}_at, $${all}::timestamptz[]) AS i, count(*)::int AS n FROM analytics_ticket_facts
            ${where([`${column}_at >= $${first}`, `${column}_at < $${last}`, ...factConditions(params, filter)])} GROUP BY 1`,
      apply: (rows) => {
        for (const r of rows) {
          const day = days[Number(r.i) - 1];
          if (day) day[column] = Number(r.n);
        }
      },
      scansFacts: true,
    }));
  }

  async findStaff(id: string): Promise<StaffMember | null> {
    const rows: Row[] = await this.db.query(`SELECT id, name FROM users WHERE id = $1 AND role IN ('agent', 'admin')`, [id]);
    return rows.length ? { id: String(rows[0].id), name: String(rows[0].name) } : null;
  }

  async agents(groupId?: string): Promise<StaffMember[]> {
    const params: unknown[] = [];
    let member = '';
    if (groupId !== undefined) {
      params.push(groupId);
      member = `AND EXISTS (SELECT 1 FROM group_members m WHERE m.group_id = $1 AND m.user_id = u.id)`;
    }
    const rows: Row[] = await this.db.query(`SELECT u.id, u.name FROM users u WHERE u.role = 'agent' ${member} ORDER BY u.name, u.id`, params);
    return rows.map((r) => ({ id: String(r.id), name: String(r.name) }));
  }

  async groupExists(id: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(`SELECT 1 FROM groups WHERE id = $1`, [id]);
    return rows.length === 1;
  }
}
