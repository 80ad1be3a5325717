import type { TicketChange } from './ticket.js';

/**
 * `sla_at_risk` / `sla_breached` are written by the SLA worker (field = the clock); `rated` by the requester's
 * satisfaction rating (field `satisfaction`, to = { rating, comment }).
 */
export type ActivityType = TicketChange['type'] | 'commented' | 'sla_at_risk' | 'sla_breached' | 'rated';

export interface ActivityEntry {
  id: string;
  ticketId: string;
  actorId: string | null;
  type: ActivityType;
  field: string | null;
  from: unknown;
  to: unknown;
  /** Entries about internal notes are hidden from requesters. */
  internal: boolean;
  occurredAt: Date;
}
