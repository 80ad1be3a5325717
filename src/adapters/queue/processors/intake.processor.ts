import { RunIntake } from '../../../core/intake/run-intake.use-case.js';
import type { JobProcessor } from '../queue-workers.js';
import { QUEUES, type EventJobData } from '../queues.js';
import { triageSummary } from './triage.processors.js';

/** The `intake` queue: a new ticket's triage, SLA clocks, routing and assignment, in one job. */
export class IntakeProcessor implements JobProcessor {
  readonly queue = QUEUES.intake;

  constructor(
    private readonly intake: RunIntake,
    /** A job ends waiting for its group's shared drain: more at once make bigger assignment batches. */
    readonly concurrency?: number,
  ) {}

  async process(data: EventJobData) {
    const { triage, assigned } = await this.intake.execute(data);
    return { triage: triageSummary(triage), assigned: assigned.length };
  }
}
