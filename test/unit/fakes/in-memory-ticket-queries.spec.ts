import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../src/core/shared/domain-error.js';
import type { TicketListQuery } from '../../../src/core/tickets/ticket-queries.port.js';
import type { TicketSnapshot } from '../../../src/core/tickets/ticket.js';
import { aCategory } from '../../support/factories/category.factory.js';
import { aTicketSnapshot } from '../../support/factories/ticket.factory.js';
import { InMemoryDatabase } from '../../support/fakes/in-memory-database.js';
import { InMemoryTicketQueries } from '../../support/fakes/in-memory-ticket-queries.js';

const query = (overrides: Partial<TicketListQuery> = {}): TicketListQuery => ({
  sort: { field: 'createdAt', direction: 'asc' },
  limit: 25,
  includeTotal: false,
  ...overrides,
});

const hour = (h: number) => new Date(Date.UTC(2025, 5, 1, h));

function setup() {
  const db = new InMemoryDatabase();
  const ann = db.addActor('requester');
  const agent = db.addActor('agent');
  const hardware = db.addCategory(aCategory());
  const printers = db.addCategory(aCategory({ parentId: hardware.id }));
  const seed = (title: string, overrides: Partial<TicketSnapshot>) =>
    db.addTicket(aTicketSnapshot({ title, requesterId: ann.id, ...overrides })).snapshot();
  const t = {
    a: seed('Café printer jammed', { createdAt: hour(1), priority: 'low', tags: ['printer'], categoryId: hardware.id, subcategoryId: printers.id }),
    b: seed('VPN drops', { createdAt: hour(2), priority: 'critical', assigneeId: agent.id, status: 'open' }),
    c: seed('Laptop slow', { createdAt: hour(3), priority: 'high', categoryId: hardware.id }),
    d: seed('Mail bounced', { createdAt: hour(4), priority: 'high' }),
    deleted: seed('Deleted one', { createdAt: hour(5), deletedAt: hour(6) }),
  };
  return { db, queries: new InMemoryTicketQueries(db), t, agent, hardware, printers };
}

const titles = (page: { items: TicketSnapshot[] }) => page.items.map((x) => x.title);

describe('InMemoryTicketQueries', () => {
  it('leaves soft-deleted tickets out of lists but returns them by id', async () => {
    const { queries, t } = setup();
    expect(titles(await queries.list(query()))).not.toContain('Deleted one');
    expect(await queries.getById(t.deleted.id)).toMatchObject({ deletedAt: hour(6) });
  });

  it('pages with keyset cursors, counting the total over all pages', async () => {
    const { queries } = setup();
    const first = await queries.list(query({ limit: 3, includeTotal: true }));
    expect(first).toMatchObject({ total: 4 });
    expect(titles(first)).toEqual(['Café printer jammed', 'VPN drops', 'Laptop slow']);
    const second = await queries.list(query({ limit: 3, cursor: first.nextCursor! }));
    expect(titles(second)).toEqual(['Mail bounced']);
    expect(second.nextCursor).toBeNull();
  });

  it('sorts by priority rank with the id as tie-breaker, in both directions', async () => {
    const { queries, t } = setup();
    const desc = await queries.list(query({ sort: { field: 'priority', direction: 'desc' } }));
    const highs = [t.c, t.d].map((x) => x.id).sort();
    expect(desc.items.map((x) => x.id)).toEqual([t.a.id, ...highs.reverse(), t.b.id]);
    const asc = await queries.list(query({ sort: { field: 'priority', direction: 'asc' }, limit: 2 }));
    const next = await queries.list(query({ sort: { field: 'priority', direction: 'asc' }, limit: 2, cursor: asc.nextCursor! }));
    expect([...asc.items, ...next.items].map((x) => x.id)).toEqual([t.b.id, ...highs.reverse(), t.a.id]);
  });

  it('refuses a cursor issued for another sort order', async () => {
    const { queries } = setup();
    const { nextCursor } = await queries.list(query({ limit: 1 }));
    await expect(queries.list(query({ sort: { field: 'updatedAt', direction: 'asc' }, cursor: nextCursor! }))).rejects.toBeInstanceOf(
      InvalidInputError,
    );
  });

  it.each<[string, Partial<TicketListQuery>, string[]]>([
    ['status', { status: ['open'] }, ['VPN drops']],
    ['priority', { priority: ['high', 'low'] }, ['Café printer jammed', 'Laptop slow', 'Mail bounced']],
    ['unassigned', { assigneeId: null }, ['Café printer jammed', 'Laptop slow', 'Mail bounced']],
    ['tag', { tag: 'printer' }, ['Café printer jammed']],
    ['text, accent- and case-insensitively', { q: 'CAFE jammed' }, ['Café printer jammed']],
    ['created range [from, to)', { createdFrom: hour(2), createdTo: hour(4) }, ['VPN drops', 'Laptop slow']],
  ])('filters by %s', async (_, filter, expected) => {
    const { queries } = setup();
    expect(titles(await queries.list(query(filter)))).toEqual(expected);
  });

  it('filters by category, matching the category or the subcategory', async () => {
    const { queries, hardware, printers } = setup();
    expect(titles(await queries.list(query({ categoryId: hardware.id })))).toEqual(['Café printer jammed', 'Laptop slow']);
    expect(titles(await queries.list(query({ categoryId: printers.id })))).toEqual(['Café printer jammed']);
  });

  it('filters by assignee', async () => {
    const { queries, agent } = setup();
    expect(titles(await queries.list(query({ assigneeId: agent.id })))).toEqual(['VPN drops']);
  });
});
