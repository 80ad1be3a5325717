import type { Queue } from 'bullmq';
import { SlaTimers } from '../../core/sla/sla-timers.port.js';
import type { EventJobData } from './queues.js';

export const SLA_CHECK_JOB = 'sla.check';
export const SLA_SWEEP_JOB = 'sla.sweep';

/**
 * SLA timers as delayed BullMQ jobs on the `sla` queue. The job id names the ticket and the instant (no ':', which
 * BullMQ refuses), so setting the same timer twice adds one job, and a recomputed due date adds a new one while the
 * old one fires, re-checks and does nothing.
 */
export class BullSlaTimers extends SlaTimers {
  constructor(
    private readonly queue: Queue,
    private readonly retry: { attempts: number; backoffMs: number },
  ) {
    super();
  }

  async schedule(ticketId: string, at: Date): Promise<void> {
    const id = `check-${ticketId}-${at.getTime()}`;
    const data: EventJobData = {
      id,
      type: SLA_CHECK_JOB,
      aggregateId: ticketId,
      actorId: null,
      occurredAt: at.toISOString(),
      payload: {},
    };
    await this.queue.add(SLA_CHECK_JOB, data, {
      jobId: id,
      delay: Math.max(0, at.getTime() - Date.now()),
      attempts: this.retry.attempts,
      backoff: { type: 'exponential', delay: this.retry.backoffMs },
      removeOnComplete: { age: 3600 },
      removeOnFail: { age: 7 * 86_400 },
    });
  }
}
