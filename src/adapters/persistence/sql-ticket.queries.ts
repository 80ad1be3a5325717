import type { DataSource } from 'typeorm';
import { InvalidInputError } from '../../core/shared/domain-error.js';
import type { Page } from '../../core/shared/paging.js';
import type { ActivityEntry } from '../../core/tickets/activity.js';
import type { Comment } from '../../core/tickets/comment.js';
import {
  TicketQueries,
  type TicketListQuery,
  type TicketSortField,
  type TicketView,
} from '../../core/tickets/ticket-queries.port.js';
import { decodeCursor, encodeCursor, endsWithId, TIMESTAMP_TEXT } from './keyset-cursor.js';
import { pgCode } from './pg-errors.js';
import { prepared } from './prepared.js';
import { TICKET_COLUMNS, toSnapshot, type TicketRow } from './ticket-row.mapper.js';
import { SLA_SUMMARY_COLUMN, summaryFromJson, type SlaSummaryJson } from './ticket-sla-row.mapper.js';
import { SATISFACTION_COLUMN, satisfactionFromJson, type SatisfactionJson } from './sql-ratings.js';

type ViewRow = TicketRow & { sla: SlaSummaryJson | null; satisfaction: SatisfactionJson | null };
// The snapshot gains its SLA summary and rating in place: a spread would copy every field of every row of a page again.
const toView = (r: ViewRow): TicketView =>
  Object.assign(toSnapshot(r), { sla: summaryFromJson(r.sla), satisfaction: satisfactionFromJson(r.satisfaction) });

// A cursor's sort key: PostgreSQL's text form of a timestamptz, or a priority rank.
const SORT_COLUMN: Record<TicketSortField, { column: string; cast: string; key: RegExp }> = {
  createdAt: { column: 'created_at', cast: 'timestamptz', key: TIMESTAMP_TEXT },
  updatedAt: { column: 'updated_at', cast: 'timestamptz', key: TIMESTAMP_TEXT },
  priority: { column: 'priority_rank', cast: 'smallint', key: /^[0-3]$/ },
};

class Filters {
  readonly where: string[] = ['deleted_at IS NULL'];
  readonly params: unknown[] = [];

  add(sql: (p: string) => string, value: unknown): void {
    this.params.push(value);
    this.where.push(sql(`$${this.params.length}`));
  }

  /** One value is an equality, which lets PostgreSQL walk (status, created_at, id) in order; `= ANY` does not. */
  anyOf(column: string, values: string[] | undefined): void {
    if (!values?.length) return;
    if (values.length === 1) this.add((p) => `${column} = ${p}`, values[0]);
    else this.add((p) => `${column} = ANY(${p})`, values);
  }

  get clause(): string {
    return this.where.join(' AND ');
  }
}

function filtersOf(q: TicketListQuery): Filters {
  const f = new Filters();
  f.anyOf('status', q.status);
  f.anyOf('priority', q.priority);
  f.anyOf('severity', q.severity);
  if (q.categoryId) f.add((p) => `(category_id = ${p} OR subcategory_id = ${p})`, q.categoryId);
  if (q.assigneeId === null) f.where.push('assignee_id IS NULL');
  else if (q.assigneeId) f.add((p) => `assignee_id = ${p}`, q.assigneeId);
  if (q.requesterId) f.add((p) => `requester_id = ${p}`, q.requesterId);
  if (q.tag) f.add((p) => `tags @> ARRAY[${p}::text]`, q.tag);
  if (q.q) f.add((p) => `search @@ websearch_to_tsquery('simple', tessera_unaccent(${p}))`, q.q);
  if (q.createdFrom) f.add((p) => `created_at >= ${p}`, q.createdFrom);
  if (q.createdTo) f.add((p) => `created_at < ${p}`, q.createdTo);
  return f;
}

/** Keyset pagination over (sort key, id): every page costs the same, however deep. */
export class SqlTicketQueries extends TicketQueries {
  constructor(private readonly db: DataSource) {
    super();
  }

