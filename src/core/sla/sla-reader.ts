import type { Actor } from '../identity/actor.js';
import { TicketNotFoundError } from '../tickets/ticket.errors.js';
import { canSeeTicket } from '../tickets/ticket-access.js';
import { TicketQueries } from '../tickets/ticket-queries.port.js';
import { SlaQueries } from './ticket-sla-repository.port.js';
import type { RecordedSlaEvent } from './ticket-sla.js';

/**
 * What happened to a ticket's clocks, for whoever may see the ticket: the SLA is the agreement with the requester,
 * so requesters read their own tickets' clocks as staff do.
 */
export class SlaReader {
  constructor(
    private readonly tickets: TicketQueries,
    private readonly sla: SlaQueries,
  ) {}

  async events(actor: Actor, ticketId: string): Promise<RecordedSlaEvent[]> {
    const ticket = await this.tickets.getById(ticketId);
    if (!ticket || !canSeeTicket(actor, ticket)) throw new TicketNotFoundError(ticketId);
    return this.sla.events(ticketId);
  }
}
