import { randomUUID } from 'node:crypto';
import { isStaff, type Actor } from '../identity/actor.js';
import { Clock } from '../shared/clock.port.js';
import { ForbiddenError } from '../shared/domain-error.js';
import { TicketNotFoundError } from '../tickets/ticket.errors.js';
import { canSeeTicket } from '../tickets/ticket-access.js';
import { recordTicketChange } from '../tickets/ticket-recorder.js';
import { checkRating, checkRatingComment, resolutionOf, type TicketRating } from './satisfaction.js';
import { AlreadyRatedError, TicketNotRatableError } from './satisfaction.errors.js';
import { SatisfactionUnitOfWork } from './satisfaction.ports.js';

export const TICKET_RATED_EVENT = 'ticket.rated';

/**
 * The requester rates the current resolution of their ticket, once. The rating, its activity entry and the
 * `ticket.rated` event commit together; the ticket row is locked so a racing reopen or second rating waits.
 */
export class RateTicket {
  constructor(
    private readonly uow: SatisfactionUnitOfWork,
    private readonly clock: Clock,
  ) {}

  async execute(actor: Actor, input: { ticketId: string; rating: number; comment?: string | null }): Promise<TicketRating> {
    if (isStaff(actor)) throw new ForbiddenError('Only the requester of a ticket can rate it', 'RATING_FORBIDDEN');
    const value = checkRating(input.rating);
    const comment = checkRatingComment(input.comment);
    return this.uow.run(async (tx) => {
      const ticket = await tx.tickets.lockById(input.ticketId);
      const t = ticket?.snapshot();
      if (!ticket || !t || !canSeeTicket(actor, t) || t.requesterId !== actor.id) {
        throw new TicketNotFoundError(input.ticketId);
      }
      const resolutionAt = resolutionOf(t);
      if (!resolutionAt) throw new TicketNotRatableError();
      const now = this.clock.now();
      const rating: TicketRating = {
        id: randomUUID(),
        ticketId: t.id,
        resolutionAt,
        rating: value,
        comment,
        ratedAt: now,
        requesterId: actor.id,
        assigneeId: t.assigneeId,
      };
      if (!(await tx.ratings.insert(rating))) throw new AlreadyRatedError();
      await recordTicketChange(
        tx,
        actor,
        ticket,
        TICKET_RATED_EVENT,
        [{ type: 'rated', field: 'satisfaction', to: { rating: value, comment } }],
        now,
        {
          rating: {
            id: rating.id,
            rating: value,
            comment,
            hasComment: comment !== null,
            ratedAt: now,
            resolutionAt,
            assigneeId: t.assigneeId,
          },
        },
      );
      return rating;
    });
  }
}
