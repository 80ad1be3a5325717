import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { OutboxRelay } from '../../../src/adapters/queue/outbox-relay.js';
import { QUEUES, redisOptionsFromUrl, type EventJobData, type QueueName } from '../../../src/adapters/queue/queues.js';
import { createScratchDatabase, testRedisPrefix, testRedisUrl } from '../../support/database.js';
import { until } from '../../support/until.js';

const COALESCE_MS = 1000;

// The relay's clock (Date and its timers) is faked: time moves only when the test moves it, so "within the
// coalescing interval" is a fact of the test, not a race with a loaded machine. PostgreSQL and Redis are real.
describe('outbox relay nudged by many commits (real PostgreSQL and Redis)', () => {
  let db: { url: string; drop(): Promise<void> };
  let sql: DataSource;
  let queues: Map<QueueName, Queue>;
  let relay: OutboxRelay;
  const batches: string[][] = [];

  beforeAll(async () => {
    db = await createScratchDatabase();
    sql = await new DataSource({ type: 'postgres', url: db.url, poolSize: 2 }).initialize();
    const prefix = `${testRedisPrefix()}-coalesce-${randomUUID().slice(0, 8)}`;
    queues = new Map(
      Object.values(QUEUES).map((name) => [name, new Queue(name, { connection: redisOptionsFromUrl(testRedisUrl()), prefix })]),
    );
    await Promise.all([...queues.values()].map((q) => q.waitUntilReady()));
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  afterAll(async () => {
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
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    let startedEmpty = false;
    relay = new OutboxRelay(
      sql,
      queues,
      // Polling is out of the picture: only nudges wake the relay.
      { batchSize: 500, pollMs: 60_000, coalesceMs: COALESCE_MS, redisTimeoutMs: 5000, attempts: 1, backoffMs: 1000, retentionHours: 1 },
      { warn: () => undefined, log: () => undefined },
      async (events: EventJobData[]) => {
        batches.push(events.map((e) => e.id));
      },
    );
    const relayBatch = relay.relayBatch.bind(relay);
    vi.spyOn(relay, 'relayBatch').mockImplementation(async () => {
      const moved = await relayBatch();
      if (moved === 0) startedEmpty = true;
      return moved;
    });
    relay.start();
    // The batch at start found nothing; once a whole interval has passed, a nudge is answered without waiting.
    await until(async () => startedEmpty, Boolean);
    vi.advanceTimersByTime(COALESCE_MS);
    const first = await commitEvent();
    await until(async () => batches.length, (n) => n === 1);
    expect(batches[0]).toEqual([first]);

    // The clock stands still: every commit below falls inside the interval that began with the first batch.
    const rest: string[] = [];
    for (let i = 0; i < 5; i++) rest.push(await commitEvent());
    // The relay waits for the interval to end: move the clock to just before it, then to it.
    vi.advanceTimersByTime(COALESCE_MS - 1);
    expect(batches).toHaveLength(1);
    vi.advanceTimersByTime(1);
    await until(async () => batches.flat().length, (n) => n === 6);

    expect(batches).toHaveLength(2);
    expect([...batches[1]!].sort()).toEqual([...rest].sort());
    const job = await queues.get(QUEUES.intake)!.getJob(first);
    expect(job?.data.id).toBe(first);

    // Stopping wakes the relay; what is left of its interval passes on the fake clock.
    const stopped = relay.stop();
    await vi.advanceTimersByTimeAsync(COALESCE_MS);
    await stopped;
  });
});
