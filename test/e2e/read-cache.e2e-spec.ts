import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchDatabase, testRedisPrefix, testRedisUrl } from '../support/database.js';
import { PrivateRedis } from '../support/private-redis-server.js';
import { startTestApp, type Caller, type TestApp } from '../support/test-app.js';
import { until } from '../support/until.js';

/**
 * Two API instances (each with its workers) on one database and one Redis, sharing the read cache: whatever one
 * of them changes, a read that starts after the change returned sees it, on either instance.
 */
describe('read cache across two API instances sharing PostgreSQL and Redis', () => {
  const prefix = `${testRedisPrefix()}-rc-${randomUUID().slice(0, 8)}`;
  let db: { url: string; drop(): Promise<void> };
  let a: TestApp;
  let b: TestApp;
  let redis: Redis;
  let adminA: Caller;
  let adminB: Caller;
  let agentA: Caller;
  let agentB: Caller;
  let alice: Caller;
  let bob: Caller;

  beforeAll(async () => {
    db = await createScratchDatabase();
    const env = { QUEUE_PREFIX: prefix, OUTBOX_POLL_MS: '50' };
    a = await startTestApp(env, { databaseUrl: db.url });
    // One realm for both instances (passport's strategy is process-wide): a token works on either.
    b = await startTestApp({ ...env, OIDC_ISSUER_URL: a.keycloak.issuerUrl }, { databaseUrl: db.url });
    [adminA, adminB, agentA, agentB, alice, bob] = await Promise.all([
      a.user('admin'),
      a.user('admin'),
      a.user('agent'),
      a.user('agent'),
      a.user('requester', 'alice'),
      a.user('requester', 'bob'),
    ]);
    redis = new Redis(testRedisUrl());
  });
  afterAll(async () => {
    redis?.disconnect();
    await a?.close();
    await b?.close();
    await db?.drop();
  });

  const cachedKeys = (key: string) => redis.keys(`${prefix}:cache:*:{${key}}`);
  const get = (t: TestApp, as: Caller, id: string) => t.request('GET', `/api/v1/tickets/${id}`, { as });
  const open = async () => {
    const res = await a.request('POST', '/api/v1/tickets', {
      as: alice,
      body: { title: 'Laptop fan noise', description: 'Loud fan since the update' },
    });
    expect(res.status).toBe(201);
    return res.body as { id: string; version: number };
  };
  /** Reads on both instances (filling the cache), then checks the entry is really in Redis. */
  const warm = async (id: string) => {
    expect((await get(a, adminA, id)).status).toBe(200);
    expect((await get(b, adminB, id)).status).toBe(200);
    expect(await cachedKeys(`ticket:${id}`)).toHaveLength(1);
  };

  it('PATCH, status, assignee and comments on one instance are read at once on both', async () => {
    const ticket = await open();
    let version = ticket.version;
    for (let i = 0; i < 6; i++) {
      await warm(ticket.id);
      const [writer, writerAdmin, reader, readerAdmin] = i % 2 ? [b, adminB, a, adminA] : [a, adminA, b, adminB];
      const res = await writer.request('PATCH', `/api/v1/tickets/${ticket.id}`, { as: writerAdmin, body: { title: `Fan noise, take ${i}` } });
      expect(res.status).toBe(200);
      version = res.body.version;
      for (const [t, as] of [[reader, readerAdmin], [writer, writerAdmin]] as const) {
        const read = await get(t, as, ticket.id);
        expect(read.body).toMatchObject({ title: `Fan noise, take ${i}`, version });
        expect(read.headers.etag).toBe(`"${version}"`);
      }
    }

    await warm(ticket.id);
    const status = await b.request('PATCH', `/api/v1/tickets/${ticket.id}/status`, { as: agentB, body: { status: 'in_progress' } });
    expect(status.status).toBe(200);
    expect((await get(a, adminA, ticket.id)).body).toMatchObject({ status: 'in_progress', version: status.body.version });

    await warm(ticket.id);
    const assign = await a.request('PUT', `/api/v1/tickets/${ticket.id}/assignee`, { as: adminA, body: { assigneeId: agentA.id } });
    expect(assign.status).toBe(200);
    expect((await get(b, adminB, ticket.id)).body).toMatchObject({ assigneeId: agentA.id, version: assign.body.version });

    await warm(ticket.id);
    const comment = await a.request('POST', `/api/v1/tickets/${ticket.id}/comments`, { as: alice, body: { body: 'Still loud' } });
    expect(comment.status).toBe(201);
    expect((await get(b, adminB, ticket.id)).body.version).toBe(assign.body.version + 1);
  });

  it('a deleted ticket disappears at once for staff on the other instance, and comes back when restored', async () => {
    const ticket = await open();
    await warm(ticket.id);
    expect((await get(a, agentA, ticket.id)).status).toBe(200);
    expect((await a.request('DELETE', `/api/v1/tickets/${ticket.id}`, { as: adminA })).status).toBe(204);
    expect((await get(b, agentB, ticket.id)).status).toBe(404);
    expect((await get(a, agentA, ticket.id)).status).toBe(404);
    expect((await get(b, adminB, ticket.id)).body.deletedAt).toEqual(expect.any(String));

    expect((await b.request('POST', `/api/v1/tickets/${ticket.id}/restore`, { as: adminB })).status).toBe(200);
    expect((await get(a, agentA, ticket.id)).status).toBe(200);
    expect((await get(b, agentB, ticket.id)).body).not.toHaveProperty('deletedAt');
  });

  it('checks access on every read: a cached ticket is still 404 to another requester', async () => {
    const ticket = await open();
    await warm(ticket.id);
    expect((await get(a, bob, ticket.id)).status).toBe(404);
    expect((await get(a, alice, ticket.id)).status).toBe(200);
  });

  it('assignment by the background workers is seen through the cache', async () => {
    const category = (await a.request('POST', '/api/v1/categories', { as: adminA, body: { name: `Laptops ${randomUUID()}` } })).body.id;
    const group = await b.request('POST', '/api/v1/groups', {
      as: adminB,
      body: { name: `Desk ${randomUUID()}`, strategy: 'round_robin', memberIds: [agentB.id], categoryIds: [category] },
    });
    expect(group.status).toBe(201);
    const created = await a.request('POST', '/api/v1/tickets', {
      as: alice,
      body: { title: 'Battery swollen', description: 'The case bulges', categoryId: category },
    });
    // Read (and cache) it on both instances, possibly before the worker got to it.
    await get(a, adminA, created.body.id);
    await get(b, adminB, created.body.id);
    const seen = await until(() => get(b, adminB, created.body.id), (r) => r.body.assigneeId === agentB.id, 10_000);
    expect(seen.body).toMatchObject({ assigneeId: agentB.id, groupId: group.body.id });
    expect((await get(a, adminA, created.body.id)).body).toEqual(seen.body);
  });

  it('the category tree is cached and invalidated by any category change, on either instance', async () => {
    const names = async (t: TestApp, as: Caller) =>
      ((await t.request('GET', '/api/v1/categories', { as })).body as { name: string; subcategories: { name: string }[] }[]).flatMap(
        (c) => [c.name, ...c.subcategories.map((s) => s.name)],
      );
    await names(a, agentA);
    await names(b, agentB);
    expect(await cachedKeys('categories')).toHaveLength(1);

    const parent = (await a.request('POST', '/api/v1/categories', { as: adminA, body: { name: 'Printers' } })).body.id;
    expect(await names(b, agentB)).toContain('Printers');
    const child = (await b.request('POST', '/api/v1/categories', { as: adminB, body: { name: 'Toner', parentId: parent } })).body.id;
    expect(await names(a, agentA)).toContain('Toner');
    expect((await a.request('PATCH', `/api/v1/categories/${child}`, { as: adminA, body: { name: 'Ink' } })).status).toBe(200);
    expect(await names(b, agentB)).toEqual(expect.arrayContaining(['Printers', 'Ink']));
    expect(await names(b, agentB)).not.toContain('Toner');
    expect((await b.request('DELETE', `/api/v1/categories/${child}`, { as: adminB })).status).toBe(204);
    expect(await names(a, agentA)).not.toContain('Ink');
  });
});

