import { inject } from 'vitest';
import { cloneDatabase, type TestDatabase } from './postgres-admin.js';

export type { TestDatabase } from './postgres-admin.js';

/** The run's migrated database (one per project per `npm test` run), shared by that project's test files. */
export function testDatabaseUrl(): string {
  return inject('databaseUrl');
}

/** The Redis the run uses (shared, or a private one started by scripts/test.mjs). */
export function testRedisUrl(): string {
  return inject('redisUrl');
}

/** A key prefix unique to this run, for BullMQ queues/ioredis keys, so concurrent runs on one Redis never collide. */
export function testRedisPrefix(): string {
  return inject('redisPrefix');
}

/**
 * Another fresh, fully migrated database for a test that needs isolation (e.g. counts over a whole table).
 * Call `drop()` in afterAll/afterEach; it terminates open connections and is safe to call twice.
 */
export async function createScratchDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const database: TestDatabase = await cloneDatabase(inject('adminDatabaseUrl'), inject('templateDatabase'));
  return { url: database.url, drop: database.drop };
}
