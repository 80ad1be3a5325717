import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { RedisConnection } from '../../../src/adapters/redis/redis-connection.js';
import { RedisReadCache } from '../../../src/adapters/redis/redis-read-cache.js';
import { testRedisPrefix, testRedisUrl } from '../../support/database.js';
import { PrivateRedis } from '../../support/private-redis-server.js';
import { until } from '../../support/until.js';

interface Row {
  id: string;
  version: number;
  updatedAt: Date;
  nested: { at: Date | null };
}
const row = (version: number): Row => ({
  id: 'r1',
  version,
  updatedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, version)),
  nested: { at: version % 2 ? new Date(Date.UTC(2026, 5, 1)) : null },
});

/** A load that counts its calls and answers `value`, or waits for `release` when held. */
function source(initial: Row) {
  let value = initial;
  let held: { promise: Promise<void>; release: () => void } | null = null;
  const s = {
    calls: 0,
    set(next: Row) {
      value = next;
    },
    hold() {
      let release!: () => void;
      held = { promise: new Promise<void>((r) => (release = r)), release: () => release() };
      return held;
    },
    load: async (): Promise<Row | null> => {
      s.calls++;
      const seen = value;
      const h = held;
      held = null;
      if (h) await h.promise;
      return seen;
    },
  };
  return s;
}

/** Two "replicas": caches on separate connections to one Redis, as two API processes have. */
async function replicas(url: string, prefix: string, n = 2) {
  const connections = Array.from({ length: n }, () => new RedisConnection(url));
  const caches = connections.map((c) => new RedisReadCache(c, { prefix, ttlSeconds: 60, timeoutMs: 100 }));
  await until(async () => caches.every((c) => c.usable), Boolean);
  return {
    caches,
    connections,
    close: async () => {
      caches.forEach((c) => c.close());
      await Promise.all(connections.map((c) => c.close()));
    },
  };
}

describe('RedisReadCache against the shared Redis', () => {
  const prefix = `${testRedisPrefix()}-cache-${randomUUID().slice(0, 8)}`;
  let r: Awaited<ReturnType<typeof replicas>>;
  let raw: Redis;
  beforeAll(async () => {
    r = await replicas(testRedisUrl(), prefix);
    raw = new Redis(testRedisUrl());
  });
  afterAll(async () => {
    await r?.close();
    raw?.disconnect();
  });

  it('fills on a miss and answers later reads from Redis on every replica, dates as Dates', async () => {
    const key = `row:${randomUUID()}`;
    const s = source(row(1));
    expect(await r.caches[0]!.read(key, s.load)).toEqual(row(1));
    expect(await r.caches[0]!.read(key, s.load)).toEqual(row(1));
    const fromOther = await r.caches[1]!.read<Row>(key, s.load);
    expect(fromOther).toEqual(row(1));
    expect(fromOther!.updatedAt).toBeInstanceOf(Date);
    expect(s.calls).toBe(1);
    expect(await raw.keys(`${prefix}:cache:*:{${key}}`)).toHaveLength(1);
  });

  it('a change invalidates for every replica at once, and nulls are never cached', async () => {
    const key = `row:${randomUUID()}`;
    const s = source(row(1));
    await r.caches[0]!.read(key, s.load);
    s.set(row(2));
    await r.caches[1]!.invalidate([key]);
    expect(await r.caches[0]!.read(key, s.load)).toEqual(row(2));
    expect(await r.caches[1]!.read(key, s.load)).toEqual(row(2));
    expect(s.calls).toBe(2);

    const missing = `row:${randomUUID()}`;
    let loads = 0;
    const none = async () => (loads++, null);
    expect(await r.caches[0]!.read(missing, none)).toBeNull();
    expect(await r.caches[0]!.read(missing, none)).toBeNull();
    expect(loads).toBe(2);
  });

  it('a reader that loaded the old row before a change committed cannot put it back after the invalidation', async () => {
    const key = `row:${randomUUID()}`;
    const s = source(row(1));
    const gate = s.hold();
    // Replica 0 misses and loads version 1 ...
    const stale = r.caches[0]!.read(key, s.load);
    await until(async () => s.calls, (n) => n === 1);
    // ... meanwhile replica 1's writer commits version 2 and invalidates ...
    s.set(row(2));
    await r.caches[1]!.invalidate([key]);
    // ... then the slow reader finishes and tries to fill with version 1.
    gate.release();
    expect(await stale).toEqual(row(1));
    expect(await r.caches[1]!.read(key, s.load)).toEqual(row(2));
    expect(await r.caches[0]!.read(key, s.load)).toEqual(row(2));
  });

  it('a reader that looked up after the change fills normally; versions only move forward', async () => {
    const key = `row:${randomUUID()}`;
    const s = source(row(1));
    for (let version = 2; version <= 5; version++) {
      await r.caches[0]!.read(key, s.load);
      s.set(row(version));
      await r.caches[version % 2]!.invalidate([key]);
      const calls = s.calls;
      expect(await r.caches[1]!.read(key, s.load)).toEqual(row(version));
      expect(await r.caches[0]!.read(key, s.load)).toEqual(row(version));
      expect(s.calls).toBe(calls + 1);
    }
  });
});

