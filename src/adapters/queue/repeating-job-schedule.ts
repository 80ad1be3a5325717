import type { Queue } from 'bullmq';
import type { EventJobData } from './queues.js';

export interface RepeatingJob {
  /** The scheduler id every worker process upserts, so there is one run per interval for the installation. */
  schedulerId: string;
  /** The BullMQ job name the queue's worker dispatches on. */
  jobName: string;
  /** How long a failed run is kept for inspection, in seconds. */
  keepFailedSeconds: number;
  /** Named in the warning logged while Redis is away. */
  label: string;
}

/**
 * Registers a repeatable job as a BullMQ job scheduler: one run per interval whatever the number of worker
 * processes, since they all upsert the same scheduler id. While Redis is away it keeps trying every 5 s.
 */
export class RepeatingJobSchedule {
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly queue: Queue,
    private readonly everyMs: number,
    private readonly logger: { warn(message: string): void },
    private readonly job: RepeatingJob,
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
    const { schedulerId, jobName, keepFailedSeconds, label } = this.job;
    const data: EventJobData = { id: schedulerId, type: jobName, aggregateId: '', actorId: null, occurredAt: '', payload: {} };
    try {
      await this.queue.upsertJobScheduler(
        schedulerId,
        { every: this.everyMs },
        { name: jobName, data, opts: { removeOnComplete: true, removeOnFail: { age: keepFailedSeconds } } },
      );
    } catch (error) {
      this.logger.warn(`${label} not scheduled yet (${(error as Error).message}); retrying`);
      if (!this.stopped) this.timer = setTimeout(() => void this.register(), 5000).unref();
    }
  }
}
