import type { DomainEvent } from '../shared/domain-event.js';
import { SLA_ALERT_EVENTS, SLA_FULFILLED_EVENT } from '../sla/sla-alerts.js';
import { TICKET_EVENT_TYPES } from '../tickets/ticket-recorder.js';
import type { AnalyticsProjection } from './analytics-projection.port.js';
import { AnalyticsBehindSlaError } from './analytics.errors.js';

/** The events after which a ticket's figures may have changed (the event's aggregate is the ticket). */
export const ANALYTICS_EVENTS: readonly string[] = [
  ...TICKET_EVENT_TYPES,
  SLA_ALERT_EVENTS.breached,
  SLA_FULFILLED_EVENT,
  'ticket.rated',
];

/**
 * The analytics worker's step: recompute the event's ticket in the rollups. Idempotent (a recomputation from the
 * rows), so a replayed or retried event changes nothing. When the SLA worker has not applied the same change
 * yet, it fails so the job is retried after a back-off.
 */
export class RefreshTicketAnalytics {
  constructor(private readonly projection: AnalyticsProjection) {}

  async execute(event: Pick<DomainEvent, 'type' | 'aggregateId'>): Promise<void> {
    if (!ANALYTICS_EVENTS.includes(event.type)) return;
    const { behind } = await this.projection.refresh([event.aggregateId]);
    if (behind.length) throw new AnalyticsBehindSlaError(behind);
  }
}
