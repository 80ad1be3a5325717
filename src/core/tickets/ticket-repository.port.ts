import type { ActivityEntry } from './activity.js';
import type { Comment } from './comment.js';
import type { Ticket, TicketSnapshot } from './ticket.js';

/** Write side, used inside a unit of work. */
export abstract class TicketRepository {
  abstract nextNumber(): Promise<number>;
  /** Reads and row-locks the ticket until the transaction ends (SELECT … FOR UPDATE). */
  abstract lockById(id: string): Promise<Ticket | null>;
  abstract findById(id: string): Promise<Ticket | null>;
  abstract insert(ticket: Ticket): Promise<void>;
  abstract save(ticket: Ticket): Promise<void>;
}

export abstract class CommentRepository {
  abstract insert(comment: Comment): Promise<void>;
}

export abstract class ActivityLog {
  abstract append(...entries: ActivityEntry[]): Promise<void>;
}

export interface IdempotencyRecord {
  requestHash: string;
  ticketId: string;
  /** The ticket as the first request returned it, once that request completed. */
  result?: TicketSnapshot;
}

export abstract class IdempotencyStore {
  /**
   * Claims `key` for the actor, or returns the earlier claim. A concurrent claim of the same key waits for the
   * first transaction to end, so two racing requests never both create.
   */
  abstract claim(actorId: string, key: string, record: IdempotencyRecord, now: Date): Promise<IdempotencyRecord | null>;
  /** Stores the first result with the claim, in the same transaction, for replays to return. */
  abstract complete(actorId: string, key: string, result: TicketSnapshot): Promise<void>;
}
