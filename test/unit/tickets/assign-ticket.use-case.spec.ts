import { describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/core/identity/actor.js';
import { ForbiddenError } from '../../../src/core/shared/domain-error.js';
import { AssignTicket } from '../../../src/core/tickets/assign-ticket.use-case.js';
import {
  InvalidReferenceError,
  TicketClosedError,
  TicketNotFoundError,
  VersionMismatchError,
} from '../../../src/core/tickets/ticket.errors.js';
import { failureOf } from '../failure-of.js';
import { ticketWorld } from './ticket-world.js';

function setup() {
  const w = ticketWorld();
  return { ...w, assign: new AssignTicket(w.uow, w.clock) };
}

describe('AssignTicket', () => {
  it('assigns to an active agent, logs it and emits ticket.assigned', async () => {
    const { db, clock, assign, alice, agent, otherAgent, ticketOf } = setup();
    const { id } = ticketOf(alice);
    await assign.execute(agent, { id, assigneeId: otherAgent.id });
    expect(db.ticket(id)).toMatchObject({ assigneeId: otherAgent.id, version: 2, updatedAt: clock.now() });
    expect(db.activity(id)).toEqual([
      expect.objectContaining({ type: 'assigned', field: 'assigneeId', from: null, to: otherAgent.id, actorId: agent.id }),
    ]);
    expect(db.outbox()).toEqual([
      expect.objectContaining({
        type: 'ticket.assigned',
        payload: expect.objectContaining({ ticket: expect.objectContaining({ assigneeId: otherAgent.id }) }),
      }),
    ]);
  });

  it('assigns to an admin and unassigns with null', async () => {
    const { db, assign, alice, agent, admin, ticketOf } = setup();
    const { id } = ticketOf(alice);
    await assign.execute(agent, { id, assigneeId: admin.id });
    expect(db.ticket(id)!.assigneeId).toBe(admin.id);
    await assign.execute(admin, { id, assigneeId: null });
    expect(db.ticket(id)).toMatchObject({ assigneeId: null, version: 3 });
  });

  it('does nothing when the ticket already has that assignee', async () => {
    const { db, assign, alice, agent, ticketOf } = setup();
    const before = ticketOf(alice, { assigneeId: agent.id });
    const ticket = await assign.execute(agent, { id: before.id, assigneeId: agent.id });
    expect(ticket.version).toBe(before.version);
    expect([db.ticket(before.id), db.activity(), db.outbox()]).toEqual([before, [], []]);
  });

  it('refuses a requester with ForbiddenError (ASSIGN_FORBIDDEN)', async () => {
    const { db, assign, alice, agent, ticketOf } = setup();
    const before = ticketOf(alice);
    const error = await failureOf(() => assign.execute(alice, { id: before.id, assigneeId: agent.id }));
    expect(error).toBeInstanceOf(ForbiddenError);
    expect((error as ForbiddenError).code).toBe('ASSIGN_FORBIDDEN');
    expect(db.ticket(before.id)).toEqual(before);
  });

  it.each<[string, (w: ReturnType<typeof setup>) => Actor | { id: string }]>([
    ['a requester', (w) => w.bob],
    ['an inactive agent', (w) => w.db.addActor('agent', { active: false })],
    ['an inactive admin', (w) => w.db.addActor('admin', { active: false })],
    ['an unknown user', () => ({ id: '5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a' })],
  ])('refuses %s as assignee (InvalidReferenceError on assigneeId), changing nothing', async (_, assigneeOf) => {
    const w = setup();
    const before = w.ticketOf(w.alice);
    const error = await failureOf(() => w.assign.execute(w.agent, { id: before.id, assigneeId: assigneeOf(w).id }));
    expect(error).toBeInstanceOf(InvalidReferenceError);
    expect((error as InvalidReferenceError).fieldErrors).toEqual([{ field: 'assigneeId', message: 'must be an active agent or admin' }]);
    expect(w.db.ticket(before.id)).toEqual(before);
  });

  it('refuses to reassign a closed ticket (TicketClosedError)', async () => {
    const { assign, alice, agent, otherAgent, ticketOf } = setup();
    const { id } = ticketOf(alice, { status: 'closed', assigneeId: agent.id });
    expect(await failureOf(() => assign.execute(agent, { id, assigneeId: otherAgent.id }))).toBeInstanceOf(TicketClosedError);
    expect(await failureOf(() => assign.execute(agent, { id, assigneeId: null }))).toBeInstanceOf(TicketClosedError);
  });

  it('answers TicketNotFoundError for a missing or deleted ticket, and honours If-Match', async () => {
    const { assign, alice, agent, ticketOf } = setup();
    const deleted = ticketOf(alice, { deletedAt: new Date('2025-06-01T00:00:00.000Z') });
    expect(await failureOf(() => assign.execute(agent, { id: deleted.id, assigneeId: agent.id }))).toBeInstanceOf(TicketNotFoundError);
    const live = ticketOf(alice, { version: 3 });
    expect(await failureOf(() => assign.execute(agent, { id: live.id, assigneeId: agent.id, expectedVersion: 2 }))).toBeInstanceOf(
      VersionMismatchError,
    );
  });
});
