import type { DataSource, EntityManager } from 'typeorm';
import type { Satisfaction, TicketRating } from '../../core/satisfaction/satisfaction.js';
import {
  RatingRepository,
  SatisfactionQueries,
  SatisfactionUnitOfWork,
  type SatisfactionScope,
} from '../../core/satisfaction/satisfaction.ports.js';
import { prepared } from './prepared.js';
import { SqlActivityLog, SqlOutbox } from './sql-ticket-records.js';
import { SqlTicketRepository } from './sql-ticket.repository.js';
import type { TransactionWrites } from './transaction-writes.js';
import type { TypeOrmUnitOfWork } from './typeorm-unit-of-work.js';

export class SqlRatingRepository extends RatingRepository {
  constructor(
    private readonly db: EntityManager,
    private readonly writes: TransactionWrites,
  ) {
    super();
  }

  async insert(r: TicketRating): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      prepared(`INSERT INTO ticket_ratings (id, ticket_id, resolution_at, rating, comment, requester_id, assignee_id, rated_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (ticket_id, resolution_at) DO NOTHING RETURNING id`),
      [r.id, r.ticketId, r.resolutionAt, r.rating, r.comment, r.requesterId, r.assigneeId, r.ratedAt],
    );
    // A ticket read carries its rating: cached copies of the ticket must go.
    if (rows.length) this.writes.tickets.add(r.ticketId);
    return rows.length > 0;
  }
}

export class TypeOrmSatisfactionUnitOfWork extends SatisfactionUnitOfWork {
  constructor(private readonly uow: TypeOrmUnitOfWork) {
    super();
  }

  run<T>(work: (tx: SatisfactionScope) => Promise<T>): Promise<T> {
    return this.uow.runScoped(
      ({ manager, pending, writes }): SatisfactionScope => ({
        tickets: new SqlTicketRepository(manager, writes),
        ratings: new SqlRatingRepository(manager, writes),
        activity: new SqlActivityLog(pending),
        outbox: new SqlOutbox(pending),
      }),
      work,
    );
  }
}

/**
 * A ticket row's `satisfaction` as one JSON value (its latest rating), looked up by index for the rows a page
 * returns only. `tickets` must be in scope.
 */
export const SATISFACTION_COLUMN = `(SELECT json_build_object('rating', r.rating, 'comment', r.comment, 'ratedAt', r.rated_at)
  FROM ticket_ratings r WHERE r.ticket_id = tickets.id ORDER BY r.rated_at DESC, r.id DESC LIMIT 1) AS satisfaction`;

export interface SatisfactionJson {
  rating: number;
  comment: string | null;
  ratedAt: string;
}

export const satisfactionFromJson = (j: SatisfactionJson | null): Satisfaction | null =>
  j && { rating: j.rating, comment: j.comment, ratedAt: new Date(j.ratedAt) };

export class SqlSatisfactionQueries extends SatisfactionQueries {
  constructor(private readonly db: DataSource) {
    super();
  }

  async latestOf(ticketId: string): Promise<Satisfaction | null> {
    const rows: { satisfaction: SatisfactionJson | null }[] = await this.db.query(
      prepared(`SELECT ${SATISFACTION_COLUMN} FROM tickets WHERE id = $1`),
      [ticketId],
    );
    return satisfactionFromJson(rows[0]?.satisfaction ?? null);
  }
}
