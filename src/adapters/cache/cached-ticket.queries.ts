import type { Page } from '../../core/shared/paging.js';
import type { ActivityEntry } from '../../core/tickets/activity.js';
import type { Comment } from '../../core/tickets/comment.js';
import type { TicketSnapshot } from '../../core/tickets/ticket.js';
import { TicketQueries, type TicketListQuery } from '../../core/tickets/ticket-queries.port.js';
import { cacheKeys, type ReadCache } from './read-cache.js';

/**
 * A ticket by id from the read cache. Only the snapshot is cached (no comments, no internal notes), and the
 * reader (TicketReader) still decides on every read who may see it. Lists, comments and activity are not cached.
 */
export class CachedTicketQueries extends TicketQueries {
  constructor(
    private readonly inner: TicketQueries,
    private readonly cache: ReadCache,
  ) {
    super();
  }

  getById(id: string): Promise<TicketSnapshot | null> {
    return this.cache.read(cacheKeys.ticket(id), () => this.inner.getById(id));
  }

  list(query: TicketListQuery): Promise<Page<TicketSnapshot>> {
    return this.inner.list(query);
  }

  comments(ticketId: string, includeInternal: boolean): Promise<Comment[]> {
    return this.inner.comments(ticketId, includeInternal);
  }

  activity(ticketId: string, includeInternal: boolean): Promise<ActivityEntry[]> {
    return this.inner.activity(ticketId, includeInternal);
  }
}
