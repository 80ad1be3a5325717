import { RunAssignment } from '../../../core/assignment/run-assignment.use-case.js';
import type { JobProcessor } from '../queue-workers.js';
import { QUEUES, type EventJobData } from '../queues.js';

export class AssignmentProcessor implements JobProcessor {
  readonly queue = QUEUES.assignment;

  constructor(
    private readonly assignment: RunAssignment,
    /** Most of a job's time is spent waiting for its group's shared drain: more at once make bigger batches. */
    readonly concurrency?: number,
  ) {}

  process(data: EventJobData) {
    return this.assignment.execute(data);
  }
}
