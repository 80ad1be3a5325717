import { isStaff, type Actor } from '../identity/actor.js';
import { ForbiddenError } from '../shared/domain-error.js';
import { TicketQueries } from '../tickets/ticket-queries.port.js';
import { TicketNotFoundError } from '../tickets/ticket.errors.js';
import { canSeeTicket } from '../tickets/ticket-access.js';
import { TriageResultNotFoundError } from './triage.errors.js';
import type { TriageResult } from './triage-result.js';
import { TriageResultRepository } from './triage-result-repository.port.js';

/** The latest triage result of a ticket: for agents and admins only; requesters never see suggestions or duplicates. */
export class ReadTicketTriage {
  constructor(
    private readonly tickets: TicketQueries,
    private readonly results: TriageResultRepository,
  ) {}

  async execute(actor: Actor, ticketId: string): Promise<TriageResult> {
    const ticket = await this.tickets.getById(ticketId);
    if (!ticket || !canSeeTicket(actor, ticket)) throw new TicketNotFoundError(ticketId);
    if (!isStaff(actor)) throw new ForbiddenError('Only agents and admins see triage results', 'TRIAGE_STAFF_ONLY');
    const result = await this.results.find(ticketId);
    if (!result) throw new TriageResultNotFoundError(ticketId);
    return result;
  }
}
