import { describe, expect, it } from 'vitest';
import { AddComment } from '../../../src/core/tickets/add-comment.use-case.js';
import { TicketNotFoundError } from '../../../src/core/tickets/ticket.errors.js';
import type { TicketListQuery } from '../../../src/core/tickets/ticket-queries.port.js';
import { TicketReader } from '../../../src/core/tickets/ticket-reader.js';
import { InMemoryTicketQueries } from '../../support/fakes/in-memory-ticket-queries.js';
import { failureOf } from '../failure-of.js';
import { ticketWorld } from './ticket-world.js';

const query = (overrides: Partial<TicketListQuery> = {}): TicketListQuery => ({
  sort: { field: 'createdAt', direction: 'asc' },
  limit: 25,
  includeTotal: true,
  ...overrides,
});

function setup() {
  const w = ticketWorld();
  const reader = new TicketReader(new InMemoryTicketQueries(w.db));
  const alice1 = w.ticketOf(w.alice, { createdAt: new Date('2025-06-01T08:00:00.000Z') });
  const alice2 = w.ticketOf(w.alice, { createdAt: new Date('2025-06-01T09:00:00.000Z') });
  const bob1 = w.ticketOf(w.bob, { createdAt: new Date('2025-06-01T10:00:00.000Z') });
  return { ...w, reader, alice1, alice2, bob1 };
}

const ids = (page: { items: { id: string }[] }) => page.items.map((t) => t.id);

describe('TicketReader', () => {
  describe('list', () => {
    it("gives a requester only their own tickets, whatever else they ask for", async () => {
      const { reader, alice, alice1, alice2 } = setup();
      const page = await reader.list(alice, query());
      expect(ids(page)).toEqual([alice1.id, alice2.id]);
      expect(page.total).toBe(2);
    });

    it('gives a requester their own tickets when they name themselves', async () => {
      const { reader, alice, alice1, alice2 } = setup();
      expect(ids(await reader.list(alice, query({ requesterId: alice.id })))).toEqual([alice1.id, alice2.id]);
    });

    it("gives a requester an empty page for someone else's requesterId (total 0 only when asked for)", async () => {
      const { reader, alice, bob } = setup();
      expect(await reader.list(alice, query({ requesterId: bob.id }))).toEqual({ items: [], nextCursor: null, total: 0 });
      expect(await reader.list(alice, query({ requesterId: bob.id, includeTotal: false }))).toEqual({ items: [], nextCursor: null });
    });

    it.each(['agent', 'admin'] as const)('gives an %s every ticket, and their requesterId filter', async (role) => {
      const w = setup();
      expect(ids(await w.reader.list(w[role], query()))).toEqual([w.alice1.id, w.alice2.id, w.bob1.id]);
      expect(ids(await w.reader.list(w[role], query({ requesterId: w.bob.id })))).toEqual([w.bob1.id]);
    });
  });

  describe('get', () => {
    it('shows a requester their own ticket and hides the others (TicketNotFoundError)', async () => {
      const { reader, alice, alice1, bob1 } = setup();
      expect((await reader.get(alice, alice1.id)).id).toBe(alice1.id);
      expect(await failureOf(() => reader.get(alice, bob1.id))).toBeInstanceOf(TicketNotFoundError);
    });

    it('shows a deleted ticket to admins only', async () => {
      const { reader, alice, agent, admin, ticketOf } = setup();
      const deletedAt = new Date('2025-06-02T00:00:00.000Z');
      const deleted = ticketOf(alice, { deletedAt });
      expect(await failureOf(() => reader.get(alice, deleted.id))).toBeInstanceOf(TicketNotFoundError);
      expect(await failureOf(() => reader.get(agent, deleted.id))).toBeInstanceOf(TicketNotFoundError);
      expect(await reader.get(admin, deleted.id)).toMatchObject({ id: deleted.id, deletedAt });
    });

    it('answers TicketNotFoundError for a missing ticket, even to an admin', async () => {
      const { reader, admin } = setup();
      expect(await failureOf(() => reader.get(admin, 'f0e1d2c3-b4a5-4968-8776-655443322110'))).toBeInstanceOf(TicketNotFoundError);
    });
  });

  describe('comments and activity', () => {
    async function withConversation() {
      const w = setup();
      const addComment = new AddComment(w.uow, w.clock);
      const question = await addComment.execute(w.alice, { ticketId: w.alice1.id, body: 'Any news?', internal: false });
      w.clock.advance({ minutes: 1 });
      const note = await addComment.execute(w.agent, { ticketId: w.alice1.id, body: 'Vendor ticket #42', internal: true });
      return { ...w, question, note };
    }

    it('hides internal notes and their activity from the requester', async () => {
      const { reader, alice, alice1, question } = await withConversation();
      expect((await reader.comments(alice, alice1.id)).map((c) => c.id)).toEqual([question.id]);
      expect((await reader.activity(alice, alice1.id)).map((a) => a.to)).toEqual([question.id]);
    });

    it('shows staff the whole conversation in order', async () => {
      const { reader, agent, alice1, question, note } = await withConversation();
      expect((await reader.comments(agent, alice1.id)).map((c) => c.id)).toEqual([question.id, note.id]);
      expect((await reader.activity(agent, alice1.id)).map((a) => [a.to, a.internal])).toEqual([
        [question.id, false],
        [note.id, true],
      ]);
    });

    it("answers TicketNotFoundError for the comments and activity of another requester's ticket", async () => {
      const { reader, bob, alice1 } = await withConversation();
      expect(await failureOf(() => reader.comments(bob, alice1.id))).toBeInstanceOf(TicketNotFoundError);
      expect(await failureOf(() => reader.activity(bob, alice1.id))).toBeInstanceOf(TicketNotFoundError);
    });
  });
});
