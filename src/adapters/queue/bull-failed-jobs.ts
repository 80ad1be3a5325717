import type { Job, Queue } from 'bullmq';
import { FailedJobs, type FailedJob } from '../../core/pipeline/failed-jobs.port.js';
import type { EventJobData, QueueName } from './queues.js';

const toFailedJob = (queue: string, job: Job<EventJobData>): FailedJob => ({
  queue,
  id: String(job.id),
  name: job.name,
  eventId: job.data?.id ?? String(job.id),
  failedReason: job.failedReason ?? '',
  attemptsMade: job.attemptsMade,
  createdAt: new Date(job.timestamp),
  failedAt: job.finishedOn ? new Date(job.finishedOn) : null,
});

/** BullMQ's failed sets, read and retried through the producers' queues. */
export class BullFailedJobs extends FailedJobs {
  constructor(private readonly byName: ReadonlyMap<QueueName, Queue>) {
    super();
  }

  queues(): readonly string[] {
    return [...this.byName.keys()];
  }

  async list(queue: string | undefined, limit: number): Promise<FailedJob[]> {
    const names = queue ? [queue] : this.queues();
    const lists = await Promise.all(
      names.map(async (name) => {
        const jobs = (await this.byName.get(name as QueueName)!.getFailed(0, limit - 1)) as Job<EventJobData>[];
        return jobs.filter(Boolean).map((job) => toFailedJob(name, job));
      }),
    );
    return lists
      .flat()
      .sort((a, b) => (b.failedAt?.getTime() ?? 0) - (a.failedAt?.getTime() ?? 0))
      .slice(0, limit);
  }

  async retry(queue: string, id: string): Promise<boolean> {
    const job = await this.byName.get(queue as QueueName)?.getJob(id);
    if (!job || !(await job.isFailed())) return false;
    await job.retry('failed', { resetAttemptsMade: true });
    return true;
  }
}
