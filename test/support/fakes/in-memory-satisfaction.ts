import type { TicketRating } from '../../../src/core/satisfaction/satisfaction.js';
import {
  RatingRepository,
  SatisfactionUnitOfWork,
  type SatisfactionScope,
} from '../../../src/core/satisfaction/satisfaction.ports.js';
import type { InMemoryUnitOfWork } from './in-memory-unit-of-work.js';

/** Ratings kept beside the in-memory database; unique per (ticket, resolution) like ticket_ratings. */
export class InMemoryRatings extends RatingRepository {
  readonly rows: TicketRating[] = [];

  async insert(rating: TicketRating): Promise<boolean> {
    const taken = this.rows.some(
      (r) => r.ticketId === rating.ticketId && r.resolutionAt.getTime() === rating.resolutionAt.getTime(),
    );
    if (!taken) this.rows.push(structuredClone(rating));
    return !taken;
  }
}

/** CSAT's unit of work over the in-memory database's transaction (the insert is the work's last write). */
export class InMemorySatisfactionUnitOfWork extends SatisfactionUnitOfWork {
  constructor(
    private readonly uow: InMemoryUnitOfWork,
    readonly ratings = new InMemoryRatings(),
  ) {
    super();
  }

  run<T>(work: (tx: SatisfactionScope) => Promise<T>): Promise<T> {
    return this.uow.run((tx) => work({ tickets: tx.tickets, activity: tx.activity, outbox: tx.outbox, ratings: this.ratings }));
  }
}
