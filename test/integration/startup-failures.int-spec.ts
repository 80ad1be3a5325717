import { createServer, type Server } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locateEmbeddedPostgres } from '../../src/infra/embedded-postgres.js';
import { createScratchDatabase, testRedisUrl } from '../support/database.js';
import { freePort } from '../support/free-port.js';
import { runService, type FinishedProcess } from '../support/service-process.js';
import { buildIfNeeded } from '../support/worker-process.js';

/** Something listening on a loopback port, as another program would. */
async function occupyPort(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as { port: number }).port, server };
}

/** Exit code 1, and the only thing on stderr is the one line; no stack frame anywhere in the output. */
function expectOneLineFailure(run: FinishedProcess, line: RegExp): void {
  expect(run.code, [...run.stdout, ...run.stderr].join('\n')).toBe(1);
  expect(run.stderr).toHaveLength(1);
  expect(run.stderr[0]).toMatch(/^Tessera cannot start: .+\. Fix: .+$/);
  expect(run.stderr[0]).toMatch(line);
  expect([...run.stdout, ...run.stderr].filter((l) => /^\s+at |^[A-Z]\w*Error[:\s]/.test(l))).toEqual([]);
}

// The real process, as `npm start` runs it: every failure to start is one line naming cause and fix, exit code 1.
describe('a start that cannot succeed', () => {
  const cleanups: (() => Promise<unknown>)[] = [];

  beforeAll(() => buildIfNeeded(), 240_000);
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('names the invalid variable', async () => {
    const run = await runService({ PORT: 'eighty' });

    expectOneLineFailure(run, /^Tessera cannot start: invalid configuration: PORT .+\. Fix: correct PORT in the environment or in \.env/);
  });

  it('names a CORS_ORIGINS entry that is not an origin', async () => {
    const run = await runService({ CORS_ORIGINS: 'https://app.example.com,https://admin.example.com/' });

    expectOneLineFailure(
      run,
      /^Tessera cannot start: invalid configuration: CORS_ORIGINS has "https:\/\/admin\.example\.com\/", which is not an origin: write each as scheme:\/\/host\[:port\] .+\. Fix: correct CORS_ORIGINS in the environment or in \.env/,
    );
  });

  it('names an unknown --role', async () => {
    const run = await runService({}, ['--role=everything']);

    expectOneLineFailure(run, /unknown --role=everything\. Fix: use --role=api, --role=worker/);
  });

  it('names the port that is taken', async () => {
    const { port, server } = await occupyPort();
    cleanups.push(() => new Promise((resolve) => server.close(resolve)));

    const run = await runService({ HOST: '127.0.0.1', PORT: String(port), DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none' });

    expectOneLineFailure(run, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use\\. Fix: stop the program using it, or set PORT to a free port$`));
  });

  it('names a PostgreSQL that does not answer, without its password', async () => {
    const port = await freePort();

    const run = await runService({ PORT: '0', DATABASE_URL: `postgres://tessera:s3cret@127.0.0.1:${port}/tessera` });

    expectOneLineFailure(
      run,
      new RegExp(`PostgreSQL at postgres://tessera:\\*\\*\\*@127\\.0\\.0\\.1:${port}/tessera cannot be reached \\(.*ECONNREFUSED.*\\)\\. Fix: start PostgreSQL there, or correct DATABASE_URL`),
    );
    expect(run.stderr[0]).not.toContain('s3cret');
  });

  it('names the migration that fails, and applies none', { timeout: 60_000 }, async () => {
    const scratch = await createScratchDatabase();
    cleanups.push(() => scratch.drop());
    // A database someone else has written to: an unrelated table named like one of Tessera's.
    const db = new DataSource({ type: 'postgres', url: scratch.url, poolSize: 1 });
    await db.initialize();
    await db.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public; CREATE TABLE users (login text)');

    const run = await runService({ PORT: '0', DATABASE_URL: scratch.url, REDIS_AUTOSTART: 'false' });

    expectOneLineFailure(
      run,
      /the database migration \w+ failed on postgres:\/\/\S+ \(relation "users" already exists\); no migration was applied\. Fix: point DATABASE_URL at an empty database/,
    );
    const tables = await db.query<{ name: string }[]>(
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'migrations' ORDER BY 1",
    );
    await db.destroy();
    expect(tables).toEqual([{ name: 'users' }]);
  });

  it('names the embedded PostgreSQL port that is taken', { timeout: 60_000 }, async () => {
    const { port, server } = await occupyPort();
    cleanups.push(() => new Promise((resolve) => server.close(resolve)));
    const dataDir = await mkdtemp(join(tmpdir(), 'tessera-embedded-port-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    cleanups.push(() => rm(locateEmbeddedPostgres({ dataDir }).home, { recursive: true, force: true }));

    const run = await runService({ PORT: '0', DATA_DIR: dataDir, EMBEDDED_POSTGRES_PORT: String(port) });

    expectOneLineFailure(
      run,
      new RegExp(`port ${port} on 127\\.0\\.0\\.1, where the embedded PostgreSQL listens, is already in use\\. Fix: stop the program using it, or set EMBEDDED_POSTGRES_PORT to a free port$`),
    );
  });

  it('refuses a worker process without Redis', { timeout: 60_000 }, async () => {
    const scratch = await createScratchDatabase();
    cleanups.push(() => scratch.drop());
    const redisPort = await freePort();

    const run = await runService(
      { DATABASE_URL: scratch.url, REDIS_URL: `redis://127.0.0.1:${redisPort}`, REDIS_AUTOSTART: 'false' },
      ['--role=worker'],
    );

    expectOneLineFailure(
      run,
      new RegExp(`Redis at redis://127\\.0\\.0\\.1:${redisPort} does not answer, and a worker process has nothing to do without it\\. Fix: start Redis there or correct REDIS_URL$`),
    );
    expect(testRedisUrl()).not.toBe(`redis://127.0.0.1:${redisPort}`);
  });
});