describe('read cache turned off', () => {
  it('CACHE_TTL_SECONDS=0 reads straight from PostgreSQL and writes nothing to Redis', async () => {
    const prefix = `${testRedisPrefix()}-nc-${randomUUID().slice(0, 8)}`;
    const t = await startTestApp({ QUEUE_PREFIX: prefix, CACHE_TTL_SECONDS: '0' });
    const redis = new Redis(testRedisUrl());
    try {
      const admin = await t.user('admin');
      const created = await t.request('POST', '/api/v1/tickets', { as: admin, body: { title: 'No cache', description: 'Plain reads' } });
      expect((await t.request('GET', `/api/v1/tickets/${created.body.id}`, { as: admin })).status).toBe(200);
      await t.request('PATCH', `/api/v1/tickets/${created.body.id}`, { as: admin, body: { title: 'Still no cache' } });
      expect((await t.request('GET', `/api/v1/tickets/${created.body.id}`, { as: admin })).body.title).toBe('Still no cache');
      expect(await redis.keys(`${prefix}:cache:*`)).toEqual([]);
    } finally {
      redis.disconnect();
      await t.close();
    }
  });
});

describe('read cache while Redis is away (private redis-server with an append-only file, stopped and frozen by this test)', () => {
  let redis: PrivateRedis;
  let t: TestApp;
  let admin: Caller;
  beforeAll(async () => {
    redis = await PrivateRedis.start({ persistent: true });
    t = await startTestApp({ REDIS_URL: redis.url, QUEUE_PREFIX: `rc-${randomUUID().slice(0, 8)}` });
    admin = await t.user('admin');
  });
  afterAll(async () => {
    redis?.resume();
    await t?.close();
    await redis?.stop();
  });
  const title = async (id: string) => {
    const res = await t.request('GET', `/api/v1/tickets/${id}`, { as: admin });
    expect(res.status).toBe(200);
    return res.body.title as string;
  };
  const rename = async (id: string, to: string) =>
    expect((await t.request('PATCH', `/api/v1/tickets/${id}`, { as: admin, body: { title: to } })).status).toBe(200);
  /** The raw cache entries of a ticket in Redis (one per Redis server run that cached it). */
  const entries = async (id: string) => {
    const probe = new Redis(redis.url);
    try {
      const keys = await probe.keys(`*:cache:*:{ticket:${id}}`);
      return keys.length ? (await probe.mget(...keys)).filter((v): v is string => v !== null) : [];
    } finally {
      probe.disconnect();
    }
  };
  const open = async () =>
    (await t.request('POST', '/api/v1/tickets', { as: admin, body: { title: 'Before', description: 'x' } })).body.id as string;

  it('stopped: reads and writes go on against PostgreSQL; after a restart that reloads the old entry, reads are fresh', async () => {
    const id = await open();
    expect(await title(id)).toBe('Before');
    expect(await entries(id)).toEqual([expect.stringContaining('"title":"Before"')]);

    await redis.stop({ keepData: true });
    await rename(id, 'During');
    expect(await title(id)).toBe('During');

    await redis.restart();
    // The old entry is back from disk; once the app is reconnected it fills a new one and serves that.
    const filled = await until(async () => (await title(id), entries(id)), (e) => e.length === 2, 10_000);
    expect(filled).toEqual(
      expect.arrayContaining([expect.stringContaining('"title":"Before"'), expect.stringContaining('"title":"During"')]),
    );
    expect(await title(id)).toBe('During');
  });

  it('frozen: a write and the reads after it answer after the short timeout, fresh, and stay fresh on resume', async () => {
    const id = await open();
    expect(await until(async () => (await title(id), entries(id)), (e) => e.length === 1, 10_000)).toHaveLength(1);

    redis.pause();
    await rename(id, 'While frozen');
    expect(await title(id)).toBe('While frozen');
    redis.resume();
    expect(await title(id)).toBe('While frozen');
    const filled = await until(async () => (await title(id), entries(id)), (e) => e.some((v) => v.includes('While frozen')), 10_000);
    expect(filled).toEqual([expect.stringContaining('"title":"While frozen"')]);
    expect(await title(id)).toBe('While frozen');
  });
});
