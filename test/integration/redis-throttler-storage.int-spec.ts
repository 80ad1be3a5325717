import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisConnection } from '../../src/adapters/redis/redis-connection.js';
import { RedisThrottlerStorage } from '../../src/adapters/redis/redis-throttler.storage.js';
import { testRedisUrl } from '../support/database.js';
import { until } from '../support/until.js';

// Two storages on one Redis stand for two API replicas.
describe('RedisThrottlerStorage across replicas', () => {
  let connections: RedisConnection[];
  let a: RedisThrottlerStorage;
  let b: RedisThrottlerStorage;

  beforeAll(async () => {
    connections = [new RedisConnection(testRedisUrl()), new RedisConnection(testRedisUrl())];
    await until(async () => connections.every((c) => c.isReady), Boolean);
    [a, b] = connections.map((c) => new RedisThrottlerStorage(c)) as [RedisThrottlerStorage, RedisThrottlerStorage];
  });
  afterAll(async () => {
    await Promise.all([a.beforeApplicationShutdown(), b.beforeApplicationShutdown()]);
    await Promise.all(connections.map((c) => c.close()));
  });

  const hit = (s: RedisThrottlerStorage, key: string, limit = 10) => s.increment(key, 60_000, limit);
  /** A replica's flush, now rather than at its timer (the same code path; the timer is tested on its own below). */
  const flush = (s: RedisThrottlerStorage) => s.beforeApplicationShutdown();
  const shared = async (key: string) => Number(await connections[0]!.client.get(`tessera:rl:${key}`));

  it('counts a replica’s own hits at once and learns the other replica’s on its next flush', async () => {
    const key = `test:${randomUUID()}`;
    expect((await hit(a, key)).totalHits).toBe(1);
    expect((await hit(a, key)).totalHits).toBe(2);
    expect((await hit(a, key)).totalHits).toBe(3);
    await flush(a);
    // B's first hit in the window reads the shared count.
    expect((await hit(b, key)).totalHits).toBe(4);
    expect((await hit(b, key)).totalHits).toBe(5);
    await flush(b);
    // A still counts from what it knew, then its flush brings B's hits back.
    expect((await hit(a, key)).totalHits).toBe(4);
    await flush(a);
    expect((await hit(a, key)).totalHits).toBe(7);
  });

  it('flushes local hits to Redis by itself, within its interval', async () => {
    const key = `test:${randomUUID()}`;
    for (let i = 0; i < 3; i++) await hit(a, key);
    expect(await until(() => shared(key), (n) => n === 3)).toBe(3);
  });

  it('blocks past the limit shared by both replicas, with the time left in the window', async () => {
    const key = `test:${randomUUID()}`;
    for (let i = 0; i < 3; i++) await hit(a, key, 4);
    await flush(a);
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
