import { isAdmin, type Actor } from '../identity/actor.js';
import { Clock } from '../shared/clock.port.js';
import { ForbiddenError } from '../shared/domain-error.js';
import { UnitOfWork } from '../shared/unit-of-work.port.js';
import { TicketNotFoundError } from './ticket.errors.js';
import type { Ticket } from './ticket.js';
import { recordTicketChange } from './ticket-recorder.js';

/** Admin-only soft delete and restore; both are idempotent and logged. */
export class DeleteTicket {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  async execute(actor: Actor, input: { id: string; restore: boolean }): Promise<Ticket> {
    if (!isAdmin(actor)) throw new ForbiddenError('Only admins can delete or restore tickets');
    return this.uow.run(async (tx) => {
      const ticket = await tx.tickets.lockById(input.id);
      if (!ticket) throw new TicketNotFoundError(input.id);
      const now = this.clock.now();
      const change = input.restore ? ticket.restoreDeleted(now) : ticket.softDelete(now);
      if (!change) return ticket;
      await tx.tickets.save(ticket);
      await recordTicketChange(tx, actor, ticket, input.restore ? 'ticket.restored' : 'ticket.deleted', [change], now);
      return ticket;
    });
  }
}
