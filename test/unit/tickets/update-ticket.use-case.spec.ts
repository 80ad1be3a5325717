import { describe, expect, it } from 'vitest';
import { ForbiddenError } from '../../../src/core/shared/domain-error.js';
import {
  InvalidReferenceError,
  TicketClosedError,
  TicketDeletedError,
  TicketNotFoundError,
  VersionMismatchError,
} from '../../../src/core/tickets/ticket.errors.js';
import { UpdateTicket } from '../../../src/core/tickets/update-ticket.use-case.js';
import { aCategory } from '../../support/factories/category.factory.js';
import { failureOf } from '../failure-of.js';
import { ticketWorld } from './ticket-world.js';

function setup() {
  const w = ticketWorld();
  return { ...w, updateTicket: new UpdateTicket(w.uow, w.matrix, w.clock) };
}

describe('UpdateTicket', () => {
  it('saves the change, logs one activity entry per field and emits ticket.updated', async () => {
    const { db, clock, updateTicket, alice, agent, ticketOf } = setup();
    const { id } = ticketOf(alice, { severity: 'medium', urgency: 'medium' });
    clock.advance({ hours: 1 });
    const ticket = await updateTicket.execute(agent, { id, patch: { title: 'Renamed', severity: 'high' } });

    expect(db.ticket(id)).toEqual(ticket.snapshot());
    expect(db.ticket(id)).toMatchObject({ title: 'Renamed', severity: 'high', priority: 'high', version: 2, updatedAt: clock.now() });
    expect(db.activity(id).map(({ type, field, from, to, actorId }) => ({ type, field, from, to, actorId }))).toEqual([
      { type: 'field_changed', field: 'title', from: 'Printer offline', to: 'Renamed', actorId: agent.id },
      { type: 'field_changed', field: 'severity', from: 'medium', to: 'high', actorId: agent.id },
      { type: 'field_changed', field: 'priority', from: 'medium', to: 'high', actorId: agent.id },
    ]);
    expect(db.outbox()).toEqual([
      expect.objectContaining({
        type: 'ticket.updated',
        aggregateId: id,
        payload: expect.objectContaining({
          ticket: expect.objectContaining({ version: 2, priority: 'high' }),
          changes: expect.arrayContaining([{ type: 'field_changed', field: 'title', from: 'Printer offline', to: 'Renamed' }]),
        }),
      }),
    ]);
  });

  it('writes nothing for a patch that changes nothing', async () => {
    const { db, updateTicket, alice, ticketOf } = setup();
    const before = ticketOf(alice);
    const ticket = await updateTicket.execute(alice, { id: before.id, patch: { title: `  ${before.title} ` } });
    expect(ticket.version).toBe(1);
    expect(db.ticket(before.id)).toEqual(before);
    expect([db.activity(), db.outbox()]).toEqual([[], []]);
  });

  describe('If-Match', () => {
    it('applies the patch when expectedVersion is the current version', async () => {
      const { db, updateTicket, alice, ticketOf } = setup();
      const { id } = ticketOf(alice, { version: 4 });
      await updateTicket.execute(alice, { id, patch: { title: 'New' }, expectedVersion: 4 });
      expect(db.ticket(id)).toMatchObject({ title: 'New', version: 5 });
    });

    it('refuses a stale expectedVersion with VersionMismatchError carrying the current version, changing nothing', async () => {
      const { db, updateTicket, alice, ticketOf } = setup();
      const before = ticketOf(alice, { version: 4 });
      const error = await failureOf(() => updateTicket.execute(alice, { id: before.id, patch: { title: 'New' }, expectedVersion: 3 }));
      expect(error).toBeInstanceOf(VersionMismatchError);
      expect((error as VersionMismatchError).details).toEqual({ currentVersion: 4 });
      expect(db.ticket(before.id)).toEqual(before);
      expect(db.outbox()).toEqual([]);
    });
  });

  describe('visibility', () => {
    it("answers TicketNotFoundError (not Forbidden) for another requester's ticket, changing nothing", async () => {
      const { db, updateTicket, alice, bob, ticketOf } = setup();
      const before = ticketOf(bob);
      const error = await failureOf(() => updateTicket.execute(alice, { id: before.id, patch: { title: 'Mine now' } }));
      expect(error).toBeInstanceOf(TicketNotFoundError);
      expect(db.ticket(before.id)).toEqual(before);
    });

    it('answers TicketNotFoundError for a missing ticket', async () => {
      const { updateTicket, agent } = setup();
      const error = await failureOf(() => updateTicket.execute(agent, { id: 'b7f3a1c2-0000-4000-8000-000000000001', patch: { title: 'x' } }));
      expect(error).toBeInstanceOf(TicketNotFoundError);
    });

    it('answers TicketNotFoundError to its requester and agents once the ticket is deleted', async () => {
      const { updateTicket, alice, agent, ticketOf } = setup();
      const { id } = ticketOf(alice, { deletedAt: new Date('2025-06-01T00:00:00.000Z') });
      expect(await failureOf(() => updateTicket.execute(alice, { id, patch: { title: 'x' } }))).toBeInstanceOf(TicketNotFoundError);
      expect(await failureOf(() => updateTicket.execute(agent, { id, patch: { title: 'x' } }))).toBeInstanceOf(TicketNotFoundError);
    });
  });

  it('enforces the requester edit rules of the ticket', async () => {
    const { db, updateTicket, alice, ticketOf } = setup();
    const before = ticketOf(alice);
    expect(await failureOf(() => updateTicket.execute(alice, { id: before.id, patch: { urgency: 'high' } }))).toBeInstanceOf(ForbiddenError);
    expect(db.ticket(before.id)).toEqual(before);
  });

  it('refuses to change a closed ticket with TicketClosedError', async () => {
    const { updateTicket, alice, agent, ticketOf } = setup();
    const { id } = ticketOf(alice, { status: 'closed' });
    expect(await failureOf(() => updateTicket.execute(agent, { id, patch: { title: 'x' } }))).toBeInstanceOf(TicketClosedError);
  });

  it('refuses to change a deleted ticket, even for an admin, with TicketDeletedError', async () => {
    const { db, updateTicket, alice, admin, ticketOf } = setup();
    const before = ticketOf(alice, { deletedAt: new Date('2025-01-01T00:00:00.000Z') });
    const error = await failureOf(() => updateTicket.execute(admin, { id: before.id, patch: { title: 'x' } }));
    expect(error).toBeInstanceOf(TicketDeletedError);
    expect(db.ticket(before.id)).toEqual(before);
  });

  describe('classification', () => {
    function withCategories() {
      const w = setup();
      const hardware = w.db.addCategory(aCategory({ name: 'Hardware' }));
      const printers = w.db.addCategory(aCategory({ name: 'Printers', parentId: hardware.id }));
      const scanners = w.db.addCategory(aCategory({ name: 'Scanners', parentId: hardware.id }));
      const software = w.db.addCategory(aCategory({ name: 'Software' }));
      const email = w.db.addCategory(aCategory({ name: 'Email', parentId: software.id }));
      return { ...w, hardware, printers, scanners, software, email };
    }

    it('drops a subcategory that does not belong to a newly chosen category', async () => {
      const c = withCategories();
      const { id } = c.ticketOf(c.alice, { categoryId: c.hardware.id, subcategoryId: c.printers.id });
      await c.updateTicket.execute(c.agent, { id, patch: { categoryId: c.software.id } });
      expect(c.db.ticket(id)).toMatchObject({ categoryId: c.software.id, subcategoryId: null });
    });

    it('keeps the subcategory when the category is sent unchanged', async () => {
      const c = withCategories();
      const { id } = c.ticketOf(c.alice, { categoryId: c.hardware.id, subcategoryId: c.printers.id });
      await c.updateTicket.execute(c.agent, { id, patch: { categoryId: c.hardware.id, title: 'x' } });
      expect(c.db.ticket(id)).toMatchObject({ categoryId: c.hardware.id, subcategoryId: c.printers.id });
    });

    it('switches to a sibling subcategory, and clears the subcategory with null', async () => {
      const c = withCategories();
      const { id } = c.ticketOf(c.alice, { categoryId: c.hardware.id, subcategoryId: c.printers.id });
      await c.updateTicket.execute(c.agent, { id, patch: { subcategoryId: c.scanners.id } });
      expect(c.db.ticket(id)).toMatchObject({ categoryId: c.hardware.id, subcategoryId: c.scanners.id });
      await c.updateTicket.execute(c.agent, { id, patch: { subcategoryId: null } });
      expect(c.db.ticket(id)).toMatchObject({ categoryId: c.hardware.id, subcategoryId: null });
    });

    it('takes the category from a subcategory given to an unclassified ticket', async () => {
      const c = withCategories();
      const { id } = c.ticketOf(c.alice);
      await c.updateTicket.execute(c.agent, { id, patch: { subcategoryId: c.email.id } });
      expect(c.db.ticket(id)).toMatchObject({ categoryId: c.software.id, subcategoryId: c.email.id });
    });

    it('moves the ticket under the parent of a subcategory from another category given alone', async () => {
      const c = withCategories();
      const { id } = c.ticketOf(c.alice, { categoryId: c.hardware.id, subcategoryId: c.printers.id });
      await c.updateTicket.execute(c.agent, { id, patch: { subcategoryId: c.email.id } });
      expect(c.db.ticket(id)).toMatchObject({ categoryId: c.software.id, subcategoryId: c.email.id });
    });

    it('refuses a category and subcategory that do not belong together, changing nothing', async () => {
      const c = withCategories();
      const before = c.ticketOf(c.alice, { categoryId: c.hardware.id });
      const error = await failureOf(() =>
        c.updateTicket.execute(c.agent, { id: before.id, patch: { categoryId: c.software.id, subcategoryId: c.printers.id } }),
      );
      expect(error).toBeInstanceOf(InvalidReferenceError);
      expect(c.db.ticket(before.id)).toEqual(before);
    });

    it('logs category changes old → new', async () => {
      const c = withCategories();
      const { id } = c.ticketOf(c.alice, { categoryId: c.hardware.id, subcategoryId: c.printers.id });
      await c.updateTicket.execute(c.agent, { id, patch: { categoryId: null } });
      expect(c.db.activity(id).map(({ field, from, to }) => ({ field, from, to }))).toEqual([
        { field: 'categoryId', from: c.hardware.id, to: null },
        { field: 'subcategoryId', from: c.printers.id, to: null },
      ]);
    });
  });
});
