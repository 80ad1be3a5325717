import { isStaff, type Actor } from '../identity/actor.js';
import { Clock } from '../shared/clock.port.js';
import { ForbiddenError } from '../shared/domain-error.js';
import { UnitOfWork } from '../shared/unit-of-work.port.js';
import { loadForChange } from './load-for-change.js';
import { InvalidReferenceError } from './ticket.errors.js';
import type { Ticket } from './ticket.js';
import { recordTicketChange } from './ticket-recorder.js';

export class AssignTicket {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  async execute(actor: Actor, input: { id: string; assigneeId: string | null; expectedVersion?: number }): Promise<Ticket> {
    if (!isStaff(actor)) throw new ForbiddenError('Only agents and admins can assign tickets', 'ASSIGN_FORBIDDEN');
    return this.uow.run(async (tx) => {
      const ticket = await loadForChange(tx, actor, input.id, input.expectedVersion);
      if (input.assigneeId !== null) {
        const assignee = await tx.users.findById(input.assigneeId);
        if (!assignee || !assignee.active || assignee.role === 'requester') {
          throw new InvalidReferenceError('assigneeId', 'must be an active agent or admin');
        }
      }
      const now = this.clock.now();
      const change = ticket.assignTo(actor, input.assigneeId, now);
      if (!change) return ticket;
      await tx.tickets.save(ticket);
      await recordTicketChange(tx, actor, ticket, 'ticket.assigned', [change], now);
      return ticket;
    });
  }
}
