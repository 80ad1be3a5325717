import type { EntityManager } from 'typeorm';
import type { DomainEvent } from '../../core/shared/domain-event.js';
import { Outbox } from '../../core/shared/domain-event.js';
import type { ActivityEntry } from '../../core/tickets/activity.js';
import type { Comment } from '../../core/tickets/comment.js';
import type { TicketSnapshot } from '../../core/tickets/ticket.js';
import { prepared } from './prepared.js';
import {
  ActivityLog,
  CommentRepository,
  IdempotencyStore,
  type IdempotencyRecord,
} from '../../core/tickets/ticket-repository.port.js';

type SnapshotJson = Omit<TicketSnapshot, DateField | 'priorityOverride'> & Record<DateField, string | null> & {
  priorityOverride: { by: string; at: string } | null;
};
type DateField = 'createdAt' | 'updatedAt' | 'resolvedAt' | 'closedAt' | 'deletedAt';

/** A snapshot stored as JSON, with its dates revived. */
function snapshotFromJson(json: SnapshotJson): TicketSnapshot {
  const date = (value: string | null) => (value === null ? null : new Date(value));
  return {
    ...json,
    createdAt: new Date(json.createdAt!),
    updatedAt: new Date(json.updatedAt!),
    resolvedAt: date(json.resolvedAt),
    closedAt: date(json.closedAt),
    deletedAt: date(json.deletedAt),
    priorityOverride: json.priorityOverride && { by: json.priorityOverride.by, at: new Date(json.priorityOverride.at) },
  };
}

/** Multi-row INSERT placeholders: ($1,$2,…),($n+1,…) for `rows` rows of `width` columns. */
function valuesList(rows: number, width: number, offset = 0): string {
  return Array.from({ length: rows }, (_, r) =>
    `(${Array.from({ length: width }, (_, c) => `$${offset + r * width + c + 1}`).join(', ')})`,
  ).join(', ');
}

export class SqlCommentRepository extends CommentRepository {
  constructor(private readonly db: EntityManager) {
    super();
  }

  async insert(c: Comment): Promise<void> {
    await this.db.query(
      prepared(`INSERT INTO ticket_comments (id, ticket_id, author_id, body, internal, created_at) VALUES ($1, $2, $3, $4, $5, $6)`),
      [c.id, c.ticketId, c.authorId, c.body, c.internal, c.createdAt],
    );
  }
}

/**
 * Activity entries and outbox events of one transaction, written together in a single statement just before
 * it commits (one round trip instead of two per change). Nothing reads them inside the transaction.
 */
export class PendingAppends {
  private readonly activity: ActivityEntry[] = [];
  private readonly events: DomainEvent[] = [];

  addActivity(entries: ActivityEntry[]): void {
    this.activity.push(...entries);
  }

  addEvents(events: DomainEvent[]): void {
    this.events.push(...events);
  }

  get hasEvents(): boolean {
    return this.events.length > 0;
  }

  /** A copy of the events appended so far (flush empties the list). */
  appendedEvents(): readonly DomainEvent[] {
    return [...this.events];
  }

  get isEmpty(): boolean {
    return this.events.length === 0 && this.activity.length === 0;
  }

  /** Writes what was appended in one statement, sent at once (before this returns its promise). */
  async flush(db: { query(statement: string, values: unknown[]): Promise<unknown> }): Promise<void> {
    const { activity, events } = this;
    if (activity.length === 0 && events.length === 0) return;
    const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));
    const activitySql = `INSERT INTO ticket_activity (id, ticket_id, actor_id, type, field, old_value, new_value, internal,
      occurred_at) VALUES ${valuesList(activity.length, 9)}`;
    const outboxSql = `INSERT INTO outbox (id, type, aggregate_id, actor_id, payload, occurred_at)
      VALUES ${valuesList(events.length, 6, activity.length * 9)}`;
    const sql = !events.length ? activitySql : !activity.length ? outboxSql : `WITH activity AS (${activitySql}) ${outboxSql}`;
    await db.query(prepared(sql), [
      ...activity.flatMap((e) => [e.id, e.ticketId, e.actorId, e.type, e.field, json(e.from), json(e.to), e.internal, e.occurredAt]),
      ...events.flatMap((e) => [e.id, e.type, e.aggregateId, e.actorId, JSON.stringify(e.payload), e.occurredAt]),
    ]);
    activity.length = 0;
    events.length = 0;
  }
}

export class SqlActivityLog extends ActivityLog {
  constructor(private readonly pending: PendingAppends) {
    super();
  }

  async append(...entries: ActivityEntry[]): Promise<void> {
    this.pending.addActivity(entries);
  }
}

export class SqlOutbox extends Outbox {
  constructor(private readonly pending: PendingAppends) {
    super();
  }

  async append(...events: DomainEvent[]): Promise<void> {
    this.pending.addEvents(events);
  }
}

export class SqlIdempotencyStore extends IdempotencyStore {
  constructor(private readonly db: EntityManager) {
    super();
  }

  async claim(actorId: string, key: string, record: IdempotencyRecord, now: Date): Promise<IdempotencyRecord | null> {
    const inserted: unknown[] = await this.db.query(
      prepared(`INSERT INTO idempotency_keys (actor_id, key, request_hash, ticket_id, created_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (actor_id, key) DO NOTHING RETURNING key`),
      [actorId, key, record.requestHash, record.ticketId, now],
    );
    if (inserted.length) return null;
    const rows: { request_hash: string; ticket_id: string; result: SnapshotJson | null }[] = await this.db.query(
      `SELECT request_hash, ticket_id, result FROM idempotency_keys WHERE actor_id = $1 AND key = $2`,
      [actorId, key],
    );
    const row = rows[0]!;
    return {
      requestHash: row.request_hash,
      ticketId: row.ticket_id,
      ...(row.result ? { result: snapshotFromJson(row.result) } : {}),
    };
  }

  async complete(actorId: string, key: string, result: TicketSnapshot): Promise<void> {
    await this.db.query(prepared(`UPDATE idempotency_keys SET result = $3 WHERE actor_id = $1 AND key = $2`), [
      actorId,
      key,
      JSON.stringify(result),
    ]);
  }
}
