import { isAdmin, type Actor } from '../identity/actor.js';
import { DomainError, ForbiddenError, InvalidInputError } from '../shared/domain-error.js';
import { FailedJobs, type FailedJob } from './failed-jobs.port.js';

export class FailedJobNotFoundError extends DomainError {
  readonly kind = 'not_found' as const;
  readonly code = 'FAILED_JOB_NOT_FOUND';
  constructor(queue: string, id: string) {
    super(`No failed job ${id} in queue ${queue}`);
  }
}

/** Admins see the jobs that ran out of retries and send them back once the cause is fixed. */
export class ManageFailedJobs {
  constructor(private readonly jobs: FailedJobs) {}

  async list(actor: Actor, input: { queue?: string; limit: number }): Promise<FailedJob[]> {
    this.authorize(actor);
    if (input.queue !== undefined) this.checkQueue(input.queue);
    return this.jobs.list(input.queue, input.limit);
  }

  async retry(actor: Actor, queue: string, id: string): Promise<void> {
    this.authorize(actor);
    this.checkQueue(queue);
    if (!(await this.jobs.retry(queue, id))) throw new FailedJobNotFoundError(queue, id);
  }

  private authorize(actor: Actor): void {
    if (!isAdmin(actor)) throw new ForbiddenError('Only admins manage background jobs', 'JOBS_ADMIN_ONLY');
  }

  private checkQueue(queue: string): void {
    const known = this.jobs.queues();
    if (!known.includes(queue)) throw new InvalidInputError('queue', `must be one of ${known.join(', ')}`);
  }
}
