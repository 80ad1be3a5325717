import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { throttled, TIMED_OUT, within } from '../timing.js';
import { OPTIONAL_QUEUES, QUEUES, queuesFor, type EventJobData, type QueueName } from './queues.js';

export interface OutboxRelayOptions {
  /** Events moved per transaction. */
  batchSize: number;
  /** Idle wait between polls; a nudge from this process's own commits cuts it short. */
  pollMs: number;
  /**
   * A nudge is answered no sooner than this after the previous batch began: under load the events of many commits
   * travel in one batch (one transaction and one Redis round trip per queue) instead of one batch per commit.
   */
  coalesceMs: number;
  /** How long a Redis write may take before the batch is given up and retried. */
  redisTimeoutMs: number;
  /** Retry policy stamped on every job. */
  attempts: number;
  backoffMs: number;
  /** Sent outbox rows older than this are deleted. */
  retentionHours: number;
  /** Optional queues (OPTIONAL_QUEUES: the InfluxDB export) this installation feeds; the others are left out. */
  optionalQueues?: ReadonlySet<QueueName>;
  /**
   * Queues holding at most `max` waiting jobs: events past it are not added to that queue, and `dropped` is told
   * how many (the InfluxDB export: bounded by INFLUX_MAX_BACKLOG while InfluxDB is away).
   */
  bounded?: ReadonlyMap<QueueName, { max: number; dropped(count: number): void }>;
}

export interface RelayLogger {
  warn(message: string): void;
  log(message: string): void;
}

interface OutboxRow {
  id: string;
  type: string;
  aggregate_id: string;
  actor_id: string | null;
  payload: Record<string, unknown>;
  occurred_at: Date;
}

const toJobData = (row: OutboxRow): EventJobData => ({
  id: row.id,
  type: row.type,
  aggregateId: row.aggregate_id,
  actorId: row.actor_id,
  occurredAt: row.occurred_at.toISOString(),
  payload: row.payload,
});

/** Jobs not yet done (waiting, running, delayed): what a bounded queue holds. */
export const unfinishedJobs = (queue: Queue): Promise<number> =>
  queue.getJobCountByTypes('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');

/**
 * Moves outbox events to BullMQ. Rows are claimed with FOR UPDATE SKIP LOCKED (so relays in several processes
 * share the work), added to every queue whose consumer it concerns (queuesFor; webhooks only for types an active
 * webhook subscribes to) with job id = event id (so a retried batch never doubles a job), and marked sent in the
 * same transaction. If Redis fails, the transaction rolls back and the events stay
 * pending until it returns.
 */
export class OutboxRelay {
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private nudged = false;
  private batchStartedAt = 0;
  private lastCleanup = 0;
  private failures = 0;
  private readonly warn = throttled(30_000, (message) => this.logger.warn(message));

  constructor(
    private readonly db: DataSource,
    private readonly queues: ReadonlyMap<QueueName, Queue>,
    private readonly options: OutboxRelayOptions,
    private readonly logger: RelayLogger,
    /** Called with each batch after it committed (live events); its failures are logged, never retried. */
    private readonly afterCommit?: (events: EventJobData[]) => Promise<void>,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.nudge();
    await this.loop;
  }

  /** Called after a transaction that wrote events commits: relay now instead of at the next poll. */
  nudge(): void {
    this.nudged = true;
    this.wake?.();
  }

