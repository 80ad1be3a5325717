import type { Queue } from 'bullmq';
import { RepeatingJobSchedule } from './repeating-job-schedule.js';

export const METRICS_REFRESH_JOB = 'metrics.refresh';

/** The metrics snapshot's refresh, one run per interval for the whole installation. */
export class MetricsRefreshSchedule extends RepeatingJobSchedule {
  constructor(queue: Queue, everyMs: number, logger: { warn(message: string): void }) {
    super(queue, everyMs, logger, { schedulerId: 'metrics-refresh', jobName: METRICS_REFRESH_JOB, keepFailedSeconds: 3600, label: 'metrics refresh' });
  }
}
