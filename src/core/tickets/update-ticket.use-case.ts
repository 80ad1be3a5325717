import type { Actor } from '../identity/actor.js';
import { Clock } from '../shared/clock.port.js';
import { UnitOfWork } from '../shared/unit-of-work.port.js';
import { checkClassification } from './classification.js';
import { loadForChange } from './load-for-change.js';
import { PriorityMatrix } from './priority-matrix.js';
import { InvalidReferenceError } from './ticket.errors.js';
import type { Ticket, TicketPatch } from './ticket.js';
import { recordTicketChange } from './ticket-recorder.js';

export class UpdateTicket {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly matrix: PriorityMatrix,
    private readonly clock: Clock,
  ) {}

  async execute(actor: Actor, input: { id: string; patch: TicketPatch; expectedVersion?: number }): Promise<Ticket> {
    return this.uow.run(async (tx) => {
      const ticket = await loadForChange(tx, actor, input.id, input.expectedVersion);
      const patch = { ...input.patch };
      if (patch.categoryId !== undefined || patch.subcategoryId !== undefined) {
        const current = ticket.snapshot();
        // A subcategory alone moves the ticket under its parent; a category alone drops a subcategory that
        // no longer belongs to it.
        const categoryId =
          patch.categoryId !== undefined ? patch.categoryId : patch.subcategoryId ? null : current.categoryId;
        const subcategoryId =
          patch.subcategoryId !== undefined
            ? patch.subcategoryId
            : categoryId === current.categoryId
              ? current.subcategoryId
              : null;
        Object.assign(patch, await checkClassification(tx.categories, categoryId, subcategoryId));
      }
      if (patch.groupId && !(await tx.groups.findById(patch.groupId))) {
        throw new InvalidReferenceError('groupId', 'no such group');
      }
      const now = this.clock.now();
      const changes = ticket.update(actor, patch, this.matrix, now);
      if (changes.length === 0) return ticket;
      await tx.tickets.save(ticket);
      await recordTicketChange(tx, actor, ticket, 'ticket.updated', changes, now);
      return ticket;
    });
  }
}