describe('RedisReadCache while Redis is away (private redis-server with an append-only file, stopped by this test)', () => {
  const prefix = `cache-${randomUUID().slice(0, 8)}`;
  let redis: PrivateRedis;
  let r: Awaited<ReturnType<typeof replicas>>;
  beforeAll(async () => {
    redis = await PrivateRedis.start({ persistent: true });
    r = await replicas(redis.url, prefix);
  });
  afterEach(() => redis.resume());
  afterAll(async () => {
    await r?.close();
    await redis?.stop();
  });
  afterEach(() => vi.useRealTimers());
  /** Whether `work` settles before the next turn of the event loop: without waiting for any I/O or timer. */
  const atOnce = async <T>(work: Promise<T>) => {
    const settled = await Promise.race([work.then(() => true), new Promise<false>((resolve) => setImmediate(() => resolve(false)))]);
    return { settled, value: await work };
  };

  it('stopped: reads come from the source at once, a change still completes at once, and after a restart that reloads the old entry from disk no replica serves it, even when its writer died meanwhile', async () => {
    const key = `row:${randomUUID()}`;
    const s = source(row(1));
    const writer = await replicas(redis.url, prefix, 1);
    await r.caches[0]!.read(key, s.load);
    await r.caches[1]!.read(key, s.load);
    expect(s.calls).toBe(1);

    await redis.stop({ keepData: true });
    // Every connection has seen the server go.
    await until(async () => [...writer.connections, ...r.connections].every((c) => !c.isReady), Boolean);
    s.set(row(2));
    expect((await atOnce(writer.caches[0]!.invalidate([key]))).settled).toBe(true);
    // The writer's process ends before Redis is back: nobody will retry its invalidation.
    await writer.close();
    for (const cache of r.caches) {
      expect(await atOnce(cache.read(key, s.load))).toEqual({ settled: true, value: row(2) });
    }

    await redis.restart();
    const raw = new Redis(redis.url);
    try {
      // The version-1 entry came back from the append-only file ...
      const survivors = await raw.keys(`${prefix}:cache:*:{${key}}`);
      expect(survivors).toHaveLength(1);
      expect(await raw.get(survivors[0]!)).toContain('"version":1');
    } finally {
      raw.disconnect();
    }
    // ... but it belongs to the previous server run: once reconnected, both replicas read version 2.
    await until(async () => r.caches.every((c) => c.usable), Boolean, 10_000);
    expect(await r.caches[1]!.read(key, s.load)).toEqual(row(2));
    expect(await r.caches[0]!.read(key, s.load)).toEqual(row(2));
  });

  it('frozen (connections open, data kept): reads and changes wait at most the timeout, and on resume the change reaches every replica', async () => {
    const key = `row:${randomUUID()}`;
    const s = source(row(1));
    await r.caches[0]!.read(key, s.load);
    expect(await r.caches[1]!.read(key, s.load)).toEqual(row(1));

    redis.pause();
    s.set(row(2));
    // On a fake clock (the sockets stay real): the change waits for Redis exactly timeoutMs (100), no longer ...
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let settled = false;
    const write = r.caches[0]!.invalidate([key]).finally(() => (settled = true));
    await vi.advanceTimersByTimeAsync(99);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await write;
    // ... and with its invalidation pending, reads go to the source without waiting at all.
    expect(await atOnce(r.caches[0]!.read(key, s.load))).toEqual({ settled: true, value: row(2) });
    expect(r.caches[0]!.usable).toBe(false);

    redis.resume();
    // The pending invalidation is retried every 250 ms (RETRY_MS): fire the retry the fake clock holds, then wait
    // on real time for it to be applied.
    await vi.advanceTimersByTimeAsync(250);
    vi.useRealTimers();
    await until(async () => r.caches[0]!.usable, Boolean);
    expect(await r.caches[1]!.read(key, s.load)).toEqual(row(2));
    expect(await r.caches[0]!.read(key, s.load)).toEqual(row(2));
  });
});
