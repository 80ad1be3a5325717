import { AwardPoints } from '../../../core/recognition/award-points.use-case.js';
import type { JobProcessor } from '../queue-workers.js';
import { QUEUES, type EventJobData } from '../queues.js';

/** The `recognition` queue: each event's points, awarded once (the ledger is unique per event, rule and agent). */
export class RecognitionProcessor implements JobProcessor {
  readonly queue = QUEUES.recognition;

  constructor(private readonly award: AwardPoints) {}

  async process(data: EventJobData): Promise<{ awarded: number }> {
    return { awarded: (await this.award.execute(data)).length };
  }
}
