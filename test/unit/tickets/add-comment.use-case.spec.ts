import { describe, expect, it } from 'vitest';
import { ForbiddenError, InvalidInputError } from '../../../src/core/shared/domain-error.js';
import { AddComment } from '../../../src/core/tickets/add-comment.use-case.js';
import { TicketClosedError, TicketNotFoundError } from '../../../src/core/tickets/ticket.errors.js';
import { failureOf } from '../failure-of.js';
import { ticketWorld } from './ticket-world.js';

function setup() {
  const w = ticketWorld();
  return { ...w, addComment: new AddComment(w.uow, w.clock) };
}

describe('AddComment', () => {
  it("stores a requester's public comment on their ticket, moves the ticket and emits comment.created", async () => {
    const { db, clock, addComment, alice, ticketOf } = setup();
    const { id } = ticketOf(alice);
    clock.advance({ minutes: 10 });
    const comment = await addComment.execute(alice, { ticketId: id, body: '  It happened again ', internal: false });

    expect(db.comments(id)).toEqual([
      { id: comment.id, ticketId: id, authorId: alice.id, body: 'It happened again', internal: false, createdAt: clock.now() },
    ]);
    expect(db.ticket(id)).toMatchObject({ version: 2, updatedAt: clock.now() });
    expect(db.activity(id)).toEqual([
      expect.objectContaining({ type: 'commented', to: comment.id, internal: false, actorId: alice.id }),
    ]);
    expect(db.outbox()).toEqual([
      expect.objectContaining({
        type: 'comment.created',
        aggregateId: id,
        payload: expect.objectContaining({ comment: { id: comment.id, internal: false, authorId: alice.id } }),
      }),
    ]);
  });

  it('marks the activity entry of an internal note as internal, and leaves the ticket’s version and updatedAt alone', async () => {
    const { db, clock, addComment, alice, agent, ticketOf } = setup();
    const { id } = ticketOf(alice);
    const before = db.ticket(id);
    clock.advance({ minutes: 10 });
    const note = await addComment.execute(agent, { ticketId: id, body: 'Probably the switch on floor 3', internal: true });
    expect(db.comments(id)).toEqual([expect.objectContaining({ id: note.id, internal: true })]);
    expect(db.activity(id)).toEqual([expect.objectContaining({ type: 'commented', to: note.id, internal: true })]);
    expect(db.ticket(id)).toEqual(before);
  });

  it('refuses an internal note from a requester (INTERNAL_NOTE_FORBIDDEN), writing nothing', async () => {
    const { db, addComment, alice, ticketOf } = setup();
    const before = ticketOf(alice);
    const error = await failureOf(() => addComment.execute(alice, { ticketId: before.id, body: 'secret', internal: true }));
    expect(error).toBeInstanceOf(ForbiddenError);
    expect((error as ForbiddenError).code).toBe('INTERNAL_NOTE_FORBIDDEN');
    expect([db.ticket(before.id), db.comments(), db.activity()]).toEqual([before, [], []]);
  });

  it.each(['', '   ', 'x'.repeat(20_001)])('refuses a body of length %# outside 1–20000 after trimming', async (body) => {
    const { db, addComment, alice, ticketOf } = setup();
    const { id } = ticketOf(alice);
    expect(await failureOf(() => addComment.execute(alice, { ticketId: id, body, internal: false }))).toBeInstanceOf(InvalidInputError);
    expect(db.comments()).toEqual([]);
  });

  it("answers TicketNotFoundError on another requester's ticket", async () => {
    const { db, addComment, alice, bob, ticketOf } = setup();
    const { id } = ticketOf(bob);
    expect(await failureOf(() => addComment.execute(alice, { ticketId: id, body: 'hi', internal: false }))).toBeInstanceOf(
      TicketNotFoundError,
    );
    expect(db.comments()).toEqual([]);
  });

  it('refuses comments on a closed ticket (TicketClosedError), writing nothing', async () => {
    const { db, addComment, alice, agent, ticketOf } = setup();
    const before = ticketOf(alice, { status: 'closed' });
    expect(await failureOf(() => addComment.execute(agent, { ticketId: before.id, body: 'late', internal: true }))).toBeInstanceOf(
      TicketClosedError,
    );
    expect([db.ticket(before.id), db.comments(), db.activity(), db.outbox()]).toEqual([before, [], [], []]);
  });
});
