import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type Caller, type TestApp } from '../support/test-app.js';
import { expectProblem } from './support/problem.js';

// The two-level category tree. Names carry a suffix unique to this run: other files share the database.

interface Category {
  id: string;
  name: string;
  parentId: string | null;
  createdAt: string;
  updatedAt: string;
  subcategories?: Category[];
}

let t: TestApp;
let admin: Caller;
let agent: Caller;
let alice: Caller;
const run = randomUUID().slice(0, 8);
const named = (name: string) => `${name} ${run}`;

beforeAll(async () => {
  t = await startTestApp();
  [admin, agent, alice] = await Promise.all([t.user('admin'), t.user('agent'), t.user('requester', 'alice')]);
});
afterAll(() => t?.close());

async function create(name: string, parentId?: string): Promise<Category> {
  const res = await t.request('POST', '/api/v1/categories', { as: admin, body: { name, ...(parentId && { parentId }) } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function tree(as: Caller = alice): Promise<Category[]> {
  const res = await t.request('GET', '/api/v1/categories', { as });
  expect(res.status).toBe(200);
  return res.body;
}

describe('creating and listing the tree', () => {
  it('creates top-level categories and subcategories, and lists subcategories under their parent', async () => {
    const network = await create(named('Network'));
    expect(network).toEqual({
      id: expect.any(String),
      name: named('Network'),
      parentId: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const wifi = await create(named('Wi-Fi'), network.id);
    const vpn = await create(`  ${named('VPN')}  `, network.id);
    expect(wifi.parentId).toBe(network.id);
    expect(vpn.name).toBe(named('VPN'));

    for (const as of [alice, agent, admin]) {
      const all = await tree(as);
      expect(all.every((c) => c.parentId === null && Array.isArray(c.subcategories))).toBe(true);
      const mine = all.find((c) => c.id === network.id)!;
      expect(mine).toMatchObject({ name: named('Network'), parentId: null });
      expect(mine.subcategories!.map((s) => s.name)).toEqual([named('VPN'), named('Wi-Fi')]);
      expect(mine.subcategories!.every((s) => s.parentId === network.id && !('subcategories' in s))).toBe(true);
      expect(all.some((c) => c.id === wifi.id)).toBe(false);
    }
  });

  it('renames and moves a category (admin)', async () => {
    const hardware = await create(named('Hardware'));
    const software = await create(named('Software'));
    const printers = await create(named('Printrs'), hardware.id);
    const renamed = await t.request('PATCH', `/api/v1/categories/${printers.id}`, { as: admin, body: { name: named('Printers') } });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id: printers.id, name: named('Printers'), parentId: hardware.id });
    const moved = await t.request('PATCH', `/api/v1/categories/${printers.id}`, { as: admin, body: { parentId: software.id } });
    expect(moved.body.parentId).toBe(software.id);
    const promoted = await t.request('PATCH', `/api/v1/categories/${printers.id}`, { as: admin, body: { parentId: null } });
    expect(promoted.status).toBe(200);
    expect(promoted.body.parentId).toBeNull();
    const all = await tree();
    expect(all.find((c) => c.id === printers.id)?.subcategories).toEqual([]);
    expect(all.find((c) => c.id === software.id)?.subcategories).toEqual([]);
  });
});

describe('only admins manage categories', () => {
  it('answers 403 to agents and requesters on POST, PATCH and DELETE, and changes nothing', async () => {
    const target = await create(named('Guarded'));
    for (const as of [agent, alice]) {
      const post = await t.request('POST', '/api/v1/categories', { as, body: { name: named(`By ${as.role}`) } });
      expectProblem(post, 403, 'FORBIDDEN');
      const patch = await t.request('PATCH', `/api/v1/categories/${target.id}`, { as, body: { name: named('Hijacked') } });
      expectProblem(patch, 403, 'FORBIDDEN');
      const del = await t.request('DELETE', `/api/v1/categories/${target.id}`, { as });
      expectProblem(del, 403, 'FORBIDDEN');
    }
    const names = (await tree()).map((c) => c.name);
    expect(names).toContain(named('Guarded'));
    expect(names).not.toContain(named('Hijacked'));
    expect(names.filter((n) => n.startsWith('By ') && n.endsWith(run))).toEqual([]);
  });

  it('answers 403 (not 404) to non-admins even for an unknown id', async () => {
    expectProblem(await t.request('DELETE', `/api/v1/categories/${randomUUID()}`, { as: agent }), 403);
  });
});

describe('tree rules', () => {
  it('refuses a duplicate name at the same level, case-insensitively, with 409', async () => {
    const top = await create(named('Email'));
    for (const name of [named('Email'), named('EMAIL'), `  ${named('email')} `]) {
      const res = await t.request('POST', '/api/v1/categories', { as: admin, body: { name } });
      expectProblem(res, 409, 'CATEGORY_NAME_TAKEN');
    }
    await create(named('Outlook'), top.id);
    expectProblem(
      await t.request('POST', '/api/v1/categories', { as: admin, body: { name: named('OUTLOOK'), parentId: top.id } }),
      409,
      'CATEGORY_NAME_TAKEN',
    );
    // Renaming into a taken name is the same conflict.
    const other = await create(named('Calendar'));
    expectProblem(
      await t.request('PATCH', `/api/v1/categories/${other.id}`, { as: admin, body: { name: named('eMail') } }),
      409,
      'CATEGORY_NAME_TAKEN',
    );
  });

  it('allows the same name at another level or under another parent', async () => {
    const a = await create(named('Accounts'));
    const b = await create(named('Access'));
    await create(named('Other'), a.id);
    await create(named('Other'), b.id);
    await create(named('Other'));
  });

  it('refuses a third level with 422', async () => {
    const top = await create(named('Facilities'));
    const sub = await create(named('Lighting'), top.id);
    const res = await t.request('POST', '/api/v1/categories', { as: admin, body: { name: named('Bulbs'), parentId: sub.id } });
    expectProblem(res, 422, 'CATEGORY_TREE_INVALID');
    expect(res.body.errors).toEqual([{ field: 'parentId', message: expect.any(String) }]);
    // Moving a category that has subcategories under another one would make a third level too.
    const other = await create(named('Buildings'));
    const move = await t.request('PATCH', `/api/v1/categories/${top.id}`, { as: admin, body: { parentId: other.id } });
    expectProblem(move, 422, 'CATEGORY_TREE_INVALID');
    const moveUnder = await t.request('PATCH', `/api/v1/categories/${other.id}`, { as: admin, body: { parentId: sub.id } });
    expectProblem(moveUnder, 422, 'CATEGORY_TREE_INVALID');
    expect((await tree()).find((c) => c.id === top.id)?.subcategories?.map((s) => s.id)).toEqual([sub.id]);
  });

  it('refuses an unknown parent with 422', async () => {
    const res = await t.request('POST', '/api/v1/categories', { as: admin, body: { name: named('Orphan'), parentId: randomUUID() } });
    expectProblem(res, 422, 'CATEGORY_TREE_INVALID');
  });
});

describe('deleting', () => {
  it('deletes an unused category with 204, after which it is gone', async () => {
    const top = await create(named('Temporary'));
    const sub = await create(named('Temporary child'), top.id);
    const delSub = await t.request('DELETE', `/api/v1/categories/${sub.id}`, { as: admin });
    expect(delSub.status).toBe(204);
    expect(delSub.body).toBe('');
    expect((await t.request('DELETE', `/api/v1/categories/${top.id}`, { as: admin })).status).toBe(204);
    expect((await tree()).some((c) => c.id === top.id)).toBe(false);
    expectProblem(await t.request('DELETE', `/api/v1/categories/${top.id}`, { as: admin }), 404, 'CATEGORY_NOT_FOUND');
    expectProblem(
      await t.request('PATCH', `/api/v1/categories/${top.id}`, { as: admin, body: { name: 'x' } }),
      404,
      'CATEGORY_NOT_FOUND',
    );
    // The name is free again.
    await create(named('Temporary'));
  });

  it('refuses to delete a category with subcategories (409)', async () => {
    const top = await create(named('Parent'));
    await create(named('Child'), top.id);
    const res = await t.request('DELETE', `/api/v1/categories/${top.id}`, { as: admin });
    expectProblem(res, 409, 'CATEGORY_IN_USE');
    expect((await tree()).some((c) => c.id === top.id)).toBe(true);
  });

  it('refuses to delete a category or subcategory a ticket uses (409), even a deleted ticket', async () => {
    const top = await create(named('Phones'));
    const sub = await create(named('Mobile'), top.id);
    const lone = await create(named('Desk phones'));
    const viaSub = await t.request('POST', '/api/v1/tickets', {
      as: alice,
      body: { title: 'Phone broken', description: 'Screen cracked', subcategoryId: sub.id },
    });
    expect(viaSub.status).toBe(201);
    expect(viaSub.body).toMatchObject({ categoryId: top.id, subcategoryId: sub.id });
    const viaTop = await t.request('POST', '/api/v1/tickets', {
      as: alice,
      body: { title: 'Desk phone', description: 'No dial tone', categoryId: lone.id },
    });
    expect(viaTop.status).toBe(201);

    expectProblem(await t.request('DELETE', `/api/v1/categories/${sub.id}`, { as: admin }), 409, 'CATEGORY_IN_USE');
    expectProblem(await t.request('DELETE', `/api/v1/categories/${lone.id}`, { as: admin }), 409, 'CATEGORY_IN_USE');

    expect((await t.request('DELETE', `/api/v1/tickets/${viaTop.body.id}`, { as: admin })).status).toBe(204);
    expectProblem(await t.request('DELETE', `/api/v1/categories/${lone.id}`, { as: admin }), 409, 'CATEGORY_IN_USE');

    // Reclassifying the ticket frees the category.
    const moved = await t.request('PATCH', `/api/v1/tickets/${viaSub.body.id}`, { as: agent, body: { categoryId: lone.id } });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ categoryId: lone.id, subcategoryId: null });
    expect((await t.request('DELETE', `/api/v1/categories/${sub.id}`, { as: admin })).status).toBe(204);
  });

  it('refuses to move a category tickets use to another level (422)', async () => {
    const top = await create(named('Printers top'));
    const other = await create(named('Devices'));
    const ticket = await t.request('POST', '/api/v1/tickets', {
      as: alice,
      body: { title: 'Printer', description: 'Jammed', categoryId: top.id },
    });
    expect(ticket.status).toBe(201);
    const res = await t.request('PATCH', `/api/v1/categories/${top.id}`, { as: admin, body: { parentId: other.id } });
    expectProblem(res, 422, 'CATEGORY_TREE_INVALID');
  });
});

describe('classifying tickets', () => {
  let hardware: Category;
  let laptops: Category;
  let software: Category;
  let office: Category;

  beforeAll(async () => {
    hardware = await create(named('HW'));
    laptops = await create(named('Laptops'), hardware.id);
    software = await create(named('SW'));
    office = await create(named('Office'), software.id);
  });

  const openTicket = (body: Record<string, unknown>) =>
    t.request('POST', '/api/v1/tickets', { as: alice, body: { title: 'Classified', description: 'A ticket', ...body } });

  it('refuses a subcategory that does not belong to the category with 422', async () => {
    const res = await openTicket({ categoryId: hardware.id, subcategoryId: office.id });
    expectProblem(res, 422, 'INVALID_REFERENCE');
    expect(res.body.errors).toEqual([{ field: 'subcategoryId', message: expect.any(String) }]);
  });

  it('refuses a top-level category given as the subcategory, and a subcategory given as the category', async () => {
    const asSub = await openTicket({ categoryId: hardware.id, subcategoryId: software.id });
    expectProblem(asSub, 422, 'INVALID_REFERENCE');
    expect(asSub.body.errors[0].field).toBe('subcategoryId');
    const asTop = await openTicket({ categoryId: laptops.id });
    expectProblem(asTop, 422, 'INVALID_REFERENCE');
    expect(asTop.body.errors[0].field).toBe('categoryId');
    expectProblem(await openTicket({ subcategoryId: randomUUID() }), 422, 'INVALID_REFERENCE');
  });

  it('accepts a matching pair, and fills in the category from a subcategory alone', async () => {
    const pair = await openTicket({ categoryId: hardware.id, subcategoryId: laptops.id });
    expect(pair.status).toBe(201);
    expect(pair.body).toMatchObject({ categoryId: hardware.id, subcategoryId: laptops.id });
    const implied = await openTicket({ subcategoryId: office.id });
    expect(implied.body).toMatchObject({ categoryId: software.id, subcategoryId: office.id });
  });

  it('refuses a mismatched subcategory on PATCH with 422 and keeps the ticket as it was', async () => {
    const ticket = (await openTicket({ subcategoryId: laptops.id })).body;
    const res = await t.request('PATCH', `/api/v1/tickets/${ticket.id}`, { as: agent, body: { subcategoryId: office.id, categoryId: hardware.id } });
    expectProblem(res, 422, 'INVALID_REFERENCE');
    const after = await t.request('GET', `/api/v1/tickets/${ticket.id}`, { as: agent });
    expect(after.body).toMatchObject({ categoryId: hardware.id, subcategoryId: laptops.id, version: 1 });
  });
});