  /** Relays one batch; returns how many events it moved. */
  async relayBatch(): Promise<number> {
    const events = await this.db.transaction(async (m) => {
      const rows: OutboxRow[] = await m.query(
        `SELECT id, type, aggregate_id, actor_id, payload, occurred_at FROM outbox
         WHERE sent_at IS NULL ORDER BY occurred_at, id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [this.options.batchSize],
      );
      if (!rows.length) return [];
      const batch = rows.map(toJobData);
      // Read after the rows: a webhook created later than this was created after these events happened.
      const hooked: { type: string }[] = await m.query(`SELECT DISTINCT unnest(events) AS type FROM webhooks WHERE active`);
      const webhookTypes = new Set(hooked.map((h) => h.type));
      if ((await within(this.enqueue(batch, webhookTypes), this.options.redisTimeoutMs)) === TIMED_OUT) {
        throw new Error(`Redis did not answer within ${this.options.redisTimeoutMs} ms`);
      }
      await m.query(`UPDATE outbox SET sent_at = now() WHERE id = ANY($1::uuid[])`, [rows.map((r) => r.id)]);
      return batch;
    });
    if (events.length && this.afterCommit) {
      await this.afterCommit(events).catch((error: unknown) => this.warn(`live events not published: ${(error as Error).message}`));
    }
    return events.length;
  }

  /** Adds each event to the queues whose consumers it concerns; to `webhooks` only when a webhook subscribes to its type. */
  private async enqueue(events: EventJobData[], webhookTypes: ReadonlySet<string>): Promise<void> {
    const perQueue = new Map<QueueName, EventJobData[]>();
    const { optionalQueues } = this.options;
    for (const event of events) {
      for (const name of queuesFor(event)) {
        if (name === QUEUES.webhooks && !webhookTypes.has(event.type)) continue;
        if (OPTIONAL_QUEUES.has(name) && !optionalQueues?.has(name)) continue;
        const list = perQueue.get(name) ?? [];
        list.push(event);
        perQueue.set(name, list);
      }
    }
    const { attempts, backoffMs } = this.options;
    await Promise.all(
      [...perQueue].map(async ([name, all]) => {
        const queue = this.queues.get(name);
        if (!queue) throw new Error(`no queue registered for ${name}`);
        const jobs = await this.withinBound(name, queue, all);
        if (!jobs.length) return;
        await queue.addBulk(
          jobs.map((data) => ({
            name: data.type,
            data,
            opts: {
              jobId: data.id,
              attempts,
              backoff: { type: 'exponential', delay: backoffMs },
              // Completed jobs stay a day, so a batch re-sent after a lost commit is recognised by its job id.
              removeOnComplete: { age: 86_400, count: 100_000 },
              removeOnFail: false,
            },
          })),
        );
      }),
    );
  }

  /** The jobs that fit under the queue's bound, if it has one; the rest are counted as dropped. */
  private async withinBound(name: QueueName, queue: Queue, jobs: EventJobData[]): Promise<EventJobData[]> {
    const bound = this.options.bounded?.get(name);
    if (!bound) return jobs;
    const room = Math.max(0, bound.max - (await unfinishedJobs(queue)));
    if (room >= jobs.length) return jobs;
    bound.dropped(jobs.length - room);
    return jobs.slice(0, room);
  }

  private async run(): Promise<void> {
    while (this.running) {
      let moved = 0;
      try {
        this.batchStartedAt = Date.now();
        moved = await this.relayBatch();
        if (this.failures) this.logger.log(`outbox relay: delivering again after ${this.failures} failed attempt(s)`);
        this.failures = 0;
        await this.cleanupIfDue();
      } catch (error) {
        this.failures++;
        this.warn(`outbox relay: events stay pending (${(error as Error).message}); retrying`);
      }
      if (moved === this.options.batchSize) continue;
      const backoff = this.failures ? Math.min(250 * 2 ** Math.min(this.failures, 4), 4000) : this.options.pollMs;
      await this.sleep(backoff);
    }
  }

  /** Every 10 minutes, deletes sent events past retention in batches (the relay is idle when it gets here). */
  private async cleanupIfDue(): Promise<void> {
    if (Date.now() - this.lastCleanup < 600_000) return;
    this.lastCleanup = Date.now();
    for (let i = 0; i < 50 && this.running; i++) {
      const [, deleted] = (await this.db.query(
        `DELETE FROM outbox WHERE id IN (
           SELECT id FROM outbox WHERE sent_at < now() - make_interval(hours => $1) LIMIT 10000)`,
        [this.options.retentionHours],
      )) as [unknown, number];
      if (deleted < 10_000) return;
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      // Woken early: after what is left of the coalescing interval, if anything.
      const early = () => {
        const rest = this.batchStartedAt + this.options.coalesceMs - Date.now();
        if (rest > 0) setTimeout(resolve, rest);
        else resolve();
      };
      if (this.nudged) {
        this.nudged = false;
        early();
        return;
      }
      const timer = setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      this.wake = () => {
        this.wake = null;
        this.nudged = false;
        clearTimeout(timer);
        early();
      };
    });
  }
}
