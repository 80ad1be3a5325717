import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisConnection } from '../../src/adapters/redis/redis-connection.js';
import { RedisThrottlerStorage } from '../../src/adapters/redis/redis-throttler.storage.js';
import { testRedisUrl } from '../support/database.js';

// Two storages on one Redis stand for two API replicas.
describe('RedisThrottlerStorage across replicas', () => {
  let connections: RedisConnection[];
  let a: RedisThrottlerStorage;
  let b: RedisThrottlerStorage;

  beforeAll(async () => {
    connections = [new RedisConnection(testRedisUrl()), new RedisConnection(testRedisUrl())];
    for (let i = 0; i < 50 && !connections.every((c) => c.isReady); i++) await sleep(20);
    [a, b] = connections.map((c) => new RedisThrottlerStorage(c)) as [RedisThrottlerStorage, RedisThrottlerStorage];
  });
  afterAll(async () => {
    await Promise.all([a.beforeApplicationShutdown(), b.beforeApplicationShutdown()]);
    await Promise.all(connections.map((c) => c.close()));
  });

  const hit = (s: RedisThrottlerStorage, key: string, limit = 10) => s.increment(key, 60_000, limit);

  it('counts a replica’s own hits at once and learns the other replica’s on its next flush', async () => {
    const key = `test:${randomUUID()}`;
    expect((await hit(a, key)).totalHits).toBe(1);
    expect((await hit(a, key)).totalHits).toBe(2);
    expect((await hit(a, key)).totalHits).toBe(3);
    await sleep(250);
    // B's first hit in the window reads the shared count.
    expect((await hit(b, key)).totalHits).toBe(4);
    expect((await hit(b, key)).totalHits).toBe(5);
    await sleep(250);
    // A still counts from what it knew, then its flush brings B's hits back.
    expect((await hit(a, key)).totalHits).toBe(4);
    await sleep(250);
    expect((await hit(a, key)).totalHits).toBe(7);
  });

  it('blocks past the limit shared by both replicas, with the time left in the window', async () => {
    const key = `test:${randomUUID()}`;
    for (let i = 0; i < 3; i++) await hit(a, key, 4);
    await sleep(250);
    expect((await hit(b, key, 4)).isBlocked).toBe(false);
    const blocked = await hit(b, key, 4);
    expect(blocked).toMatchObject({ totalHits: 5, isBlocked: true });
    expect(blocked.timeToBlockExpire).toBeGreaterThan(50);
    expect(blocked.timeToBlockExpire).toBeLessThanOrEqual(60);
  });

  it('still counts hits that are on their way to Redis (a flush awaiting its answer)', async () => {
    const key = `test:${randomUUID()}`;
    const c = new RedisThrottlerStorage(connections[0]!);
    for (let i = 0; i < 3; i++) await hit(c, key);
    // The flush hands the two local hits to Redis; a request arriving before Redis answers sees all four.
    const flushing = c.beforeApplicationShutdown();
    expect((await hit(c, key)).totalHits).toBe(4);
    await flushing;
    expect((await hit(c, key)).totalHits).toBe(5);
    await c.beforeApplicationShutdown();
  });
});
