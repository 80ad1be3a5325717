import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboxRelay } from '../../../src/adapters/queue/outbox-relay.js';
import { QUEUES, redisOptionsFromUrl, type EventJobData, type QueueName } from '../../../src/adapters/queue/queues.js';
import { createScratchDatabase, testRedisPrefix, testRedisUrl } from '../../support/database.js';
import { until } from '../../support/until.js';

const COALESCE_MS = 1000;

describe('outbox relay nudged by many commits (real PostgreSQL and Redis)', () => {
  let db: { url: string; drop(): Promise<void> };
  let sql: DataSource;
  let queues: Map<QueueName, Queue>;
  let relay: OutboxRelay;
  const batches: { at: number; ids: string[] }[] = [];

  beforeAll(async () => {
    db = await createScratchDatabase();
    sql = await new DataSource({ type: 'postgres', url: db.url, poolSize: 2 }).initialize();
    const prefix = `${testRedisPrefix()}-coalesce-${randomUUID().slice(0, 8)}`;
    queues = new Map(
      Object.values(QUEUES).map((name) => [name, new Queue(name, { connection: redisOptionsFromUrl(testRedisUrl()), prefix })]),
    );
    relay = new OutboxRelay(
      sql,
      queues,
      // Polling is out of the picture: only nudges wake the relay.
      { batchSize: 500, pollMs: 60_000, coalesceMs: COALESCE_MS, redisTimeoutMs: 5000, attempts: 1, backoffMs: 1000, retentionHours: 1 },
      { warn: () => undefined, log: () => undefined },
      async (events: EventJobData[]) => {
        batches.push({ at: Date.now(), ids: events.map((e) => e.id) });
      },
    );
  });
  afterAll(async () => {
    await relay?.stop();
    for (const queue of queues?.values() ?? []) await queue.obliterate({ force: true }).then(() => queue.close());
    await sql?.destroy();
    await db?.drop();
  });

  const commitEvent = async (): Promise<string> => {
    const id = randomUUID();
    await sql.query(
      `INSERT INTO outbox (id, type, aggregate_id, actor_id, payload, occurred_at) VALUES ($1, 'ticket.created', $2, NULL, '{}', now())`,
      [id, randomUUID()],
    );
    relay.nudge();
    return id;
  };

  it('answers the first nudge at once and carries the commits that follow in one batch, not one batch each', async () => {
    relay.start();
    // The relay's first batch runs at start and finds nothing; once the interval has passed, a nudge is answered at once.
    await sleep(COALESCE_MS + 50);
    const first = await commitEvent();
    await until(async () => batches.length, (n) => n === 1, 5_000);
    expect(batches[0]!.ids).toEqual([first]);

    const rest: string[] = [];
    for (let i = 0; i < 5; i++) rest.push(await commitEvent());
    await until(async () => batches.flatMap((b) => b.ids).length, (n) => n === 6, 5_000);

    expect(batches).toHaveLength(2);
    expect(batches[1]!.ids.sort()).toEqual(rest.sort());
    expect(batches[1]!.at - batches[0]!.at).toBeGreaterThanOrEqual(COALESCE_MS - 50);
    const job = await queues.get(QUEUES.intake)!.getJob(first);
    expect(job?.data.id).toBe(first);
  });
});
