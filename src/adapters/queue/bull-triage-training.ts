import type { Queue } from 'bullmq';
import { TriageTrainingQueue } from '../../core/triage/triage-training-queue.port.js';

const TRAIN_JOB = 'triage.train';
const SCHEDULER_ID = 'triage-retrain';
const REQUEST_DEDUPLICATION_ID = 'triage-retrain-request';

export interface TrainingJobOptions {
  attempts: number;
  backoffMs: number;
}

const jobOptions = ({ attempts, backoffMs }: TrainingJobOptions) => ({
  attempts,
  backoff: { type: 'exponential' as const, delay: backoffMs },
  removeOnComplete: { count: 100 },
  removeOnFail: { count: 100 },
});

/** Training runs on the `triage-training` BullMQ queue: asked for by an admin, or by a job scheduler. */
export class BullTriageTraining extends TriageTrainingQueue {
  constructor(
    private readonly queue: Queue,
    private readonly options: TrainingJobOptions,
  ) {
    super();
  }

  /** Requests made while one waits are folded into it; one made while it runs makes one more run afterwards. */
  async request(): Promise<{ jobId: string }> {
    const job = await this.queue.add(
      TRAIN_JOB,
      {},
      { ...jobOptions(this.options), deduplication: { id: REQUEST_DEDUPLICATION_ID, keepLastIfActive: true } },
    );
    return { jobId: String(job.id) };
  }

  /**
   * Retrain every `minutes` (0: never). A BullMQ job scheduler lives in Redis under a fixed id, so however many
   * worker processes call this, there is one schedule and each run happens once.
   */
  async schedule(minutes: number): Promise<void> {
    if (minutes === 0) {
      await this.queue.removeJobScheduler(SCHEDULER_ID);
      return;
    }
    await this.queue.upsertJobScheduler(
      SCHEDULER_ID,
      { every: minutes * 60_000 },
      { name: TRAIN_JOB, data: {}, opts: jobOptions(this.options) },
    );
  }
}
