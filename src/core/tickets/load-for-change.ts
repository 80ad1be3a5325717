import type { Actor } from '../identity/actor.js';
import type { TransactionScope } from '../shared/unit-of-work.port.js';
import { TicketNotFoundError, VersionMismatchError } from './ticket.errors.js';
import type { Ticket } from './ticket.js';
import { canSeeTicket } from './ticket-access.js';

/**
 * Locks the ticket for the rest of the transaction, hides what the actor may not see (404, not 403),
 * and enforces an If-Match version when one was sent.
 */
export async function loadForChange(
  tx: TransactionScope,
  actor: Actor,
  id: string,
  expectedVersion?: number,
): Promise<Ticket> {
  const ticket = await tx.tickets.lockById(id);
  if (!ticket || !canSeeTicket(actor, ticket.snapshot())) throw new TicketNotFoundError(id);
  if (expectedVersion !== undefined && expectedVersion !== ticket.version) {
    throw new VersionMismatchError(expectedVersion, ticket.version);
  }
  return ticket;
}
