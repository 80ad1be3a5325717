import type { Page } from '../shared/paging.js';
import type { Priority, Severity } from './priority-matrix.js';
import type { ActivityEntry } from './activity.js';
import type { Comment } from './comment.js';
import type { TicketSnapshot } from './ticket.js';
import type { TicketStatus } from './ticket-status.js';
import type { TicketSlaSummary } from '../sla/ticket-sla.js';
import type { Satisfaction } from '../satisfaction/satisfaction.js';

/**
 * A ticket as the read side returns it: with its SLA clocks (null when no policy applies) and its latest
 * satisfaction rating (null when never rated).
 */
export type TicketView = TicketSnapshot & { sla?: TicketSlaSummary | null; satisfaction?: Satisfaction | null };

export type TicketSortField = 'createdAt' | 'updatedAt' | 'priority';

export interface TicketListQuery {
  status?: TicketStatus[];
  priority?: Priority[];
  severity?: Severity[];
  categoryId?: string;
  assigneeId?: string | null;
  requesterId?: string;
  tag?: string;
  q?: string;
  createdFrom?: Date;
  createdTo?: Date;
  sort: { field: TicketSortField; direction: 'asc' | 'desc' };
  limit: number;
  cursor?: string;
  includeTotal: boolean;
}

/** Read side: plain snapshots straight from the database, authorised by TicketReader. */
export abstract class TicketQueries {
  abstract getById(id: string): Promise<TicketView | null>;
  abstract list(query: TicketListQuery): Promise<Page<TicketView>>;
  abstract comments(ticketId: string, includeInternal: boolean): Promise<Comment[]>;
  /** Oldest first; entries of the same instant in the order they were recorded. */
  abstract activity(ticketId: string, includeInternal: boolean): Promise<ActivityEntry[]>;
}
