import type { Actor } from '../identity/actor.js';
import type { TransactionScope } from '../shared/unit-of-work.port.js';
import { TicketDeletedError, TicketNotFoundError, VersionMismatchError } from './ticket.errors.js';
import type { Ticket } from './ticket.js';
import { canSeeTicket } from './ticket-access.js';

/**
 * Locks the ticket for the rest of the transaction, hides what the actor may not see (404, not 403),
 * refuses changes to a deleted ticket (admins see it, but must restore it first),
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
  if (ticket.isDeleted) throw new TicketDeletedError();
  if (expectedVersion !== undefined && expectedVersion !== ticket.version) {
    throw new VersionMismatchError(expectedVersion, ticket.version);
  }
  return ticket;
}
