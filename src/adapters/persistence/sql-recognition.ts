import type { DataSource, EntityManager } from 'typeorm';
import { InvalidInputError } from '../../core/shared/domain-error.js';
import type { Page } from '../../core/shared/paging.js';
import {
  PointsLedger,
  RecognitionQueries,
  RecognitionUnitOfWork,
  type LeaderboardRow,
  type PointsEntry,
} from '../../core/recognition/recognition.ports.js';
import { decodeCursor, encodeCursor, endsWithId, TIMESTAMP_TEXT } from './keyset-cursor.js';
import { pgCode } from './pg-errors.js';
import { prepared } from './prepared.js';
import type { TypeOrmUnitOfWork } from './typeorm-unit-of-work.js';

interface EntryRow {
  id: string;
  agent_id: string;
  event_id: string;
  rule: string;
  points: number;
  reason: string;
  ticket_id: string | null;
  at: Date;
  reverses: string | null;
}

const ENTRY_COLUMNS = 'id, agent_id, event_id, rule, points, reason, ticket_id, at, reverses';

const toEntry = (r: EntryRow): PointsEntry => ({
  id: r.id,
  agentId: r.agent_id,
  eventId: r.event_id,
  rule: r.rule,
  points: Number(r.points),
  reason: r.reason,
  ticketId: r.ticket_id,
  at: r.at,
  reverses: r.reverses,
});

export class SqlPointsLedger extends PointsLedger {
  constructor(private readonly db: EntityManager) {
    super();
  }

  async lockTicket(ticketId: string): Promise<void> {
    await this.db.query(prepared(`SELECT pg_advisory_xact_lock(hashtextextended('recognition:' || $1::text, 0))`), [ticketId]);
  }

  /**
   * The entry, the agent's total and their points of the entry's UTC day in one statement: the sums move only when
   * the entry was new.
   */
  async record(e: PointsEntry): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      prepared(`WITH entry AS (
          INSERT INTO agent_points (id, agent_id, event_id, rule, points, reason, ticket_id, at, reverses)
          VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
          ON CONFLICT DO NOTHING RETURNING agent_id, points, at),
        daily AS (
          INSERT INTO agent_points_daily (day, agent_id, points)
          SELECT (at AT TIME ZONE 'UTC')::date, agent_id, points FROM entry
          ON CONFLICT (day, agent_id) DO UPDATE SET points = agent_points_daily.points + EXCLUDED.points)
        INSERT INTO agent_point_totals (agent_id, points) SELECT agent_id, points FROM entry
        ON CONFLICT (agent_id) DO UPDATE SET points = agent_point_totals.points + EXCLUDED.points
        RETURNING agent_id`),
      [e.id, e.agentId, e.eventId, e.rule, e.points, e.reason, e.ticketId, e.at, e.reverses],
    );
    return rows.length > 0;
  }

  async recordReopen(ticketId: string, eventId: string, at: Date): Promise<void> {
    await this.db.query(
      prepared(`INSERT INTO recognition_reopens (event_id, ticket_id, reopened_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`),
      [eventId, ticketId, at],
    );
  }

  async reopenedAfter(ticketId: string, at: Date): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      prepared(`SELECT 1 FROM recognition_reopens WHERE ticket_id = $1 AND reopened_at > $2 LIMIT 1`),
      [ticketId, at],
    );
    return rows.length > 0;
  }

  async uncancelled(ticketId: string, rule: string, before: Date): Promise<PointsEntry[]> {
    const rows: EntryRow[] = await this.db.query(
      prepared(`SELECT ${ENTRY_COLUMNS} FROM agent_points p WHERE ticket_id = $1 AND rule = $2 AND at < $3
        AND NOT EXISTS (SELECT 1 FROM agent_points r WHERE r.reverses = p.id) ORDER BY at, id`),
      [ticketId, rule, before],
    );
    return rows.map(toEntry);
  }
}

export class TypeOrmRecognitionUnitOfWork extends RecognitionUnitOfWork {
  constructor(private readonly uow: TypeOrmUnitOfWork) {
    super();
  }

  run<T>(work: (tx: { ledger: PointsLedger }) => Promise<T>): Promise<T> {
    return this.uow.runScoped(({ manager }) => ({ ledger: new SqlPointsLedger(manager) }), work);
  }
}

const STAFF = `u.role IN ('agent', 'admin') AND u.active`;

export class SqlRecognitionQueries extends RecognitionQueries {
  constructor(private readonly db: DataSource) {
    super();
  }

  async leaderboard(since: Date | null): Promise<LeaderboardRow[]> {
    const rows: { agent_id: string; name: string; points: string; total: string }[] = since
      ? await this.db.query(
          `SELECT u.id AS agent_id, u.name, coalesce(p.points, 0) AS points, coalesce(t.points, 0) AS total
           FROM users u
           LEFT JOIN (SELECT agent_id, sum(points) AS points FROM agent_points_daily WHERE day >= $1 GROUP BY agent_id) p
             ON p.agent_id = u.id
           LEFT JOIN agent_point_totals t ON t.agent_id = u.id
           WHERE ${STAFF} ORDER BY 3 DESC, u.name, u.id`,
          // Periods start at a UTC midnight: whole days of agent_points_daily.
          [since.toISOString().slice(0, 10)],
        )
      : await this.db.query(
          `SELECT u.id AS agent_id, u.name, coalesce(t.points, 0) AS points, coalesce(t.points, 0) AS total
           FROM users u LEFT JOIN agent_point_totals t ON t.agent_id = u.id
           WHERE ${STAFF} ORDER BY 3 DESC, u.name, u.id`,
        );
    return rows.map((r) => ({ agentId: r.agent_id, name: r.name, points: Number(r.points), totalPoints: Number(r.total) }));
  }

  async ledger(agentId: string, page: { limit: number; cursor?: string }): Promise<Page<PointsEntry>> {
    const params: unknown[] = [agentId];
    let after = '';
    if (page.cursor) {
      const position = decodeCursor(page.cursor, 2);
      if (!position || !TIMESTAMP_TEXT.test(String(position[0])) || !endsWithId(position)) {
        throw new InvalidInputError('cursor', 'is not a cursor this API issued for this ledger');
      }
      params.push(position[0], position[1]);
      after = `AND (at, id) < ($2::timestamptz, $3::uuid)`;
    }
    params.push(page.limit + 1);
    const rows: (EntryRow & { at_key: string })[] = await this.db
      .query(
        `SELECT ${ENTRY_COLUMNS}, at::text AS at_key FROM agent_points WHERE agent_id = $1 ${after}
         ORDER BY at DESC, id DESC LIMIT $${params.length}`,
        params,
      )
      .catch((error: unknown) => {
        // A well-formed but impossible position (month 13) fails PostgreSQL's cast: a data exception.
        if (page.cursor && pgCode(error)?.startsWith('22')) throw new InvalidInputError('cursor', 'holds an invalid position');
        throw error;
      });
    const items = rows.slice(0, page.limit);
    const last = items.at(-1);
    return {
      items: items.map(toEntry),
      nextCursor: rows.length > page.limit && last ? encodeCursor([last.at_key, last.id]) : null,
    };
  }

  async totals(agentIds: readonly string[]): Promise<Map<string, number>> {
    const rows: { agent_id: string; points: string }[] = await this.db.query(
      prepared(`SELECT agent_id, points FROM agent_point_totals WHERE agent_id = ANY($1::uuid[])`),
      [agentIds],
    );
    return new Map(rows.map((r) => [r.agent_id, Number(r.points)]));
  }
}
