import { RefreshTicketAnalytics } from '../../../core/analytics/refresh-analytics.use-case.js';
import type { JobProcessor } from '../queue-workers.js';
import { QUEUES, type EventJobData } from '../queues.js';

/** The `analytics` queue: a ticket event recomputes that ticket's share of the rollups (idempotent). */
export class AnalyticsProcessor implements JobProcessor {
  readonly queue = QUEUES.analytics;

  constructor(private readonly refresh: RefreshTicketAnalytics) {}

  process(data: EventJobData) {
    return this.refresh.execute(data);
  }
}
