import type { ThrottlerStorage } from '@nestjs/throttler';
import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface.js';
import type { RedisConnection } from './redis-connection.js';

// Fixed window per caller: one round trip, atomic across API replicas.
const INCREMENT = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
return {hits, ttl}`;

/**
 * Rate-limit counters shared through Redis. While Redis is unreachable the limit is not enforced
 * (fail open): the API keeps serving and /health reports the degradation.
 */
export class RedisThrottlerStorage implements ThrottlerStorage {
  constructor(private readonly redis: RedisConnection) {}

  async increment(key: string, ttl: number, limit: number): Promise<ThrottlerStorageRecord> {
    const open = { totalHits: 0, timeToExpire: Math.ceil(ttl / 1000), isBlocked: false, timeToBlockExpire: 0 };
    if (!this.redis.isReady) return open;
    try {
      const [hits, pttl] = (await this.redis.client.eval(INCREMENT, 1, `tessera:rl:${key}`, ttl)) as [number, number];
      const timeToExpire = Math.ceil(Math.max(pttl, 0) / 1000);
      const isBlocked = hits > limit;
      return { totalHits: hits, timeToExpire, isBlocked, timeToBlockExpire: isBlocked ? timeToExpire : 0 };
    } catch {
      return open;
    }
  }
}
