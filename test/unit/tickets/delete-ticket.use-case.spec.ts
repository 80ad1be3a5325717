import { describe, expect, it } from 'vitest';
import { ForbiddenError } from '../../../src/core/shared/domain-error.js';
import { DeleteTicket } from '../../../src/core/tickets/delete-ticket.use-case.js';
import { TicketNotFoundError } from '../../../src/core/tickets/ticket.errors.js';
import { UpdateTicket } from '../../../src/core/tickets/update-ticket.use-case.js';
import { failureOf } from '../failure-of.js';
import { ticketWorld } from './ticket-world.js';

function setup() {
  const w = ticketWorld();
  return { ...w, deleteTicket: new DeleteTicket(w.uow, w.clock) };
}

describe('DeleteTicket', () => {
  it.each(['requester', 'agent'] as const)('refuses a %s with ForbiddenError', async (role) => {
    const w = setup();
    const actor = role === 'requester' ? w.alice : w.agent;
    const before = w.ticketOf(w.alice);
    expect(await failureOf(() => w.deleteTicket.execute(actor, { id: before.id, restore: false }))).toBeInstanceOf(ForbiddenError);
    expect(w.db.ticket(before.id)).toEqual(before);
  });

  it('soft-deletes for an admin, logs it and emits ticket.deleted; the ticket is gone for everyone else', async () => {
    const { db, clock, uow, matrix, deleteTicket, alice, agent, admin, ticketOf } = setup();
    const { id } = ticketOf(alice);
    await deleteTicket.execute(admin, { id, restore: false });
    expect(db.ticket(id)).toMatchObject({ deletedAt: clock.now(), version: 2 });
    expect(db.activity(id)).toEqual([expect.objectContaining({ type: 'deleted', actorId: admin.id })]);
    expect(db.outbox().map((e) => e.type)).toEqual(['ticket.deleted']);
    const update = new UpdateTicket(uow, matrix, clock);
    expect(await failureOf(() => update.execute(agent, { id, patch: { title: 'x' } }))).toBeInstanceOf(TicketNotFoundError);
  });

  it('is idempotent: deleting again changes and logs nothing', async () => {
    const { db, clock, deleteTicket, alice, admin, ticketOf } = setup();
    const { id } = ticketOf(alice);
    await deleteTicket.execute(admin, { id, restore: false });
    const afterFirst = db.ticket(id);
    clock.advance({ minutes: 1 });
    const again = await deleteTicket.execute(admin, { id, restore: false });
    expect(again.snapshot()).toEqual(afterFirst);
    expect(db.ticket(id)).toEqual(afterFirst);
    expect(db.activity(id)).toHaveLength(1);
    expect(db.outbox()).toHaveLength(1);
  });

  it('restores a deleted ticket, once', async () => {
    const { db, deleteTicket, alice, admin, ticketOf } = setup();
    const { id } = ticketOf(alice, { deletedAt: new Date('2025-06-01T00:00:00.000Z'), version: 3 });
    await deleteTicket.execute(admin, { id, restore: true });
    await deleteTicket.execute(admin, { id, restore: true });
    expect(db.ticket(id)).toMatchObject({ deletedAt: null, version: 4 });
    expect(db.activity(id).map((a) => a.type)).toEqual(['restored']);
    expect(db.outbox().map((e) => e.type)).toEqual(['ticket.restored']);
  });

  it('treats restoring a live ticket as a no-op', async () => {
    const { db, deleteTicket, alice, admin, ticketOf } = setup();
    const before = ticketOf(alice);
    await deleteTicket.execute(admin, { id: before.id, restore: true });
    expect([db.ticket(before.id), db.activity(), db.outbox()]).toEqual([before, [], []]);
  });

  it('answers TicketNotFoundError for a missing ticket', async () => {
    const { deleteTicket, admin } = setup();
    const error = await failureOf(() => deleteTicket.execute(admin, { id: '0e9d8c7b-6a5f-4e3d-9c2b-1a0f9e8d7c6b', restore: false }));
    expect(error).toBeInstanceOf(TicketNotFoundError);
  });
});
