import { randomUUID } from 'node:crypto';
import { isStaff, type Actor } from '../identity/actor.js';
import { Clock } from '../shared/clock.port.js';
import { ForbiddenError } from '../shared/domain-error.js';
import { UnitOfWork } from '../shared/unit-of-work.port.js';
import { checkCommentBody, type Comment } from './comment.js';
import { loadForChange } from './load-for-change.js';
import { recordTicketChange } from './ticket-recorder.js';

export class AddComment {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  async execute(actor: Actor, input: { ticketId: string; body: string; internal: boolean }): Promise<Comment> {
    if (input.internal && !isStaff(actor)) {
      throw new ForbiddenError('Only agents and admins can write internal notes', 'INTERNAL_NOTE_FORBIDDEN');
    }
    const body = checkCommentBody(input.body);
    return this.uow.run(async (tx) => {
      const ticket = await loadForChange(tx, actor, input.ticketId);
      const now = this.clock.now();
      ticket.recordComment(now, input.internal);
      const comment: Comment = { id: randomUUID(), ticketId: ticket.id, authorId: actor.id, body, internal: input.internal, createdAt: now };
      await tx.comments.insert(comment);
      // An internal note leaves the ticket row as it was (version, updatedAt): nothing to save.
      if (!input.internal) await tx.tickets.save(ticket);
      await recordTicketChange(
        tx,
        actor,
        ticket,
        'comment.created',
        [{ type: 'commented', to: comment.id, internal: comment.internal }],
        now,
        { comment: { id: comment.id, internal: comment.internal, authorId: actor.id } },
      );
      return comment;
    });
  }
}
