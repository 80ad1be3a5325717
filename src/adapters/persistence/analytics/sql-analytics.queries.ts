import type { DataSource } from 'typeorm';
import { emptyTally, type Tally } from '../../../core/analytics/analytics-figures.js';
import {
  AnalyticsQueries,
  type AgentTally,
  type AnalyticsFilter,
  type Backlog,
  type DayFigures,
  type OpenStatus,
  type StaffMember,
} from '../../../core/analytics/analytics-queries.port.js';
import { epochDayToDate, rangePieces, type AnalyticsRange } from '../../../core/analytics/analytics-range.js';
import { addToHistogram } from '../../../core/analytics/duration-histogram.js';
import { PRIORITIES, type Priority } from '../../../core/tickets/priority-matrix.js';
import { OPEN_STATUSES } from '../../../core/tickets/ticket-lifecycle.js';
import {
  AGENT_ROLLUP,
  ALL_KEY,
  ALL_PRIORITY,
  BLOCK_SPANS,
  CONTRIBUTIONS_SQL,
  DASHBOARD_ROLLUP,
  FACT_NAMES,
  HISTOGRAM_SQL,
  MEASURE_COLUMNS,
  METRIC,
  NONE_KEY,
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

/** The filter on a block rollup's keys: each filterable key equals the value asked, or "any" when not asked. */
function rollupConditions(params: unknown[], rollup: BlockRollup, filter: RollupFilter): string[] {
  const asked: Record<string, unknown> = { group_key: filter.groupId, category_key: filter.categoryId, priority: filter.priority };
  return rollup.keys.flatMap((key) => {
    if (rollup.cube.includes(key)) {
      // The "any" key is a valid uuid a caller may send: as an id it names nothing, so it matches nothing.
      if (asked[key] === ALL_KEY) return ['false'];
      params.push(asked[key] ?? (key === 'priority' ? ALL_PRIORITY : ALL_KEY));
      return [`${key} = $${params.length}${key === 'priority' ? '' : '::uuid'}`];
    }
    if (key === 'agent_key' && filter.agentIds !== undefined) {
      params.push(filter.agentIds);
      return [`agent_key = ANY($${params.length}::uuid[])`];
    }
    return [];
  });
}

/** WHERE conditions on the rollup/facts key columns, with their parameters appended to `params`. */
function keyConditions(params: unknown[], filter: RollupFilter, alias = ''): string[] {
  const conditions: string[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    conditions.push(sql.replace('?', `$${params.length}`));
  };
  if (filter.groupId !== undefined) add(`${alias}group_key = ?::uuid`, filter.groupId);
  if (filter.categoryId !== undefined) add(`${alias}category_key = ?::uuid`, filter.categoryId);
  if (filter.priority !== undefined) add(`${alias}priority = ?`, filter.priority);
  if (filter.agentIds !== undefined) add(`${alias}agent_key = ANY(?::uuid[])`, filter.agentIds);
  return conditions;
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

function addBin(tally: Tally, r: Row): void {
  const histogram = Number(r.metric) === METRIC.firstResponse ? tally.firstResponse : tally.resolution;
  addToHistogram(histogram, Number(r.bin), Number(r.n));
}

/**
 * Reads the rollups. A range is answered from the day rollups for the whole UTC days inside it, plus the
 * per-ticket facts for the partial UTC days at its edges (only when the zone's midnights are not UTC midnights),
 * so every figure is exact in any zone.
 */
export class SqlAnalyticsQueries extends AnalyticsQueries {
  constructor(private readonly db: DataSource) {
    super();
  }

  async tally(range: AnalyticsRange, filter: AnalyticsFilter): Promise<Tally> {
    return (await this.tallies(range, DASHBOARD_ROLLUP, filter, null)).get('') ?? emptyTally();
  }

  async agentTallies(range: AnalyticsRange, agentIds: readonly string[], groupId?: string): Promise<AgentTally[]> {
    if (!agentIds.length) return [];
    const filter = { ...(groupId !== undefined ? { groupId } : {}), agentIds };
    const params: unknown[] = [];
    const [tallies, open] = await Promise.all([
      this.tallies(range, AGENT_ROLLUP, filter, 'agent_key'),
      this.db.query(
        `SELECT agent_key, sum(n)::float8 AS n FROM analytics_backlog ${where(keyConditions(params, filter))} GROUP BY agent_key`,
        params,
      ) as Promise<Row[]>,
    ]);
    const openBy = new Map(open.map((r) => [String(r.agent_key), Number(r.n)]));
    return agentIds.map((agentId) => ({ agentId, tally: tallies.get(agentId) ?? emptyTally(), open: openBy.get(agentId) ?? 0 }));
  }

  /** Sums over the range per value of `groupBy` ('' when null). */
  private async tallies(
    range: AnalyticsRange,
    rollup: BlockRollup,
    filter: RollupFilter,
    groupBy: 'agent_key' | null,
  ): Promise<Map<string, Tally>> {
    const pieces = rangePieces(range);
    const tallies = new Map<string, Tally>();
    const tallyOf = (r: Row) => {
      const key = groupBy ? String(r[groupBy]) : '';
      let tally = tallies.get(key);
      if (!tally) tallies.set(key, (tally = emptyTally()));
      return tally;
    };
    const select = groupBy ? `${groupBy}, ` : '';
    const group = groupBy ? `GROUP BY ${groupBy}` : '';
    const reads: Promise<void>[] = [];

    if (pieces.firstDay < pieces.endDay) {
      const blocks = dayBlocks(pieces.firstDay, pieces.endDay);
      const params: unknown[] = [blocks.map((b) => b.span), blocks.map((b) => epochDayToDate(b.day))];
      const from = (table: string) => `${table} JOIN unnest($1::smallint[], $2::date[]) AS p(span, day) USING (span, day)`;
      const conditions = where(rollupConditions(params, rollup, filter));
      reads.push(
        this.db
          .query(`SELECT ${select}${MEASURE_SUMS} FROM ${from(rollup.table)} ${conditions} ${group}`, params)
          .then((rows: Row[]) => rows.forEach((r) => addMeasures(tallyOf(r), r))),
        this.db
          .query(`SELECT ${select}metric, bin, sum(n)::float8 AS n FROM ${from(rollup.histogram)} ${conditions} GROUP BY ${select}metric, bin`, params)
          .then((rows: Row[]) => rows.forEach((r) => addBin(tallyOf(r), r))),
      );
    }

    if (pieces.edges.length) {
      const params: unknown[] = [];
      const within = (column: string) =>
        pieces.edges
          .map((e) => {
            params.push(new Date(e.start), new Date(e.end));
            return `(${column} >= $${params.length - 1} AND ${column} < $${params.length})`;
          })
          .join(' OR ');
      const facts = `SELECT 1 AS sign, ${FACT_NAMES} FROM analytics_ticket_facts
        ${where([`(${within('created_at')} OR ${within('resolved_at')})`, ...keyConditions(params, filter)])}`;
      const at = within('c.at');
      reads.push(
        this.db
          .query(`WITH f AS (${facts}) SELECT ${select}${MEASURE_SUMS} FROM (${CONTRIBUTIONS_SQL}) c WHERE ${at} ${group}`, params)
          .then((rows: Row[]) => rows.forEach((r) => addMeasures(tallyOf(r), r))),
        this.db
          .query(
            `WITH f AS (${facts}) SELECT ${select}metric, bin, sum(n)::float8 AS n FROM (${HISTOGRAM_SQL}) c WHERE ${at}
             GROUP BY ${select}metric, bin`,
            params,
          )
          .then((rows: Row[]) => rows.forEach((r) => addBin(tallyOf(r), r))),
      );
    }
    await Promise.all(reads);
    return tallies;
  }

  async perDay(range: AnalyticsRange, filter: AnalyticsFilter): Promise<DayFigures[]> {
    const days = range.days.map((date) => ({ date, created: 0, resolved: 0 }));
    const pieces = rangePieces(range);
    if (pieces.alignedDays) {
      const index = new Map(days.map((d) => [d.date, d]));
      const params: unknown[] = [range.from, range.to];
      const rows: Row[] = await this.db.query(
        `SELECT day::text AS day, created::float8 AS created, resolved::float8 AS resolved FROM ${DASHBOARD_ROLLUP.table}
         ${where(['span = 1', 'day >= $1::date', 'day <= $2::date', ...rollupConditions(params, DASHBOARD_ROLLUP, filter)])}`,
        params,
      );
      for (const r of rows) {
        const day = index.get(String(r.day));
        if (day) Object.assign(day, { created: Number(r.created), resolved: Number(r.resolved) });
      }
      return days;
    }
    // Local days that are not UTC days: each ticket's local day from the instants where the days start.
    const bounds = range.dayStarts.map((ms) => new Date(ms));
    for (const column of ['created', 'resolved'] as const) {
      const params: unknown[] = [bounds, bounds[0], bounds[bounds.length - 1]];
      const rows: Row[] = await this.db.query(
        `SELECT width_bucket(${column}_at, $1::timestamptz[]) AS i, count(*)::int AS n FROM analytics_ticket_facts
         ${where([`${column}_at >= $2`, `${column}_at < $3`, ...keyConditions(params, filter)])} GROUP BY 1`,
        params,
      );
      for (const r of rows) {
        const day = days[Number(r.i) - 1];
        if (day) day[column] = Number(r.n);
      }
    }
    return days;
  }

  async backlog(filter: AnalyticsFilter): Promise<Backlog> {
    const params: unknown[] = [];
    const rows: Row[] = await this.db.query(
      `SELECT status, priority, category_key, agent_key, sum(n)::float8 AS n FROM analytics_backlog
       ${where(keyConditions(params, filter))}
       GROUP BY GROUPING SETS ((status), (priority), (category_key), (agent_key)) HAVING sum(n) <> 0`,
      params,
    );
    const byStatus = Object.fromEntries(OPEN_STATUSES.map((s) => [s, 0])) as Record<OpenStatus, number>;
    const byPriority = Object.fromEntries(PRIORITIES.map((p) => [p, 0])) as Record<Priority, number>;
    const categories: [string, number][] = [];
    const agents: [string, number][] = [];
    for (const r of rows) {
      const n = Number(r.n);
      if (r.status !== null) byStatus[r.status as OpenStatus] = n;
      else if (r.priority !== null) byPriority[r.priority as Priority] = n;
      else if (r.category_key !== null) categories.push([String(r.category_key), n]);
      else if (r.agent_key !== null) agents.push([String(r.agent_key), n]);
    }
    const [categoryNames, userNames] = await Promise.all([
      this.names('categories', categories.map(([id]) => id)),
      this.names('users', agents.map(([id]) => id)),
    ]);
    const entries = (list: [string, number][], names: Map<string, string>) =>
      list
        .map(([key, count]) => (key === NONE_KEY ? { id: null, name: null, count } : { id: key, name: names.get(key) ?? null, count }))
        .sort((a, b) => b.count - a.count || (a.name ?? '').localeCompare(b.name ?? '') || (a.id ?? '').localeCompare(b.id ?? ''));
    return {
      byStatus,
      byPriority,
      byCategory: entries(categories, categoryNames).map(({ id, name, count }) => ({ categoryId: id, name, count })),
      byAssignee: entries(agents, userNames).map(({ id, name, count }) => ({ agentId: id, name, count })),
    };
  }

  private async names(table: 'categories' | 'users', ids: string[]): Promise<Map<string, string>> {
    const real = ids.filter((id) => id !== NONE_KEY);
    if (!real.length) return new Map();
    const rows: Row[] = await this.db.query(`SELECT id, name FROM ${table} WHERE id = ANY($1::uuid[])`, [real]);
    return new Map(rows.map((r) => [String(r.id), String(r.name)]));
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
