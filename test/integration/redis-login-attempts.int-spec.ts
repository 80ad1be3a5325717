import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisConnection } from '../../src/adapters/redis/redis-connection.js';
import { RedisLoginAttempts } from '../../src/adapters/redis/redis-login-attempts.js';
import { testRedisPrefix, testRedisUrl } from '../support/database.js';
import { until } from '../support/until.js';

describe('RedisLoginAttempts (real Redis)', () => {
  let redis: RedisConnection;
  const warnings: string[] = [];
  let attempts: RedisLoginAttempts;
  const prefix = `${testRedisPrefix()}-attempts-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    redis = new RedisConnection(testRedisUrl());
    await until(async () => redis.isReady, Boolean);
    attempts = new RedisLoginAttempts(redis, { maxFailures: 3, windowSeconds: 60, prefix }, { warn: (m) => warnings.push(m) });
  });
  afterAll(async () => {
    const keys = await redis.client.keys(`${prefix}:*`);
    if (keys.length) await redis.client.del(...keys);
    await redis.close();
  });

  it('locks after the allowed failures for the rest of the window, logs the lock once, and keeps no email in Redis', async () => {
    const account = `ann-${randomUUID()}@example.com`;
    for (let i = 0; i < 2; i++) await attempts.recordFailure(account);
    expect(await attempts.lockedFor(account)).toBe(0);
    expect(warnings).toEqual([]);
    await attempts.recordFailure(account);
    const locked = await attempts.lockedFor(account);
    expect(locked).toBeGreaterThan(0);
    expect(locked).toBeLessThanOrEqual(60);
    expect(warnings).toEqual([`Password sign-in locked for ${account}: 3 failed sign-ins within 60 s`]);
    await attempts.recordFailure(account);
    expect(warnings).toHaveLength(1);
    const keys = await redis.client.keys(`${prefix}:*`);
    expect(keys).toHaveLength(1);
    expect(keys[0]).not.toContain(account);
    await attempts.clear(account);
    expect(await attempts.lockedFor(account)).toBe(0);
  });

  it('counts each account apart', async () => {
    const a = `a-${randomUUID()}@example.com`;
    const b = `b-${randomUUID()}@example.com`;
    for (let i = 0; i < 3; i++) await attempts.recordFailure(a);
    expect(await attempts.lockedFor(a)).toBeGreaterThan(0);
    expect(await attempts.lockedFor(b)).toBe(0);
  });
});
