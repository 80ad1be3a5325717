import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type Caller, type TestApp } from '../support/test-app.js';

// Keyset pagination and filters of GET /tickets. Other test files share the database, so every query here is
// narrowed to a tag (and words) unique to this run.

interface Item {
  id: string;
  title: string;
  status: string;
  priority: string;
  severity: string;
  requesterId: string;
  assigneeId: string | null;
  categoryId: string | null;
  subcategoryId: string | null;
  tags: string[];
  createdAt: string;
  updatedAt: string;
}

let t: TestApp;
let agent: Caller;
let admin: Caller;
let alice: Caller;
let bob: Caller;

const run = randomUUID().slice(0, 8);
const tag = `list-${run}`;

beforeAll(async () => {
  t = await startTestApp();
  [agent, admin, alice, bob] = await Promise.all([
    t.user('agent'),
    t.user('admin'),
    t.user('requester', 'alice'),
    t.user('requester', 'bob'),
  ]);
});
afterAll(() => t?.close());

async function open(as: Caller, body: Record<string, unknown>): Promise<Item> {
  const res = await t.request('POST', '/api/v1/tickets', {
    as,
    body: { title: 'Listing', description: 'Listing ticket', ...body },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function list(query: string, as: Caller = agent): Promise<{ items: Item[]; nextCursor: string | null; total?: number }> {
  const res = await t.request('GET', `/api/v1/tickets?${query}`, { as });
  expect(res.status, `${query}: ${JSON.stringify(res.body)}`).toBe(200);
  return res.body;
}

const ids = (items: { id: string }[]) => items.map((i) => i.id);
const sorted = (values: string[]) => [...values].sort();

/** Walks every page; `between` runs after each page (e.g. to create tickets mid-walk). */
async function walk(query: string, between?: (page: number) => Promise<void>) {
  const pages: Item[][] = [];
  let cursor: string | null = null;
  do {
    const body = await list(`${query}${cursor ? `&cursor=${cursor}` : ''}`);
    pages.push(body.items);
    cursor = body.nextCursor;
    expect(pages.length, 'runaway pagination').toBeLessThan(50);
    if (between) await between(pages.length);
  } while (cursor);
  return pages;
}

const RANK: Record<string, number> = { critical: 0, high: 1, medium: 2, low: 3 };
const byId = (a: Item, b: Item) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const COMPARE: Record<string, (a: Item, b: Item) => number> = {
  createdAt: (a, b) => a.createdAt.localeCompare(b.createdAt) || byId(a, b),
  updatedAt: (a, b) => a.updatedAt.localeCompare(b.updatedAt) || byId(a, b),
  priority: (a, b) => RANK[a.priority]! - RANK[b.priority]! || byId(a, b),
};
const comparatorOf = (sort: string) => {
  const compare = COMPARE[sort.replace('-', '')]!;
  return sort.startsWith('-') ? (a: Item, b: Item) => compare(b, a) : compare;
};

describe('keyset pagination', () => {
  const pagingTag = `${tag}-paging`;
  let created: Item[];

  beforeAll(async () => {
    // Pairs share a priority so the id tie-break is exercised; sequential so createdAt differs (or ties by ms).
    created = [];
    for (const [i, priority] of ['high', 'high', 'low', 'critical', 'critical', 'medium', 'low'].entries()) {
      created.push(await open(agent, { title: `Paging ${i}`, priority, tags: [pagingTag] }));
    }
    // A field change moves updatedAt away from createdAt order.
    const edited = await t.request('PATCH', `/api/v1/tickets/${created[0]!.id}`, { as: agent, body: { title: 'Paging 0 (edited)' } });
    expect(edited.status).toBe(200);
    created[0] = edited.body;
  });

  it.each(['createdAt', '-createdAt', 'updatedAt', '-updatedAt', 'priority', '-priority'])(
    'sort=%s: limit=2 pages cover every ticket once, in order, matching includeTotal',
    async (sort) => {
      const pages = await walk(`tag=${pagingTag}&sort=${sort}&limit=2`);
      const seen = pages.flat();
      expect(pages.slice(0, -1).every((p) => p.length === 2)).toBe(true);
      expect(pages.at(-1)!.length).toBeGreaterThanOrEqual(1);
      expect(new Set(ids(seen)).size).toBe(seen.length);
      expect(sorted(ids(seen))).toEqual(sorted(ids(created)));
      expect(ids(seen)).toEqual(ids([...seen].sort(comparatorOf(sort))));
      const withTotal = await list(`tag=${pagingTag}&sort=${sort}&limit=2&includeTotal=true`);
      expect(withTotal.total).toBe(created.length);
      expect(ids(withTotal.items)).toEqual(ids(pages[0]!));
    },
  );

  it('orders by priority from critical to low, and the reverse', async () => {
    const up = (await walk(`tag=${pagingTag}&sort=priority&limit=3`)).flat();
    expect(up.map((i) => i.priority)).toEqual(['critical', 'critical', 'high', 'high', 'medium', 'low', 'low']);
    const down = (await walk(`tag=${pagingTag}&sort=-priority&limit=3`)).flat();
    expect(down.map((i) => i.priority)).toEqual(['low', 'low', 'medium', 'high', 'high', 'critical', 'critical']);
  });

  it('defaults to -createdAt, 25 per page, and omits total unless asked', async () => {
    const body = await list(`tag=${pagingTag}`);
    expect(ids(body.items)).toEqual(ids([...created].sort(comparatorOf('-createdAt'))));
    expect(body.nextCursor).toBeNull();
    expect(body).not.toHaveProperty('total');
    expect((await list(`tag=${pagingTag}&includeTotal=false`))).not.toHaveProperty('total');
  });

  it('ends with nextCursor null exactly when the last page is full', async () => {
    const pages = await walk(`tag=${pagingTag}&limit=7`);
    expect(pages).toHaveLength(1);
    expect(pages[0]).toHaveLength(7);
  });

  it('stays stable while tickets are created between pages', async () => {
    const stableTag = `${tag}-stable`;
    const before: Item[] = [];
    for (let i = 0; i < 5; i++) before.push(await open(agent, { title: `Stable ${i}`, tags: [stableTag] }));
    const added: Item[] = [];
    const addOne = async () => {
      added.push(await open(agent, { title: `Stable added ${added.length}`, tags: [stableTag] }));
    };

    // Newest first: tickets created mid-walk sort before the cursor and never show up or shift a page.
    const desc = (await walk(`tag=${stableTag}&sort=-createdAt&limit=2`, addOne)).flat();
    expect(ids(desc)).toEqual(ids([...before].reverse()));

    // Oldest first: they sort after the cursor and are picked up at the end, each exactly once (all but the one
    // created after the last page was read).
    const asc = (await walk(`tag=${stableTag}&sort=createdAt&limit=2`, addOne)).flat();
    expect(new Set(ids(asc)).size).toBe(asc.length);
    const seenBeforeLastPage = [...before, ...added.slice(0, -1)];
    expect(sorted(ids(asc))).toEqual(sorted(ids(seenBeforeLastPage)));
    expect(ids(asc)).toEqual(ids([...seenBeforeLastPage].sort(comparatorOf('createdAt'))));
    const total = await list(`tag=${stableTag}&includeTotal=true&limit=1`);
    expect(total.total).toBe(before.length + added.length);
  });

  it('lets a requester page through only their own tickets', async () => {
    const ownTag = `${tag}-own`;
    for (let i = 0; i < 3; i++) await open(alice, { title: `Alice ${i}`, tags: [ownTag] });
    await open(bob, { title: 'Bob', tags: [ownTag] });
    const res = await t.request('GET', `/api/v1/tickets?tag=${ownTag}&limit=2&includeTotal=true`, { as: alice });
    expect(res.body.total).toBe(3);
    const seen: Item[] = [...res.body.items];
    const next = await t.request('GET', `/api/v1/tickets?tag=${ownTag}&limit=2&cursor=${res.body.nextCursor}`, { as: alice });
    seen.push(...next.body.items);
    expect(next.body.nextCursor).toBeNull();
    expect(seen.map((i) => i.requesterId)).toEqual([alice.id, alice.id, alice.id]);
  });
});

describe('filters', () => {
  const filterTag = `${tag}-filters`;
  let parent: string;
  let child: string;
  let otherParent: string;
  const tickets: Record<string, Item> = {};
  let between: string;

  beforeAll(async () => {
    const category = async (name: string, parentId?: string) => {
      const res = await t.request('POST', '/api/v1/categories', { as: admin, body: { name: `${name} ${run}`, parentId } });
      expect(res.status).toBe(201);
      return res.body.id as string;
    };
    parent = await category('Hardware');
    otherParent = await category('Software');
    child = await category('Printers', parent);

    const tags = (...extra: string[]) => [filterTag, ...extra];
    tickets.a = await open(alice, { title: 'Alpha', severity: 'critical', urgency: 'high', categoryId: parent, tags: tags('a') });
    tickets.b = await open(alice, { title: 'Bravo', severity: 'low', urgency: 'low', subcategoryId: child, tags: tags('b') });
    between = new Date().toISOString();
    tickets.c = await open(bob, { title: 'Charlie', severity: 'medium', urgency: 'medium', categoryId: otherParent, tags: tags('c') });
    tickets.d = await open(agent, { title: 'Delta', requesterId: bob.id, severity: 'high', urgency: 'low', priority: 'high', tags: tags('d') });
    tickets.e = await open(alice, { title: 'Echo', tags: tags('e', `shared-${run}`) });
    tickets.f = await open(bob, { title: 'Foxtrot', tags: tags(`shared-${run}`) });

    const status = async (item: Item, ...steps: string[]) => {
      for (const step of steps) {
        const res = await t.request('PATCH', `/api/v1/tickets/${item.id}/status`, { as: agent, body: { status: step } });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
      }
    };
    await status(tickets.a!, 'open');
    await status(tickets.b!, 'in_progress');
    await status(tickets.c!, 'in_progress', 'pending');
    await status(tickets.d!, 'in_progress', 'resolved');
    const assign = await t.request('PUT', `/api/v1/tickets/${tickets.a!.id}/assignee`, { as: agent, body: { assigneeId: agent.id } });
    expect(assign.status).toBe(200);
    const assignAdmin = await t.request('PUT', `/api/v1/tickets/${tickets.c!.id}/assignee`, { as: agent, body: { assigneeId: admin.id } });
    expect(assignAdmin.status).toBe(200);
  });

  /** Titles (sorted by name: the titles follow creation order) of the run's tickets matching `query`. */
  const titles = async (query: string) =>
    (await walk(`tag=${filterTag}&limit=100${query ? `&${query}` : ''}`))
      .flat()
      .map((i) => i.title)
      .sort();

  it('matches everything of the run without other filters', async () => {
    expect(await titles('')).toEqual(['Alpha', 'Bravo', 'Charlie', 'Delta', 'Echo', 'Foxtrot']);
  });

  it('filters by status, as a comma list or repeated', async () => {
    expect(await titles('status=new')).toEqual(['Echo', 'Foxtrot']);
    expect(await titles('status=open,pending')).toEqual(['Alpha', 'Charlie']);
    expect(await titles('status=open&status=pending')).toEqual(['Alpha', 'Charlie']);
    expect(await titles('status=in_progress,resolved&status=new')).toEqual(['Bravo', 'Delta', 'Echo', 'Foxtrot']);
    expect(await titles('status=closed')).toEqual([]);
  });

  it('filters by priority and severity', async () => {
    expect(await titles('priority=critical')).toEqual(['Alpha']);
    expect(await titles('priority=high,low')).toEqual(['Bravo', 'Delta']);
    expect(await titles('priority=medium')).toEqual(['Charlie', 'Echo', 'Foxtrot']);
    expect(await titles('severity=critical&severity=low')).toEqual(['Alpha', 'Bravo']);
    expect(await titles('severity=high')).toEqual(['Delta']);
    expect(await titles('severity=medium&priority=critical')).toEqual([]);
  });

  it('filters by a category (matching its subcategories too) or a subcategory', async () => {
    expect(await titles(`categoryId=${parent}`)).toEqual(['Alpha', 'Bravo']);
    expect(await titles(`categoryId=${child}`)).toEqual(['Bravo']);
    expect(await titles(`categoryId=${otherParent}`)).toEqual(['Charlie']);
    expect(await titles(`categoryId=${randomUUID()}`)).toEqual([]);
  });

  it('filters by assignee, with none for unassigned', async () => {
    expect(await titles(`assigneeId=${agent.id}`)).toEqual(['Alpha']);
    expect(await titles(`assigneeId=${admin.id}`)).toEqual(['Charlie']);
    expect(await titles('assigneeId=none')).toEqual(['Bravo', 'Delta', 'Echo', 'Foxtrot']);
  });

  // Regression (fixed): the DTO accepts `none` case-insensitively (regex /i) but the controller compares with === 'none', so
  // `NONE` reaches SQL as a uuid and answers 500 (src/adapters/http/tickets/ticket-list.query.dto.ts, tickets.controller.ts).
  it('treats assigneeId=NONE like none (or refuses it with 400), never 500', async () => {
    const res = await t.request('GET', `/api/v1/tickets?tag=${filterTag}&limit=100&assigneeId=NONE`, { as: agent });
    expect(res.status, JSON.stringify(res.body)).not.toBe(500);
    if (res.status === 200) {
      expect(res.body.items.map((i: Item) => i.title).sort()).toEqual(['Bravo', 'Delta', 'Echo', 'Foxtrot']);
    } else {
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ field: 'assigneeId', message: expect.any(String) }]);
    }
  });

  it('filters by requester (staff), and never shows a requester someone else’s tickets', async () => {
    expect(await titles(`requesterId=${alice.id}`)).toEqual(['Alpha', 'Bravo', 'Echo']);
    expect(await titles(`requesterId=${bob.id}`)).toEqual(['Charlie', 'Delta', 'Foxtrot']);
    const asAlice = await t.request('GET', `/api/v1/tickets?tag=${filterTag}&limit=100`, { as: alice });
    expect(asAlice.body.items.map((i: Item) => i.title).sort()).toEqual(['Alpha', 'Bravo', 'Echo']);
    const peek = await t.request('GET', `/api/v1/tickets?tag=${filterTag}&requesterId=${bob.id}&includeTotal=true`, { as: alice });
    expect(peek.body).toEqual({ items: [], nextCursor: null, total: 0 });
  });

  it('filters by one tag, exactly (not by prefix or case)', async () => {
    const shared = await list(`tag=shared-${run}&limit=100`);
    expect(shared.items.map((i) => i.title).sort()).toEqual(['Echo', 'Foxtrot']);
    const exact = await list(`tag=${filterTag.toUpperCase()}`);
    expect(exact.items).toEqual([]);
    const prefix = await list(`tag=${filterTag.slice(0, -2)}`);
    expect(prefix.items).toEqual([]);
  });

  it('filters by creation time: createdFrom inclusive, createdTo exclusive', async () => {
    expect(await titles(`createdFrom=${encodeURIComponent(tickets.c!.createdAt)}`)).toEqual(['Charlie', 'Delta', 'Echo', 'Foxtrot']);
    expect(await titles(`createdTo=${encodeURIComponent(tickets.c!.createdAt)}`)).toEqual(['Alpha', 'Bravo']);
    expect(
      await titles(`createdFrom=${encodeURIComponent(tickets.b!.createdAt)}&createdTo=${encodeURIComponent(tickets.d!.createdAt)}`),
    ).toEqual(['Bravo', 'Charlie']);
    expect(await titles(`createdFrom=${encodeURIComponent(between)}&createdTo=${encodeURIComponent(tickets.c!.createdAt)}`)).toEqual([]);
    // Offsets other than Z mean the same instant.
    const instant = new Date(tickets.c!.createdAt);
    const shifted = new Date(instant.getTime() + 3 * 3600_000).toISOString().replace('Z', '+03:00');
    expect(await titles(`createdFrom=${encodeURIComponent(shifted)}`)).toEqual(['Charlie', 'Delta', 'Echo', 'Foxtrot']);
    expect(await titles('createdTo=2000-01-01')).toEqual([]);
    expect(await titles('createdFrom=2000-01-01')).toHaveLength(6);
  });

  it('combines filters with AND and pages through the result', async () => {
    expect(await titles(`requesterId=${alice.id}&status=new,open&assigneeId=none`)).toEqual(['Echo']);
    const pages = await walk(`tag=${filterTag}&status=new,in_progress,resolved&sort=-createdAt&limit=1`);
    expect(pages.flat().map((i) => i.title).sort()).toEqual(['Bravo', 'Delta', 'Echo', 'Foxtrot']);
    expect(ids(pages.flat())).toEqual(ids(pages.flat().sort(comparatorOf('-createdAt'))));
    expect(pages).toHaveLength(4);
    const total = await list(`tag=${filterTag}&status=new,in_progress,resolved&limit=1&includeTotal=true`);
    expect(total.total).toBe(4);
  });
});