  async getById(id: string): Promise<TicketView | null> {
    const rows: ViewRow[] = await this.db.query(
      prepared(`SELECT ${TICKET_COLUMNS}, ${SLA_SUMMARY_COLUMN}, ${SATISFACTION_COLUMN} FROM tickets WHERE id = $1`),
      [id],
    );
    return rows[0] ? toView(rows[0]) : null;
  }

  async list(q: TicketListQuery): Promise<Page<TicketView>> {
    const { column, cast, key } = SORT_COLUMN[q.sort.field];
    const signature = `${q.sort.field}:${q.sort.direction}`;
    const f = filtersOf(q);
    const countParams = [...f.params];
    const countClause = f.clause;
    if (q.cursor) {
      const after = decodeCursor(q.cursor, 3);
      if (!after || after[0] !== signature || !key.test(String(after[1])) || !endsWithId(after)) {
        throw new InvalidInputError('cursor', 'is not a cursor this API issued for this sort order');
      }
      f.params.push(after[1], after[2]);
      const op = q.sort.direction === 'desc' ? '<' : '>';
      f.where.push(`(${column}, id) ${op} ($${f.params.length - 1}::${cast}, $${f.params.length}::uuid)`);
    }
    const dir = q.sort.direction.toUpperCase();
    f.params.push(q.limit + 1);
    const rows: (ViewRow & { sort_key: string })[] = await this.db
      .query(
        `SELECT ${TICKET_COLUMNS}, ${SLA_SUMMARY_COLUMN}, ${SATISFACTION_COLUMN}, ${column}::text AS sort_key
         FROM tickets WHERE ${f.clause}
         ORDER BY ${column} ${dir}, id ${dir} LIMIT $${f.params.length}`,
        f.params,
      )
      .catch((error: unknown) => {
        // A well-formed but impossible cursor value (month 13) fails PostgreSQL's cast: a data exception.
        if (q.cursor && pgCode(error)?.startsWith('22')) throw new InvalidInputError('cursor', 'holds an invalid position');
        throw error;
      });
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    const result: Page<TicketView> = {
      items: page.map(toView),
      nextCursor: rows.length > q.limit && last ? encodeCursor([signature, last.sort_key, last.id]) : null,
    };
    if (q.includeTotal) {
      const [row]: { total: string }[] = await this.db.query(
        `SELECT count(*) AS total FROM tickets WHERE ${countClause}`,
        countParams,
      );
      result.total = Number(row!.total);
    }
    return result;
  }

  async comments(ticketId: string, includeInternal: boolean): Promise<Comment[]> {
    const rows: { id: string; ticket_id: string; author_id: string; body: string; internal: boolean; created_at: Date }[] =
      await this.db.query(
        `SELECT id, ticket_id, author_id, body, internal, created_at FROM ticket_comments
         WHERE ticket_id = $1 AND ($2 OR NOT internal) ORDER BY created_at, id`,
        [ticketId, includeInternal],
      );
    return rows.map((r) => ({
      id: r.id,
      ticketId: r.ticket_id,
      authorId: r.author_id,
      body: r.body,
      internal: r.internal,
      createdAt: r.created_at,
    }));
  }

  async activity(ticketId: string, includeInternal: boolean): Promise<ActivityEntry[]> {
    const rows: {
      id: string;
      ticket_id: string;
      actor_id: string | null;
      type: ActivityEntry['type'];
      field: string | null;
      old_value: unknown;
      new_value: unknown;
      internal: boolean;
      occurred_at: Date;
    }[] = await this.db.query(
      `SELECT id, ticket_id, actor_id, type, field, old_value, new_value, internal, occurred_at FROM ticket_activity
       WHERE ticket_id = $1 AND ($2 OR NOT internal) ORDER BY occurred_at, seq`,
      [ticketId, includeInternal],
    );
    return rows.map((r) => ({
      id: r.id,
      ticketId: r.ticket_id,
      actorId: r.actor_id,
      type: r.type,
      field: r.field,
      from: r.old_value,
      to: r.new_value,
      internal: r.internal,
      occurredAt: r.occurred_at,
    }));
  }
}
