import type { Queue } from 'bullmq';
import { QUEUE_JOB_STATES, QueueStats, type MetricsSnapshot } from '../../core/metrics/metrics-snapshot.js';

/** Job counts of every BullMQ queue by state (one Redis round trip per queue, sent together). */
export class BullQueueStats extends QueueStats {
  constructor(private readonly queues: readonly Queue[]) {
    super();
  }

  async counts(): Promise<MetricsSnapshot['queues']> {
    const perQueue = await Promise.all(
      this.queues.map(async (queue) => {
        const counts = await queue.getJobCounts(...QUEUE_JOB_STATES);
        return QUEUE_JOB_STATES.map((state) => ({ queue: queue.name, state, count: counts[state] ?? 0 }));
      }),
    );
    return perQueue.flat();
  }
}
