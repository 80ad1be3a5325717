import { CheckSlaClocks, SweepSlaClocks } from '../../../core/sla/check-sla.use-case.js';
import { TrackSla } from '../../../core/sla/track-sla.use-case.js';
import { SLA_CHECK_JOB, SLA_SWEEP_JOB } from '../bull-sla-timers.js';
import type { JobProcessor } from '../queue-workers.js';
import { QUEUES, type EventJobData } from '../queues.js';

/** The `sla` queue: ticket events, the clocks' own timers and the periodic sweep. */
export class SlaProcessor implements JobProcessor {
  readonly queue = QUEUES.sla;

  constructor(
    private readonly track: TrackSla,
    private readonly check: CheckSlaClocks,
    private readonly sweep: SweepSlaClocks,
  ) {}

  process(data: EventJobData): Promise<unknown> {
    if (data.type === SLA_CHECK_JOB) return this.check.execute(data.aggregateId);
    if (data.type === SLA_SWEEP_JOB) return this.sweep.execute();
    return this.track.execute(data);
  }
}
