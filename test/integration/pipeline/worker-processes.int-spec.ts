import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { redisOptionsFromUrl } from '../../../src/adapters/queue/queues.js';
import { createScratchDatabase, testRedisPrefix, testRedisUrl } from '../../support/database.js';
import { startTestApp, type Caller, type TestApp } from '../../support/test-app.js';
import { until } from '../../support/until.js';
import { startWebhookReceiver } from '../../support/webhook-receiver.js';
import { buildIfNeeded, WorkerProcess } from '../../support/worker-process.js';

/**
 * Real worker processes (`node dist/src/main.js --role=worker`, as `npm run start:worker` runs them) beside an API
 * that runs no workers, on a scratch database and queues of their own in the run's Redis.
 */
describe('worker processes: crash, scale-out and graceful shutdown', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  beforeAll(() => buildIfNeeded(), 240_000);
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** A scratch database, an API without workers on it, and the environment for worker processes on the same. */
  async function stage(extra: Record<string, string> = {}) {
    const db = await createScratchDatabase();
    cleanups.push(() => db.drop());
    const prefix = `${testRedisPrefix()}-wp-${randomUUID().slice(0, 8)}`;
    const shared = { QUEUE_PREFIX: prefix, WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true', ...extra };
    const api: TestApp = await startTestApp(shared, { databaseUrl: db.url, workers: false });
    cleanups.push(() => api.close());
    const sql = await new DataSource({ type: 'postgres', url: db.url }).initialize();
    cleanups.push(() => sql.destroy());
    const workerEnv = {
      ...shared,
      DATABASE_URL: db.url,
      REDIS_URL: testRedisUrl(),
      DATABASE_POOL_SIZE: '3',
      OUTBOX_POLL_MS: '50',
      JOB_BACKOFF_MS: '100',
    };
    const startWorker = async () => {
      const worker = await WorkerProcess.start(workerEnv);
      cleanups.push(() => worker.stop());
      return worker;
    };
    const queue = (name: string) => {
      const q = new Queue(name, { connection: redisOptionsFromUrl(testRedisUrl()), prefix });
      cleanups.push(() => q.close());
      return q;
    };
    return { api, sql, startWorker, queue, admin: await api.user('admin'), requester: await api.user('requester') };
  }

  async function webhookTo(api: TestApp, admin: Caller, url: string) {
    const res = await api.request('POST', '/api/v1/webhooks', { as: admin, body: { url, events: ['ticket.created'] } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  }
  const openTicket = async (api: TestApp, as: Caller, body: Record<string, unknown> = {}) => {
    const res = await api.request('POST', '/api/v1/tickets', { as, body: { title: 'Monitor flickers', description: 'Since Monday', ...body } });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const deliveryState = async (sql: DataSource, deliveryId: string) => {
    const [delivery]: { status: string; attempts: number }[] = await sql.query(
      `SELECT status, attempts FROM webhook_deliveries WHERE id = $1`,
      [deliveryId],
    );
    const attempts: { ok: boolean }[] = await sql.query(
      `SELECT ok FROM webhook_delivery_attempts WHERE delivery_id = $1 ORDER BY attempt`,
      [deliveryId],
    );
    return { status: delivery?.status, attempts: attempts.map((a) => a.ok) };
  };
  /** The BullMQ job that sent a delivery (job id = id of its outbox event). */
  const deliveryJob = async (sql: DataSource, queue: Queue, deliveryId: string) => {
    const [event]: { id: string }[] = await sql.query(`SELECT id FROM outbox WHERE aggregate_id = $1`, [deliveryId]);
    return queue.getJob(event!.id);
  };
  const workerName = (w: WorkerProcess) => `${hostname()}:${w.pid}`;

  it('a worker killed (SIGKILL) in the middle of a delivery: another worker retries it after WORKER_LOCK_MS, and it is recorded once', async () => {
    const receiver = await startWebhookReceiver();
    cleanups.push(() => receiver.close());
    const { api, sql, startWorker, queue, admin, requester } = await stage({ WORKER_LOCK_MS: '2000' });
    await webhookTo(api, admin, receiver.url);

    receiver.hold();
    const first = await startWorker();
    await openTicket(api, requester);
    // The delivery is in flight: the receiver holds its request open.
    await until(async () => receiver.received.length, (n) => n === 1, 15_000);
    const deliveryId = String(receiver.received[0]!.headers['tessera-delivery']);
    first.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    receiver.release();

    const second = await startWorker();
    const done = await until(() => deliveryState(sql, deliveryId), (d) => d.status === 'succeeded', 20_000);
    expect(done).toEqual({ status: 'succeeded', attempts: [true] });
    // Sent twice (the first answer never reached the dead worker), with the same delivery id for the receiver.
    expect(receiver.received.map((r) => r.headers['tessera-delivery'])).toEqual([deliveryId, deliveryId]);
    const job = await deliveryJob(sql, queue('webhook-deliveries'), deliveryId);
    expect(await job!.getState()).toBe('completed');
    expect(job!.processedBy).toBe(workerName(second));
    expect(second.running).toBe(true);
  }, 60_000);

  it('two worker processes share the queues: every ticket assigned once, round-robin stays fair, both did work', async () => {
    const { api, sql, startWorker, queue, admin, requester } = await stage();
    const agents = await Promise.all([api.user('agent', 'ann'), api.user('agent', 'bob'), api.user('agent', 'cid')]);
    const category = (await api.request('POST', '/api/v1/categories', { as: admin, body: { name: 'Monitors' } })).body.id;
    const group = await api.request('POST', '/api/v1/groups', {
      as: admin,
      body: { name: 'Desk', strategy: 'round_robin', memberIds: agents.map((a) => a.id), categoryIds: [category] },
    });
    expect(group.status).toBe(201);
    const workers = [await startWorker(), await startWorker()];

    const ids: string[] = [];
    for (let batch = 0; batch < 6; batch++) {
      ids.push(...(await Promise.all(Array.from({ length: 10 }, () => openTicket(api, requester, { categoryId: category })))));
    }
    const count = async (query: string, params: unknown[] = []) => ((await sql.query(query, params)) as { n: number }[])[0]!.n;
    const assigned = () => count(`SELECT count(*)::int AS n FROM tickets WHERE assignee_id IS NOT NULL`);
    expect(await until(assigned, (n) => n === 60, 30_000)).toBe(60);

    const perAgent: { assignee_id: string; n: number }[] = await sql.query(
      `SELECT assignee_id, count(*)::int AS n FROM tickets GROUP BY assignee_id ORDER BY assignee_id`,
    );
    expect(perAgent.map((r) => r.assignee_id).sort()).toEqual(agents.map((a) => a.id).sort());
    expect(perAgent.map((r) => r.n)).toEqual([20, 20, 20]);
    const twice: unknown[] = await sql.query(
      `SELECT ticket_id FROM ticket_activity WHERE type = 'assigned' GROUP BY ticket_id HAVING count(*) <> 1`,
    );
    expect(twice).toEqual([]);
    expect(await count(`SELECT count(*)::int AS n FROM ticket_activity WHERE type = 'assigned' AND ticket_id = ANY($1::uuid[])`, [ids])).toBe(60);

    const jobs = await queue('intake').getJobs(['completed'], 0, -1);
    const byWorker = new Set(jobs.map((j) => j.processedBy));
    expect(byWorker).toEqual(new Set(workers.map(workerName)));
  }, 90_000);

  it('SIGTERM with a delivery in flight: the worker waits for it, records it, then exits', async () => {
    const receiver = await startWebhookReceiver();
    cleanups.push(() => receiver.close());
    const { api, sql, startWorker, queue, admin, requester } = await stage();
    await webhookTo(api, admin, receiver.url);

    receiver.hold();
    const worker = await startWorker();
    await openTicket(api, requester);
    await until(async () => receiver.received.length, (n) => n === 1, 15_000);
    const deliveryId = String(receiver.received[0]!.headers['tessera-delivery']);
    const deliveries = queue('webhook-deliveries');
    expect(await deliveries.getWorkersCount()).toBe(1);
    worker.kill('SIGTERM');
    // It stops taking jobs (its worker's blocking connection is gone) but waits for the running one ...
    expect(await until(() => deliveries.getWorkersCount(), (n) => n === 0)).toBe(0);
    expect(worker.running).toBe(true);
    // ... which now gets its answer, is recorded, and only then does the process exit.
    receiver.release();
    expect(await worker.exited, worker.output.join('\n')).toEqual({ code: 0, signal: null });
    expect(await deliveryState(sql, deliveryId)).toEqual({ status: 'succeeded', attempts: [true] });
    expect(receiver.received).toHaveLength(1);
    expect(await (await deliveryJob(sql, deliveries, deliveryId))!.getState()).toBe('completed');
  }, 60_000);
});
