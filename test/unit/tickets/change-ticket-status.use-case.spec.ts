import { describe, expect, it } from 'vitest';
import { ForbiddenError, InvalidInputError } from '../../../src/core/shared/domain-error.js';
import { ChangeTicketStatus } from '../../../src/core/tickets/change-ticket-status.use-case.js';
import {
  IllegalTransitionError,
  TicketNotFoundError,
  VersionMismatchError,
} from '../../../src/core/tickets/ticket.errors.js';
import { failureOf } from '../failure-of.js';
import { ticketWorld } from './ticket-world.js';

function setup() {
  const w = ticketWorld();
  return { ...w, changeStatus: new ChangeTicketStatus(w.uow, w.clock) };
}

describe('ChangeTicketStatus', () => {
  it('moves the ticket, logs status_changed and emits ticket.status_changed', async () => {
    const { db, clock, changeStatus, alice, agent, ticketOf } = setup();
    const { id } = ticketOf(alice, { status: 'open' });
    const ticket = await changeStatus.execute(agent, { id, status: 'resolved' });
    expect(db.ticket(id)).toEqual(ticket.snapshot());
    expect(db.ticket(id)).toMatchObject({ status: 'resolved', resolvedAt: clock.now(), version: 2 });
    expect(db.activity(id)).toEqual([
      expect.objectContaining({ type: 'status_changed', field: 'status', from: 'open', to: 'resolved', actorId: agent.id }),
    ]);
    expect(db.outbox()).toEqual([
      expect.objectContaining({
        type: 'ticket.status_changed',
        payload: expect.objectContaining({ ticket: expect.objectContaining({ status: 'resolved', version: 2 }) }),
      }),
    ]);
    expect(db.comments()).toEqual([]);
  });

  it('with a comment, also writes a public comment by the actor and logs it', async () => {
    const { db, clock, changeStatus, alice, agent, ticketOf } = setup();
    const { id } = ticketOf(alice, { status: 'in_progress' });
    await changeStatus.execute(agent, { id, status: 'pending', comment: '  Waiting for the vendor  ' });

    const comments = db.comments(id);
    expect(comments).toEqual([
      { id: expect.any(String), ticketId: id, authorId: agent.id, body: 'Waiting for the vendor', internal: false, createdAt: clock.now() },
    ]);
    expect(db.activity(id).map(({ type, to, internal }) => ({ type, to, internal }))).toEqual([
      { type: 'status_changed', to: 'pending', internal: false },
      { type: 'commented', to: comments[0]!.id, internal: false },
    ]);
    expect(db.outbox()[0]!.payload).toMatchObject({ commentId: comments[0]!.id });
    // One change: the comment does not bump the version a second time.
    expect(db.ticket(id)!.version).toBe(2);
  });

  it('refuses a blank comment and changes nothing', async () => {
    const { db, changeStatus, alice, agent, ticketOf } = setup();
    const before = ticketOf(alice, { status: 'open' });
    const error = await failureOf(() => changeStatus.execute(agent, { id: before.id, status: 'resolved', comment: '   ' }));
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(db.ticket(before.id)).toEqual(before);
  });

  it('refuses a transition the workflow does not allow, writing nothing', async () => {
    const { db, changeStatus, alice, agent, ticketOf } = setup();
    const before = ticketOf(alice, { status: 'resolved' });
    const error = await failureOf(() => changeStatus.execute(agent, { id: before.id, status: 'pending', comment: 'Hmm' }));
    expect(error).toBeInstanceOf(IllegalTransitionError);
    expect([db.ticket(before.id), db.comments(), db.activity(), db.outbox()]).toEqual([before, [], [], []]);
  });

  it('lets a requester reopen their resolved ticket and close it, with a comment', async () => {
    const { db, changeStatus, alice, ticketOf } = setup();
    const { id } = ticketOf(alice, { status: 'resolved' });
    await changeStatus.execute(alice, { id, status: 'open', comment: 'Still broken' });
    await changeStatus.execute(alice, { id, status: 'closed' });
    expect(db.ticket(id)).toMatchObject({ status: 'closed', version: 3 });
    expect(db.comments(id)).toEqual([expect.objectContaining({ authorId: alice.id, body: 'Still broken', internal: false })]);
  });

  it('refuses a requester any other move', async () => {
    const { changeStatus, alice, ticketOf } = setup();
    const { id } = ticketOf(alice, { status: 'open' });
    expect(await failureOf(() => changeStatus.execute(alice, { id, status: 'resolved' }))).toBeInstanceOf(ForbiddenError);
  });

  it("answers TicketNotFoundError for another requester's ticket", async () => {
    const { db, changeStatus, bob, alice, ticketOf } = setup();
    const before = ticketOf(bob, { status: 'resolved' });
    expect(await failureOf(() => changeStatus.execute(alice, { id: before.id, status: 'closed' }))).toBeInstanceOf(TicketNotFoundError);
    expect(db.ticket(before.id)).toEqual(before);
  });

  it('refuses a stale expectedVersion', async () => {
    const { changeStatus, alice, agent, ticketOf } = setup();
    const { id } = ticketOf(alice, { status: 'open', version: 2 });
    expect(await failureOf(() => changeStatus.execute(agent, { id, status: 'pending', expectedVersion: 1 }))).toBeInstanceOf(
      VersionMismatchError,
    );
  });
});
