import type { BeforeApplicationShutdown } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface.js';
import type { RedisConnection } from './redis-connection.js';

// Fixed window per caller, shared by every API replica: add `ARGV[2]` hits, start the window on the first.
const INCREMENT = `
local hits = redis.call('INCRBY', KEYS[1], ARGV[2])
if hits == tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
return {hits, ttl}`;

const FLUSH_INTERVAL_MS = 100;

interface Counter {
  /** The shared count as Redis last reported it (every replica's hits). */
  shared: number;
  /** This replica's hits being added in Redis right now (a flush awaiting its answer). */
  inFlight: number;
  /** This replica's hits since then, not yet added in Redis. */
  pending: number;
  windowEndsAt: number;
}

/**
 * Rate-limit counters shared through Redis without a round trip on every request: a caller's first request in a
 * window reads and bumps the shared count; later ones count locally and are added in Redis every 100 ms, and
 * each such flush brings back the other replicas' hits. A replica sees its own hits at once and, while the
 * caller keeps calling it, the others' within 100 ms: a caller spreading requests over N replicas can overshoot
 * the limit by what N replicas serve in 100 ms. While Redis is unreachable the limit is not enforced (fail
 * open) and /health reports the degradation.
 */
export class RedisThrottlerStorage implements ThrottlerStorage, BeforeApplicationShutdown {
  private readonly counters = new Map<string, Counter>();
  private flushTimer: NodeJS.Timeout | undefined;

  constructor(private readonly redis: RedisConnection) {}

  async increment(key: string, ttl: number, limit: number): Promise<ThrottlerStorageRecord> {
    const now = Date.now();
    const counter = this.counters.get(key);
    if (counter && counter.windowEndsAt > now) {
      counter.pending++;
      this.scheduleFlush();
      return record(counter.shared + counter.inFlight + counter.pending, counter.windowEndsAt - now, limit);
    }
    if (!this.redis.isReady) return record(0, ttl, limit);
    try {
      const [hits, pttl] = await this.add(key, ttl, 1);
      this.counters.set(key, { shared: hits, inFlight: 0, pending: 0, windowEndsAt: now + pttl });
      return record(hits, pttl, limit);
    } catch {
      return record(0, ttl, limit);
    }
  }

  private async add(key: string, ttl: number, hits: number): Promise<[number, number]> {
    const [total, pttl] = (await this.redis.client.eval(INCREMENT, 1, `tessera:rl:${key}`, ttl, hits)) as [number, number];
    return [total, Math.max(pttl, 0)];
  }

  /** Hands this replica's last counts to Redis before the connection closes. */
  async beforeApplicationShutdown(): Promise<void> {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    await this.flush();
  }

  private scheduleFlush(): void {
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = undefined;
      void this.flush();
    }, FLUSH_INTERVAL_MS).unref();
  }

  private async flush(): Promise<void> {
    const now = Date.now();
    await Promise.all(
      [...this.counters].map(async ([key, counter]) => {
        const ttl = counter.windowEndsAt - now;
        if (ttl <= 0) return void this.counters.delete(key);
        if (counter.pending === 0) return;
        // Hits on their way to Redis still count until its total (which includes them) comes back.
        const hits = counter.pending;
        counter.pending = 0;
        counter.inFlight += hits;
        try {
          const [shared] = await this.add(key, ttl, hits);
          // Totals only grow within a window: an older flush answering late must not lower it.
          counter.shared = Math.max(counter.shared, shared);
        } catch {
          // Redis went away: keep counting locally; the window ends on its own.
          counter.shared += hits;
        } finally {
          counter.inFlight -= hits;
        }
      }),
    );
  }
}

function record(hits: number, ttlMs: number, limit: number): ThrottlerStorageRecord {
  const timeToExpire = Math.max(1, Math.ceil(ttlMs / 1000));
  const isBlocked = hits > limit;
  return { totalHits: hits, timeToExpire, isBlocked, timeToBlockExpire: isBlocked ? timeToExpire : 0 };
}
