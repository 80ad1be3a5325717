import { RunTriage } from '../../../core/triage/run-triage.use-case.js';
import { TrainTriageModel } from '../../../core/triage/train-triage-model.use-case.js';
import type { TriageResult } from '../../../core/triage/triage-result.js';
import type { JobProcessor } from '../queue-workers.js';
import { QUEUES, type EventJobData } from '../queues.js';

export class TriageProcessor implements JobProcessor {
  readonly queue = QUEUES.triage;

  constructor(private readonly triage: RunTriage) {}

  async process(data: EventJobData) {
    return triageSummary(await this.triage.execute(data));
  }
}

/** What a triage did, for a job's return value (kept a day by BullMQ), without the suggestions' detail. */
export function triageSummary(result: TriageResult | null): { applied: string[]; duplicates: number } | null {
  return result && { applied: result.applied.map((a) => a.field), duplicates: result.duplicates.length };
}

/** One training at a time per process: a run holds every training ticket's tokens in memory. */
export class TriageTrainingProcessor implements JobProcessor {
  readonly queue = QUEUES.triageTraining;
  readonly concurrency = 1;

  constructor(private readonly train: TrainTriageModel) {}

  process() {
    return this.train.execute();
  }
}
