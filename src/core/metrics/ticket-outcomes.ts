import { changesOf, type EventSummary } from '../shared/domain-event.js';
import { isReopen, isResolution } from '../tickets/ticket-lifecycle.js';
import { TICKET_STATUSES, type TicketStatus } from '../tickets/ticket-status.js';

/** The two SLA clocks, as metrics and exports name them. */
export const SLA_TARGETS = ['first_response', 'resolution'] as const;
export type SlaTarget = (typeof SLA_TARGETS)[number];

export const isSlaTarget = (value: unknown): value is SlaTarget => (SLA_TARGETS as readonly unknown[]).includes(value);

const isStatus = (value: unknown): value is TicketStatus => (TICKET_STATUSES as readonly unknown[]).includes(value);

/** The status change an event made, if it made one (`ticket.status_changed`, or any event carrying a status change). */
export function statusChangeOf(event: Pick<EventSummary, 'payload'>): { from: TicketStatus; to: TicketStatus } | null {
  const change = changesOf(event).find((c) => c.field === 'status');
  return change && isStatus(change.from) && isStatus(change.to) ? { from: change.from, to: change.to } : null;
}

/** What a committed event counts as in the ticket counters: at most one outcome per event. */
export type TicketOutcome =
  | { kind: 'created' }
  | { kind: 'resolved' }
  | { kind: 'reopened' }
  | { kind: 'sla_breached'; target: SlaTarget };

export function outcomeOf(event: EventSummary): TicketOutcome | null {
  switch (event.type) {
    case 'ticket.created':
      return { kind: 'created' };
    case 'sla.breached': {
      const clock = event.payload['clock'];
      return isSlaTarget(clock) ? { kind: 'sla_breached', target: clock } : null;
    }
    default: {
      const change = statusChangeOf(event);
      if (!change) return null;
      // A requester's reopen counts like an agent's: the rule is the transition, not who made it.
      if (isResolution(change.from, change.to)) return { kind: 'resolved' };
      if (isReopen(change.from, change.to)) return { kind: 'reopened' };
      return null;
    }
  }
}
