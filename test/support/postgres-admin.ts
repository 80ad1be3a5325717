import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { migrations } from '../../migrations/index.js';
import { TickBatchingClient } from '../../src/adapters/persistence/tick-batching-client.js';

/**
 * Creating, migrating and dropping throw-away test databases through an admin connection.
 * Plain Node: used by the global setup (main Vitest process) and by test workers alike.
 */

export const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
const NAME_PREFIX = 'tessera_test_';
/** Databases of a crashed run are dropped by a later run once they are this old. */
const STALE_AFTER_MS = 24 * 60 * 60 * 1000;

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** `tessera_test_<epoch ms>_<random>`: unique per call, and its age can be read back from the name. */
export function newDatabaseName(): string {
  return `${NAME_PREFIX}${Date.now()}_${randomBytes(4).toString('hex')}`;
}

export function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

type Admin = Pick<DataSource, 'query'>;

async function withAdmin<T>(adminUrl: string, work: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = new DataSource({ type: 'postgres', url: adminUrl, connectTimeoutMS: 5_000, poolSize: 1 });
  try {
    await admin.initialize();
  } catch (error) {
    const where = new URL(adminUrl);
    if (where.password) where.password = '***';
    throw new Error(`Cannot reach the test PostgreSQL at ${where.toString()}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  try {
    return await work(admin);
  } finally {
    await admin.destroy().catch(() => undefined);
  }
}

/** Our database names are generated (letters, digits, underscores), so quoting is enough. */
function quoted(name: string): string {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`Unexpected database name: ${name}`);
  return `"${name}"`;
}

export async function runMigrations(url: string): Promise<void> {
  // Pipeline mode, as the service's own connections apply the migrations at start.
  const dataSource = new DataSource({ type: 'postgres', url, migrations, migrationsRun: false, logging: false, extra: { pipeline: true, Client: TickBatchingClient } });
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'all' });
  } finally {
    await dataSource.destroy();
  }
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await withAdmin(adminUrl, (admin) =>
    admin.query(`DROP DATABASE IF EXISTS ${quoted(name)} WITH (FORCE)`),
  );
}

/** Creates a new database, runs every migration on it, and returns its URL with a `drop()` (idempotent). */
export async function createMigratedDatabase(adminUrl: string): Promise<TestDatabase> {
  const name = newDatabaseName();
  await withAdmin(adminUrl, (admin) => admin.query(`CREATE DATABASE ${quoted(name)}`));
  const url = databaseUrl(adminUrl, name);
  let dropped = false;
  const drop = async () => {
    if (dropped) return;
    dropped = true;
    await dropDatabase(adminUrl, name);
  };
  try {
    await runMigrations(url);
  } catch (error) {
    await drop().catch(() => undefined);
    throw error;
  }
  return { name, url, drop };
}

/**
 * A new database copied from `template` (a migrated database nobody is connected to): much faster than
 * migrating, so every test app can have a database of its own.
 */
export async function cloneDatabase(adminUrl: string, template: string): Promise<TestDatabase> {
  const name = newDatabaseName();
  await withAdmin(adminUrl, async (admin) => {
    // Two clones of one template at the same moment can collide ("source database is being accessed").
    for (let attempt = 1; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE ${quoted(name)} TEMPLATE ${quoted(template)}`);
        return;
      } catch (error) {
        if (attempt >= 20 || !/being accessed by other users/.test((error as Error).message)) throw error;
        await new Promise((r) => setTimeout(r, 50 * attempt));
      }
    }
  });
  let dropped = false;
  return {
    name,
    url: databaseUrl(adminUrl, name),
    drop: async () => {
      if (dropped) return;
      dropped = true;
      await dropDatabase(adminUrl, name);
    },
  };
}

/** Best effort: drops test databases left behind by runs that were killed more than a day ago. */
export async function dropStaleTestDatabases(adminUrl: string): Promise<void> {
  await withAdmin(adminUrl, async (admin) => {
    const rows: { datname: string }[] = await admin.query(
      `SELECT datname FROM pg_database WHERE datname LIKE 'tessera\\_test\\_%'`,
    );
    for (const { datname } of rows) {
      const createdAt = Number(/^tessera_test_(\d{13})_/.exec(datname)?.[1]);
      if (!createdAt || Date.now() - createdAt < STALE_AFTER_MS) continue;
      // No FORCE: a database someone is still connected to is left alone.
      await admin.query(`DROP DATABASE IF EXISTS ${quoted(datname)}`).catch(() => undefined);
    }
  });
}
