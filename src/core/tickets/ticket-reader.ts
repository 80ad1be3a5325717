import { isStaff, type Actor } from '../identity/actor.js';
import type { Page } from '../shared/paging.js';
import type { ActivityEntry } from './activity.js';
import type { Comment } from './comment.js';
import { TicketNotFoundError } from './ticket.errors.js';
import { canSeeTicket } from './ticket-access.js';
import { TicketQueries, type TicketListQuery, type TicketView } from './ticket-queries.port.js';

/** Every read of tickets goes through here, so visibility rules live in one place. */
export class TicketReader {
  constructor(private readonly queries: TicketQueries) {}

  async get(actor: Actor, id: string): Promise<TicketView> {
    const ticket = await this.queries.getById(id);
    if (!ticket || !canSeeTicket(actor, ticket)) throw new TicketNotFoundError(id);
    return ticket;
  }

  /** Requesters only ever list their own tickets, whatever filter they send. */
  list(actor: Actor, query: TicketListQuery): Promise<Page<TicketView>> {
    if (isStaff(actor)) return this.queries.list(query);
    if (query.requesterId !== undefined && query.requesterId !== actor.id) {
      return Promise.resolve({ items: [], nextCursor: null, ...(query.includeTotal ? { total: 0 } : {}) });
    }
    return this.queries.list({ ...query, requesterId: actor.id });
  }

  async comments(actor: Actor, ticketId: string): Promise<Comment[]> {
    await this.get(actor, ticketId);
    return this.queries.comments(ticketId, isStaff(actor));
  }

  async activity(actor: Actor, ticketId: string): Promise<ActivityEntry[]> {
    await this.get(actor, ticketId);
    return this.queries.activity(ticketId, isStaff(actor));
  }
}
