import { hostname } from 'node:os';
import { Worker, type Job } from 'bullmq';
import { reconnectDelay } from '../redis/redis-connection.js';
import { throttled, TIMED_OUT, within } from '../timing.js';
import type { EventJobData, QueueName } from './queues.js';

/** One queue's handler: decodes the job and calls one use case. Must be idempotent (keyed by the event id). */
export interface JobProcessor {
  readonly queue: QueueName;
  /** Jobs of this queue run at once per process, when not the configured WORKER_CONCURRENCY. */
  readonly concurrency?: number;
  process(data: EventJobData, job: Job<EventJobData>): Promise<unknown>;
}

export interface QueueWorkerOptions {
  connection: object;
  prefix: string;
  concurrency: number;
  /** A job whose worker stops renewing its lock (crashed) is handed to another worker after this long. */
  lockDurationMs: number;
}

export interface WorkerLogger {
  warn(message: string): void;
  error(message: string): void;
}

/**
 * BullMQ workers for the registered processors. Built here rather than with @nestjs/bullmq's @Processor because
 * their connection, concurrency and lock duration come from the validated config, and workers need a connection
 * that waits for Redis (the producers' fails fast). close() lets in-flight jobs finish; a job cut off by a crash
 * is detected as stalled and retried.
 */
export class QueueWorkers {
  private readonly workers: Worker[] = [];
  /** Jobs running now, per worker: a worker with none can close at once (force skips only the wait for jobs). */
  private readonly running = new Map<Worker, number>();
  private readonly warn = throttled(30_000, (message) => this.logger.warn(message));

  constructor(
    private readonly processors: JobProcessor[],
    private readonly options: QueueWorkerOptions,
    private readonly logger: WorkerLogger,
  ) {}

  start(): void {
    const { connection, prefix, concurrency, lockDurationMs } = this.options;
    for (const processor of this.processors) {
      const worker: Worker<EventJobData> = new Worker<EventJobData>(processor.queue, async (job) => {
        this.running.set(worker, (this.running.get(worker) ?? 0) + 1);
        try {
          return await processor.process(job.data, job);
        } finally {
          this.running.set(worker, (this.running.get(worker) ?? 1) - 1);
        }
      }, {
        // Reconnects every ≤ 2 s (BullMQ's default backs off to 20 s, which would also stall a shutdown).
        connection: { ...connection, maxRetriesPerRequest: null, retryStrategy: reconnectDelay },
        prefix,
        // Recorded on each job it runs (job.processedBy) and shown by CLIENT LIST: which process did what.
        name: `${hostname()}:${process.pid}`,
        concurrency: processor.concurrency ?? concurrency,
        lockDuration: lockDurationMs,
        stalledInterval: Math.max(1000, Math.floor(lockDurationMs / 2)),
        maxStalledCount: 2,
      });
      worker.on('error', (error) => this.warn(`worker ${processor.queue}: ${error.message}`));
      worker.on('failed', (job, error) => {
        if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) {
          this.logger.error(`job ${processor.queue}/${job.id} (${job.name}) failed for good: ${error.message}`);
        }
      });
      this.workers.push(worker);
    }
  }

  /**
   * Stops taking jobs and waits (up to `graceMs`) for the running ones to finish; past that, the workers close
   * without them and those jobs return to the queue as stalled, to be run again by another worker.
   */
  async stop(graceMs = 10_000): Promise<void> {
    await Promise.all(
      this.workers.map(async (worker) => {
        // Waiting for "current jobs" also waits for a pending fetch, which hangs while Redis reconnects.
        const idle = !this.running.get(worker);
        if ((await within(worker.close(idle), graceMs)) === TIMED_OUT) {
          this.logger.warn(`worker ${worker.name}: jobs still running after ${graceMs} ms; leaving them to be retried`);
        }
      }),
    );
    this.workers.length = 0;
  }
}
