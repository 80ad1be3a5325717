import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { OutboxRelay } from '../../../src/adapters/queue/outbox-relay.js';
import { createScratchDatabase } from '../../support/database.js';
import { PrivateRedis } from '../../support/private-redis-server.js';
import { startTestApp, type Caller, type TestApp } from '../../support/test-app.js';
import { until } from '../../support/until.js';

describe('outbox relay across a Redis outage (private redis-server, stopped and restarted by this test)', () => {
  let redis: PrivateRedis;
  let db: { url: string; drop(): Promise<void> };
  let sql: DataSource;
  let t: TestApp;
  let admin: Caller;
  let agent: Caller;
  let requester: Caller;
  const prefix = `relay-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    db = await createScratchDatabase();
    sql = await new DataSource({ type: 'postgres', url: db.url }).initialize();
    t = await startTestApp({ REDIS_URL: redis.url, QUEUE_PREFIX: prefix, OUTBOX_POLL_MS: '50' }, { databaseUrl: db.url });
    admin = await t.user('admin');
    agent = await t.user('agent');
    requester = await t.user('requester');
  });
  afterAll(async () => {
    await t?.close();
    await sql?.destroy();
    await db?.drop();
    await redis?.stop();
  });

  it('keeps accepting tickets while Redis is down, then delivers every event once, with job id = event id', async () => {
    const category = (await t.request('POST', '/api/v1/categories', { as: admin, body: { name: 'Hardware' } })).body.id;
    const group = await t.request('POST', '/api/v1/groups', {
      as: admin,
      body: { name: 'Desk', strategy: 'round_robin', memberIds: [agent.id], categoryIds: [category] },
    });
    expect(group.status).toBe(201);

    // Every batch the app's relay attempts: a failed one after the commits is the sign it ran while Redis was down.
    const relayBatch = vi.spyOn(OutboxRelay.prototype, 'relayBatch');
    await redis.stop();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await t.request('POST', '/api/v1/tickets', {
        as: requester,
        body: { title: `Disk ${i}`, description: 'SMART warnings', categoryId: category },
      });
      expect(res.status).toBe(201);
      ids.push(res.body.id);
    }
    // The relay tried after the last commit, and failed: the events must still be pending, none half-sent.
    const attemptsBefore = relayBatch.mock.calls.length;
    await until(
      async () => relayBatch.mock.settledResults.slice(attemptsBefore).filter((r) => r.type === 'rejected').length,
      (n) => n >= 2,
      15_000,
    );
    const count = async (query: string, params: unknown[] = []) => ((await sql.query(query, params)) as { n: number }[])[0]!.n;
    const pending: { id: string }[] = await sql.query(`SELECT id FROM outbox WHERE type = 'ticket.created' AND sent_at IS NULL`);
    expect(pending).toHaveLength(5);
    expect(await count(`SELECT count(*)::int AS n FROM tickets WHERE assignee_id IS NULL`)).toBe(5);

    await redis.restart();
    const assigned = () => count(`SELECT count(*)::int AS n FROM tickets WHERE assignee_id = $1`, [agent.id]);
    expect(await until(assigned, (n) => n === 5, 15_000)).toBe(5);

    const unsent = () => count(`SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL`);
    expect(await until(unsent, (n) => n === 0)).toBe(0);
    const assignedTwice: unknown[] = await sql.query(
      `SELECT ticket_id FROM ticket_activity WHERE type = 'assigned' AND ticket_id = ANY($1::uuid[]) GROUP BY ticket_id HAVING count(*) <> 1`,
      [ids],
    );
    expect(assignedTwice).toEqual([]);

    // A new ticket's event goes to the intake queue (triage, SLA and assignment in one job).
    const queue = new Queue('intake', { connection: { host: '127.0.0.1', port: redis.port }, prefix });
    const assignment = new Queue('assignment', { connection: { host: '127.0.0.1', port: redis.port }, prefix });
    const webhooks = new Queue('webhooks', { connection: { host: '127.0.0.1', port: redis.port }, prefix });
    try {
      for (const row of pending) {
        const job = await queue.getJob(row.id);
        expect(job?.id).toBe(row.id);
        expect(job?.data.id).toBe(row.id);
        expect(await job?.getState()).toBe('completed');
      }
      // Routing is claimed once per event (the only step that is).
      const claims = `SELECT count(*)::int AS n FROM processed_events WHERE consumer = 'assignment' AND event_id = ANY($1::uuid[])`;
      expect(await count(claims, [pending.map((r) => r.id)])).toBe(5);

      // The relay enqueues only what a consumer acts on: no webhook exists, so no webhooks job; the system's own
      // routing and assignment events do not go back to the assignment queue.
      for (const row of pending) expect(await webhooks.getJob(row.id)).toBeUndefined();
      const own: { id: string }[] = await sql.query(
        `SELECT id FROM outbox WHERE aggregate_id = ANY($1::uuid[]) AND type IN ('ticket.assigned', 'ticket.updated')`,
        [ids],
      );
      expect(own).toHaveLength(10);
      for (const row of own) {
        expect(await assignment.getJob(row.id)).toBeUndefined();
        expect(await queue.getJob(row.id)).toBeUndefined();
      }
    } finally {
      await queue.close();
      await assignment.close();
      await webhooks.close();
    }
  });
});
