import type { Queue } from 'bullmq';
import { SLA_SWEEP_JOB } from './bull-sla-timers.js';
import { RepeatingJobSchedule } from './repeating-job-schedule.js';

/** The SLA sweep, one run per interval for the whole installation. */
export class SlaSweepSchedule extends RepeatingJobSchedule {
  constructor(queue: Queue, everyMs: number, logger: { warn(message: string): void }) {
    super(queue, everyMs, logger, { schedulerId: 'sla-sweep', jobName: SLA_SWEEP_JOB, keepFailedSeconds: 86_400, label: 'SLA sweep' });
  }
}
