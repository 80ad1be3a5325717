import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locateEmbeddedPostgres, startEmbeddedPostgres } from '../../src/infra/embedded-postgres.js';
import { pingRedis, resolveRedis } from '../../src/infra/private-redis.js';
import { testRedisUrl } from '../support/database.js';
import { freePort } from '../support/free-port.js';

async function query<T>(url: string, sql: string, parameters?: unknown[]): Promise<T[]> {
  const db = new DataSource({ type: 'postgres', url, connectTimeoutMS: 2_000, poolSize: 1 });
  await db.initialize();
  try {
    return await db.query(sql, parameters);
  } finally {
    await db.destroy();
  }
}

let dataDir: string;
const cleanups: (() => Promise<void>)[] = [];
const logs: string[] = [];
const log = (msg: string) => logs.push(msg);

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'tessera-infra-'));
  // As root the cluster lives outside dataDir (see embedded-postgres-placement.ts).
  const { home } = locateEmbeddedPostgres({ dataDir });
  if (home !== dataDir) cleanups.push(() => rm(home, { recursive: true, force: true }));
});

afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
  await rm(dataDir, { recursive: true, force: true });
});

describe('resolveRedis', () => {
  it('uses the configured Redis when it answers, and its stop() leaves it running', async () => {
    const redis = await resolveRedis({ url: testRedisUrl(), autostart: true, dataDir, log });

    expect(redis).toMatchObject({ url: testRedisUrl(), source: 'configured' });
    await redis.stop();
    expect(await pingRedis(testRedisUrl())).toBe(true);
  });

  it('starts a private redis-server when the configured one does not answer, and stop() stops only that one', async () => {
    const closedUrl = `redis://127.0.0.1:${await freePort()}`;

    const redis = await resolveRedis({ url: closedUrl, autostart: true, dataDir, log });

    expect(redis.source).toBe('private');
    expect(redis.url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
    expect(redis.url).not.toBe(closedUrl);
    expect(await pingRedis(redis.url)).toBe(true);
    await redis.stop();
    expect(await pingRedis(redis.url)).toBe(false);
    expect(await pingRedis(testRedisUrl())).toBe(true);
  });

  it('reports unavailable when the configured one does not answer and autostart is off', async () => {
    const closedUrl = `redis://127.0.0.1:${await freePort()}`;

    const redis = await resolveRedis({ url: closedUrl, autostart: false, dataDir, log });

    expect(redis).toMatchObject({ url: closedUrl, source: 'unavailable' });
  });
});

describe('startEmbeddedPostgres', () => {
  it('starts, answers, stops, and restarts on the same data (past a stale lock file)', { timeout: 90_000 }, async () => {
    const port = await freePort();

    const first = await startEmbeddedPostgres({ dataDir, port, log });
    expect(first.url).toMatch(new RegExp(`^postgres://postgres:[^@]+@127\\.0\\.0\\.1:${port}/tessera$`));
    await query(first.url, 'CREATE TABLE kept (value text)');
    await query(first.url, 'INSERT INTO kept VALUES ($1)', ['still here']);
    // A second Tessera on the same data is refused while the first runs, and the first keeps running.
    await expect(startEmbeddedPostgres({ dataDir, port: await freePort(), log })).rejects.toThrow(
      /is in use by another Tessera process .*Fix: stop that process first/,
    );
    expect(await query(first.url, 'SELECT value FROM kept')).toEqual([{ value: 'still here' }]);
    await first.stop();
    await expect(query(first.url, 'SELECT 1')).rejects.toThrow();

    // What a crash leaves behind: a lock naming a PID that is alive but is no postmaster of this folder.
    const { clusterDir, passwordFile } = first.placement;
    await writeFile(join(clusterDir, 'postmaster.pid'), `${process.pid}\n${clusterDir}\n`);
    const second = await startEmbeddedPostgres({ dataDir, port, log });
    expect(logs).toContainEqual(expect.stringContaining('Removing stale'));
    try {
      expect(second.url).toBe(first.url);
      expect(await query<{ value: string }>(second.url, 'SELECT value FROM kept')).toEqual([{ value: 'still here' }]);
      const [{ encoding }] = await query<{ encoding: string }>(second.url, "SELECT current_setting('server_encoding') AS encoding");
      expect(encoding).toBe('UTF8');
    } finally {
      await second.stop();
    }

    expect((await stat(passwordFile)).mode & 0o777).toBe(0o600);
  });
});