describe('full-text search', () => {
  const searchTag = `${tag}-search`;
  const word = `zq${run}`;

  beforeAll(async () => {
    await open(alice, { title: 'Impressão não funciona', description: `A impressora do terceiro andar falha ${word}`, tags: [searchTag] });
    await open(alice, { title: 'No puedo cambiar mi contraseña', description: 'El formulario de recuperación da error', tags: [searchTag] });
    await open(alice, { title: 'Café machine', description: 'Über-broken since the déménagement', tags: [searchTag] });
    await open(alice, { title: 'Unrelated', description: 'Nothing to see', tags: [searchTag] });
  });

  const search = async (q: string) =>
    (await list(`tag=${searchTag}&limit=100&q=${encodeURIComponent(q)}`)).items.map((i) => i.title).sort();

  it.each(['impressao', 'IMPRESSÃO', 'Impressão', 'impressÃo', 'IMPRESSAO'])('finds "Impressão não funciona" by q=%s', async (q) => {
    expect(await search(q)).toEqual(['Impressão não funciona']);
  });

  it.each(['contrasena', 'contraseña', 'CONTRASEÑA', 'recuperacion'])('finds "contraseña" by q=%s', async (q) => {
    expect(await search(q)).toEqual(['No puedo cambiar mi contraseña']);
  });

  it('matches words in the description, accents either way', async () => {
    expect(await search(word)).toEqual(['Impressão não funciona']);
    expect(await search('cafe')).toEqual(['Café machine']);
    expect(await search('uber demenagement')).toEqual(['Café machine']);
    expect(await search('nao funciona')).toEqual(['Impressão não funciona']);
  });

  it('requires every word, and finds nothing for words not there', async () => {
    expect(await search('impressao contrasena')).toEqual([]);
    expect(await search(`nothing-like-this-${run}`)).toEqual([]);
  });

  it('ignores a blank q', async () => {
    expect(await search('   ')).toHaveLength(4);
  });

  it('pages through search results and counts them', async () => {
    const pages = await walk(`tag=${searchTag}&q=${encodeURIComponent('não OR contraseña OR café')}&limit=1&sort=createdAt`);
    expect(pages.flat().map((i) => i.title).sort()).toEqual(['Café machine', 'Impressão não funciona', 'No puedo cambiar mi contraseña']);
    expect(pages).toHaveLength(3);
    const total = await list(`tag=${searchTag}&q=${encodeURIComponent('nao OR contrasena OR cafe')}&limit=1&includeTotal=true`);
    expect(total.total).toBe(3);
  });
});
