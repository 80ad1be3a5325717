import type { TicketChange } from './ticket.js';

export type ActivityType = TicketChange['type'] | 'commented';

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
