import type { Queue } from 'bullmq';
import { SLA_SWEEP_JOB } from './bull-sla-timers.js';
import type { EventJobData } from './queues.js';

/**
 * Registers the SLA sweep as a BullMQ job scheduler (a repeatable job: one per interval whatever the number of
 * worker processes, since they all upsert the same scheduler id). While Redis is away it keeps trying.
 */
export class SlaSweepSchedule {
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
    const data: EventJobData = { id: 'sla-sweep', type: SLA_SWEEP_JOB, aggregateId: '', actorId: null, occurredAt: '', payload: {} };
    try {
      await this.queue.upsertJobScheduler(
        'sla-sweep',
        { every: this.everyMs },
        { name: SLA_SWEEP_JOB, data, opts: { removeOnComplete: true, removeOnFail: { age: 86_400 } } },
      );
    } catch (error) {
      this.logger.warn(`SLA sweep not scheduled yet (${(error as Error).message}); retrying`);
      if (!this.stopped) this.timer = setTimeout(() => void this.register(), 5000).unref();
    }
  }
}
