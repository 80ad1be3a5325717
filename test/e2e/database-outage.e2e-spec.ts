import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../../src/infra/embedded-postgres.js';
import { freePort } from '../support/free-port.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

// The app runs on a private PostgreSQL this test owns, so stopping it touches nothing else on the machine.
describe('PostgreSQL outage', () => {
  let dataDir: string;
  let postgres: Awaited<ReturnType<typeof startEmbeddedPostgres>>;
  let t: TestApp;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tessera-outage-'));
    postgres = await startEmbeddedPostgres({ dataDir, port: await freePort(), log: () => undefined, temporary: true });
    t = await startTestApp({}, { databaseUrl: postgres.url });
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await postgres?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('is ready while PostgreSQL answers, then answers 503 on /health/ready and degraded on /health when it stops', async () => {
    const agent = await t.user('agent');
    expect((await t.request('GET', '/health/ready')).status).toBe(200);

    await postgres.stop();

    const ready = await t.request('GET', '/health/ready');
    expect(ready.status).toBe(503);
    const health = await t.request('GET', '/health');
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'degraded', services: { database: 'down', redis: 'up' } });
    const live = await t.request('GET', '/health/live');
    expect(live.status).toBe(200);

    // A write that cannot reach the database is a 503 problem with Retry-After, never a false success.
    const create = await t.request('POST', '/api/v1/tickets', { as: agent, body: { title: 'x', description: 'y' } });
    expect(create.status).toBe(503);
    expect(create.body.code).toBe('SERVICE_UNAVAILABLE');
    expect(create.headers['retry-after']).toBe('1');
    expect(String(create.headers['content-type'])).toContain('application/problem+json');
  }, 30_000);
});
