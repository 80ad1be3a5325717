import type { DataSource } from 'typeorm';

/**
 * The definitions written directly over the raw rows (tickets, ticket_sla, ticket_activity), independent
 * of the rollups: what the analytics endpoints must answer.
 */
export interface Scope {
  from: string;
  to: string;
  tz: string;
  groupId?: string;
  categoryId?: string;
  priority?: string;
  assigneeId?: string;
}

const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

function scoped(scope: Scope, params: unknown[]): string {
  const conditions = ['t.deleted_at IS NULL'];
  const add = (column: string, value: string | undefined) => {
    if (value === undefined) return;
    params.push(value);
    conditions.push(`${column} = $${params.length}`);
  };
  add('t.group_id', scope.groupId);
  add('t.category_id', scope.categoryId);
  add('t.priority', scope.priority);
  add('t.assignee_id', scope.assigneeId);
  return `SELECT t.*, s.ticket_id AS sla_ticket, s.first_responded_at, s.resolved_at AS sla_resolved_at,
      (SELECT r.rating FROM ticket_ratings r WHERE r.ticket_id = t.id ORDER BY r.rated_at DESC LIMIT 1) AS rating,
      coalesce(s.first_response_breached, false) AS fr_breached, coalesce(s.resolution_breached, false) AS res_breached,
      EXISTS (SELECT 1 FROM ticket_activity a WHERE a.ticket_id = t.id AND a.type = 'status_changed'
              AND a.old_value #>> '{}' IN ('resolved', 'closed') AND a.new_value #>> '{}' IN ('new', 'open', 'in_progress', 'pending')) AS reopened
    FROM tickets t LEFT JOIN ticket_sla s ON s.ticket_id = t.id WHERE ${conditions.join(' AND ')}`;
}

export interface ExpectedFigures {
  created: number;
  resolved: number;
  reopened: number;
  open: number;
  slaBreached: number;
  firstResponse: { count: number; averageMinutes: number; medianMinutes: number; p90Minutes: number };
  resolution: { count: number; averageMinutes: number; medianMinutes: number; p90Minutes: number };
  sla: { firstResponse: { met: number; breached: number }; resolution: { met: number; breached: number } };
  satisfaction: { count: number; average: number | null; distribution: Record<string, number> };
}

export async function expectedFigures(db: DataSource, scope: Scope): Promise<ExpectedFigures> {
  const params: unknown[] = [scope.from, scope.to, scope.tz];
  const base = scoped(scope, params);
  const inRange = (column: string) => `(${column} AT TIME ZONE $3)::date BETWEEN $1::date AND $2::date`;
  const minutes = (later: string) => `extract(epoch FROM ${later} - created_at)::float8 / 60`;
  const [r] = await db.query(
    `WITH t AS (${base}),
       c AS (SELECT * FROM t WHERE ${inRange('created_at')}),
       r AS (SELECT * FROM t WHERE ${inRange('resolved_at')}),
       fr AS (SELECT ${minutes('first_responded_at')} AS m FROM c WHERE first_responded_at IS NOT NULL),
       res AS (SELECT ${minutes('resolved_at')} AS m FROM r)
     SELECT (SELECT count(*) FROM c) AS created, (SELECT count(*) FROM r) AS resolved,
       (SELECT count(*) FROM c WHERE reopened) AS reopened,
       (SELECT count(*) FROM c WHERE status NOT IN ('resolved', 'closed')) AS open,
       (SELECT count(*) FROM c WHERE fr_breached OR res_breached) AS sla_breached,
       (SELECT count(*) FROM fr) AS fr_count, (SELECT avg(m) FROM fr) AS fr_avg,
       (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY m) FROM fr) AS fr_median,
       (SELECT percentile_cont(0.9) WITHIN GROUP (ORDER BY m) FROM fr) AS fr_p90,
       (SELECT count(*) FROM res) AS res_count, (SELECT avg(m) FROM res) AS res_avg,
       (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY m) FROM res) AS res_median,
       (SELECT percentile_cont(0.9) WITHIN GROUP (ORDER BY m) FROM res) AS res_p90,
       (SELECT count(*) FROM c WHERE first_responded_at IS NOT NULL AND NOT fr_breached) AS fr_met,
       (SELECT count(*) FROM c WHERE fr_breached) AS fr_breached,
       (SELECT count(*) FROM c WHERE sla_resolved_at IS NOT NULL AND NOT res_breached) AS res_met,
       (SELECT count(*) FROM c WHERE res_breached) AS res_breached,
       (SELECT count(rating) FROM c) AS rating_count, (SELECT avg(rating)::float8 FROM c) AS rating_avg,
       (SELECT json_object_agg(v, (SELECT count(*) FROM c WHERE rating = v)) FROM generate_series(1, 5) v) AS distribution`,
    params,
  );
  return {
    created: num(r.created),
    resolved: num(r.resolved),
    reopened: num(r.reopened),
    open: num(r.open),
    slaBreached: num(r.sla_breached),
    firstResponse: { count: num(r.fr_count), averageMinutes: num(r.fr_avg), medianMinutes: num(r.fr_median), p90Minutes: num(r.fr_p90) },
    resolution: { count: num(r.res_count), averageMinutes: num(r.res_avg), medianMinutes: num(r.res_median), p90Minutes: num(r.res_p90) },
    sla: {
      firstResponse: { met: num(r.fr_met), breached: num(r.fr_breached) },
      resolution: { met: num(r.res_met), breached: num(r.res_breached) },
    },
    satisfaction: { count: num(r.rating_count), average: r.rating_avg === null ? null : Number(r.rating_avg), distribution: r.distribution },
  };
}

export async function expectedPerDay(db: DataSource, scope: Scope): Promise<{ date: string; created: number; resolved: number }[]> {
  const params: unknown[] = [scope.from, scope.to, scope.tz];
  const base = scoped(scope, params);
  const rows = await db.query(
    `WITH t AS (${base})
     SELECT d::date::text AS date,
       (SELECT count(*) FROM t WHERE (created_at AT TIME ZONE $3)::date = d::date) AS created,
       (SELECT count(*) FROM t WHERE (resolved_at AT TIME ZONE $3)::date = d::date) AS resolved
     FROM generate_series($1::date, $2::date, interval '1 day') d ORDER BY d`,
    params,
  );
  return rows.map((r: Record<string, unknown>) => ({ date: String(r.date), created: num(r.created), resolved: num(r.resolved) }));
}

/** Open tickets now by status, priority, category and assignee (null keys for none), filters applied. */
export async function expectedBacklog(db: DataSource, scope: Omit<Scope, 'from' | 'to' | 'tz'>) {
  const params: unknown[] = [];
  const base = scoped({ ...scope, from: '', to: '', tz: '' }, params);
  const count = async (column: string) =>
    (
      await db.query(
        `WITH t AS (${base}) SELECT ${column} AS k, count(*)::int AS n FROM t
         WHERE status IN ('new', 'open', 'in_progress', 'pending') GROUP BY 1`,
        params,
      )
    ).map((r: { k: string | null; n: number }) => [r.k, r.n] as const);
  return {
    byStatus: await count('status'),
    byPriority: await count('priority'),
    byCategory: await count('category_id'),
    byAssignee: await count('assignee_id'),
  };
}
