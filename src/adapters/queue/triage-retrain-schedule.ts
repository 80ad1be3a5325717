import type { BullTriageTraining } from './bull-triage-training.js';
import type { WorkerLogger } from './queue-workers.js';

const RETRY_MS = 30_000;

/**
 * Sets the triage retraining schedule when a worker starts. It lives in Redis, so while Redis is away it is tried
 * again every 30 s until it is set.
 */
export class TriageRetrainSchedule {
  private retry: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly training: BullTriageTraining,
    private readonly everyMinutes: number,
    private readonly logger: WorkerLogger,
  ) {}

  start(): void {
    this.training.schedule(this.everyMinutes).catch((error: Error) => {
      if (this.stopped) return;
      this.logger.warn(`triage retraining not scheduled yet (${error.message}); trying again in 30 s`);
      this.retry = setTimeout(() => this.start(), RETRY_MS);
      this.retry.unref();
    });
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retry);
  }
}
