import { randomUUID } from 'node:crypto';
import type { Actor } from '../identity/actor.js';
import { Clock } from '../shared/clock.port.js';
import { UnitOfWork } from '../shared/unit-of-work.port.js';
import { checkCommentBody } from './comment.js';
import { loadForChange } from './load-for-change.js';
import type { Ticket } from './ticket.js';
import { recordTicketChange, type ActivityEntryDraft } from './ticket-recorder.js';
import type { TicketStatus } from './ticket-status.js';

export class ChangeTicketStatus {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  /** The row lock serialises racing agents: the second one sees the first one's status and the workflow. */
  async execute(
    actor: Actor,
    input: { id: string; status: TicketStatus; comment?: string; expectedVersion?: number },
  ): Promise<Ticket> {
    return this.uow.run(async (tx) => {
      const ticket = await loadForChange(tx, actor, input.id, input.expectedVersion);
      const now = this.clock.now();
      const body = input.comment === undefined ? undefined : checkCommentBody(input.comment);
      const change = ticket.changeStatus(actor, input.status, now);
      await tx.tickets.save(ticket);
      const changes: ActivityEntryDraft[] = [change];
      let commentId: string | undefined;
      if (body !== undefined) {
        commentId = randomUUID();
        await tx.comments.insert({ id: commentId, ticketId: ticket.id, authorId: actor.id, body, internal: false, createdAt: now });
        changes.push({ type: 'commented', to: commentId });
      }
      await recordTicketChange(tx, actor, ticket, 'ticket.status_changed', changes, now, commentId ? { commentId } : {});
      return ticket;
    });
  }
}
