/** A background job that used up its retries. */
export interface FailedJob {
  queue: string;
  id: string;
  name: string;
  /** The outbox event the job carried. */
  eventId: string;
  failedReason: string;
  attemptsMade: number;
  createdAt: Date;
  failedAt: Date | null;
}

export abstract class FailedJobs {
  abstract queues(): readonly string[];
  /** Newest first. */
  abstract list(queue: string | undefined, limit: number): Promise<FailedJob[]>;
  /** Puts a failed job back in its queue with fresh attempts; false when no such failed job exists. */
  abstract retry(queue: string, id: string): Promise<boolean>;
}
