import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import {
  DEFAULT_ADMIN_URL,
  DEFAULT_REDIS_URL,
  cloneDatabase,
  createMigratedDatabase,
  dropStaleTestDatabases,
} from './postgres-admin.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of this project's migrated test database (fresh for every run). */
    databaseUrl: string;
    /** Admin URL of the same PostgreSQL server, for creating scratch databases. */
    adminDatabaseUrl: string;
    /** A migrated database nobody connects to: scratch databases and test apps are cloned from it. */
    templateDatabase: string;
    redisUrl: string;
    /** Unique per run: use as the BullMQ/ioredis key prefix so concurrent runs sharing one Redis never collide. */
    redisPrefix: string;
  }
}

/**
 * Runs once per project (integration, e2e) in the main Vitest process, before any of its test files:
 * a fresh migrated database for the run (plus the migrated template that test apps clone their own from),
 * dropped again at the end.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const adminUrl = process.env.TEST_PG_ADMIN_URL || DEFAULT_ADMIN_URL;
  const redisUrl = process.env.REDIS_URL || DEFAULT_REDIS_URL;

  await dropStaleTestDatabases(adminUrl).catch(() => undefined);
  const template = await createMigratedDatabase(adminUrl);
  const database = await cloneDatabase(adminUrl, template.name).catch(async (error: unknown) => {
    await template.drop();
    throw error;
  });

  project.provide('databaseUrl', database.url);
  project.provide('adminDatabaseUrl', adminUrl);
  project.provide('templateDatabase', template.name);
  project.provide('redisUrl', redisUrl);
  const redisPrefix = `tessera-test-${Date.now()}-${randomBytes(3).toString('hex')}`;
  project.provide('redisPrefix', redisPrefix);
  // Workers get the per-project value from test/support/setup-env.ts; this is for code in the main process.
  process.env.TEST_DATABASE_URL = database.url;

  return async () => {
    await database.drop();
    await template.drop();
    await deleteRedisKeys(redisUrl, redisPrefix).catch(() => undefined);
  };
}

/** The run's queues (each test app's QUEUE_PREFIX starts with the run's prefix): the shared Redis keeps nothing of it. */
async function deleteRedisKeys(url: string, prefix: string): Promise<void> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    for await (const keys of redis.scanStream({ match: `${prefix}*`, count: 1000 }) as AsyncIterable<string[]>) {
      if (keys.length) await redis.unlink(...keys);
    }
  } finally {
    redis.disconnect();
  }
}
