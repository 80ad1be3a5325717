import type { Outbox } from '../shared/domain-event.js';
import type { ActivityLog, TicketRepository } from '../tickets/ticket-repository.port.js';
import type { Satisfaction, TicketRating } from './satisfaction.js';

export abstract class RatingRepository {
  /** Inserts the rating; false when its resolution is already rated (nothing written). */
  abstract insert(rating: TicketRating): Promise<boolean>;
}

/** The repositories of one rating transaction. */
export interface SatisfactionScope {
  tickets: Pick<TicketRepository, 'lockById'>;
  ratings: RatingRepository;
  activity: ActivityLog;
  outbox: Outbox;
}

/** CSAT's own transaction boundary (the shared TransactionScope does not grow for it). */
export abstract class SatisfactionUnitOfWork {
  abstract run<T>(work: (tx: SatisfactionScope) => Promise<T>): Promise<T>;
}

/** Read side: the rating a ticket shows (its latest), or null. */
export abstract class SatisfactionQueries {
  abstract latestOf(ticketId: string): Promise<Satisfaction | null>;
}
