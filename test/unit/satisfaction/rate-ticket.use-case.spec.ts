import { describe, expect, it } from 'vitest';
import { RateTicket } from '../../../src/core/satisfaction/rate-ticket.use-case.js';
import { checkRating, checkRatingComment, resolutionOf } from '../../../src/core/satisfaction/satisfaction.js';
import { ForbiddenError, InvalidInputError } from '../../../src/core/shared/domain-error.js';
import { TicketNotFoundError } from '../../../src/core/tickets/ticket.errors.js';
import { AlreadyRatedError, TicketNotRatableError } from '../../../src/core/satisfaction/satisfaction.errors.js';
import { InMemorySatisfactionUnitOfWork } from '../../support/fakes/in-memory-satisfaction.js';
import { failureOf } from '../failure-of.js';
import { ticketWorld } from '../tickets/ticket-world.js';

function setup() {
  const w = ticketWorld();
  const uow = new InMemorySatisfactionUnitOfWork(w.uow);
  return { ...w, ratings: uow.ratings, rate: new RateTicket(uow, w.clock) };
}

const RESOLVED_AT = new Date('2025-06-01T12:00:00.000Z');

describe('RateTicket', () => {
  it('records the rating of the current resolution, an activity entry and a ticket.rated event', async () => {
    const { db, clock, rate, ratings, alice, agent, ticketOf } = setup();
    const { id } = ticketOf(alice, { status: 'resolved', resolvedAt: RESOLVED_AT, assigneeId: agent.id });
    const rating = await rate.execute(alice, { ticketId: id, rating: 4, comment: '  fine ' });
    expect(rating).toMatchObject({ ticketId: id, rating: 4, comment: 'fine', ratedAt: clock.now(), resolutionAt: RESOLVED_AT, assigneeId: agent.id });
    expect(ratings.rows).toHaveLength(1);
    expect(db.activity(id)).toEqual([
      expect.objectContaining({ type: 'rated', field: 'satisfaction', actorId: alice.id, to: { rating: 4, comment: 'fine' } }),
    ]);
    expect(db.outbox()).toEqual([
      expect.objectContaining({
        type: 'ticket.rated',
        aggregateId: id,
        payload: expect.objectContaining({
          ticket: expect.objectContaining({ id, assigneeId: agent.id }),
          rating: expect.objectContaining({ rating: 4, hasComment: true, assigneeId: agent.id, resolutionAt: RESOLVED_AT.toISOString() }),
        }),
      }),
    ]);
  });

  it('one rating per resolution', async () => {
    const { db, rate, alice, ticketOf } = setup();
    const { id } = ticketOf(alice, { status: 'closed', resolvedAt: RESOLVED_AT, closedAt: new Date('2025-06-02T00:00:00Z') });
    await rate.execute(alice, { ticketId: id, rating: 5 });
    expect(await failureOf(() => rate.execute(alice, { ticketId: id, rating: 1 }))).toBeInstanceOf(AlreadyRatedError);
    expect(db.outbox()).toHaveLength(1);
  });

  it.each(['new', 'open', 'in_progress', 'pending'] as const)('a %s ticket cannot be rated', async (status) => {
    const { rate, alice, ticketOf } = setup();
    const { id } = ticketOf(alice, { status });
    expect(await failureOf(() => rate.execute(alice, { ticketId: id, rating: 5 }))).toBeInstanceOf(TicketNotRatableError);
  });

  it('hides other requesters’ and deleted tickets (404) and refuses staff (403)', async () => {
    const { rate, alice, bob, agent, admin, ticketOf } = setup();
    const { id } = ticketOf(alice, { status: 'resolved', resolvedAt: RESOLVED_AT });
    expect(await failureOf(() => rate.execute(bob, { ticketId: id, rating: 5 }))).toBeInstanceOf(TicketNotFoundError);
    const deleted = ticketOf(alice, { status: 'resolved', resolvedAt: RESOLVED_AT, deletedAt: RESOLVED_AT });
    expect(await failureOf(() => rate.execute(alice, { ticketId: deleted.id, rating: 5 }))).toBeInstanceOf(TicketNotFoundError);
    for (const staff of [agent, admin]) {
      expect(await failureOf(() => rate.execute(staff, { ticketId: id, rating: 5 }))).toBeInstanceOf(ForbiddenError);
    }
  });
});

describe('rating rules', () => {
  it.each([0, 6, 3.5, Number.NaN, -1])('refuses %s', (value) => {
    expect(() => checkRating(value)).toThrow(InvalidInputError);
  });
  it('accepts 1 to 5', () => expect([1, 2, 3, 4, 5].map(checkRating)).toEqual([1, 2, 3, 4, 5]));
  it('a comment is trimmed, empty is null, over 2,000 characters is refused', () => {
    expect(checkRatingComment(undefined)).toBeNull();
    expect(checkRatingComment('   ')).toBeNull();
    expect(checkRatingComment(' ok ')).toBe('ok');
    expect(checkRatingComment('x'.repeat(2000))).toHaveLength(2000);
    expect(() => checkRatingComment('x'.repeat(2001))).toThrow(InvalidInputError);
  });
  it('the resolution rated is resolvedAt, or closedAt for a ticket closed without one; none while open', () => {
    const closedAt = new Date('2025-06-03T00:00:00Z');
    expect(resolutionOf({ status: 'resolved', resolvedAt: RESOLVED_AT, closedAt: null })).toEqual(RESOLVED_AT);
    expect(resolutionOf({ status: 'closed', resolvedAt: RESOLVED_AT, closedAt })).toEqual(RESOLVED_AT);
    expect(resolutionOf({ status: 'closed', resolvedAt: null, closedAt })).toEqual(closedAt);
    expect(resolutionOf({ status: 'open', resolvedAt: null, closedAt: null })).toBeNull();
  });
});
