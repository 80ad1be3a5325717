import type { Queue } from 'bullmq';
import type { EventJobData } from './queues.js';

export const METRICS_REFRESH_JOB = 'metrics.refresh';

/**
 * Registers the metrics snapshot's refresh as a BullMQ job scheduler: one run per interval for the whole
 * installation, whatever the number of worker processes (they all upsert the same scheduler id). While Redis is
 * away it keeps trying.
 */
export class MetricsRefreshSchedule {
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly queue: Queue,
    private readonly everyMs: number,
    private readonly logger: { warn(message: string): void },
  ) {}

  start(): void {
    this.stopped = false;
    void this.register();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private async register(): Promise<void> {
    const data: EventJobData = { id: METRICS_REFRESH_JOB, type: METRICS_REFRESH_JOB, aggregateId: '', actorId: null, occurredAt: '', payload: {} };
    try {
      await this.queue.upsertJobScheduler(
        'metrics-refresh',
        { every: this.everyMs },
        { name: METRICS_REFRESH_JOB, data, opts: { removeOnComplete: true, removeOnFail: { age: 3600 } } },
      );
    } catch (error) {
      this.logger.warn(`metrics refresh not scheduled yet (${(error as Error).message}); retrying`);
      if (!this.stopped) this.timer = setTimeout(() => void this.register(), 5000).unref();
    }
  }
}
