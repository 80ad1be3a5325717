import type { SlaEvent } from './sla-clock.js';
import type { RecordedSlaEvent, TicketSla, TicketSlaSummary } from './ticket-sla.js';

/** Per-ticket SLA state and its event log, inside a unit of work. */
export abstract class TicketSlaRepository {
  /**
   * Takes the ticket's SLA lock until the transaction ends (also before its clocks exist, so two first events
   * cannot both start them) and reads the clocks (null before a policy applied). The ticket row is not locked.
   */
  abstract lock(ticketId: string): Promise<TicketSla | null>;
  /** Inserts or replaces the ticket's clocks. */
  abstract save(record: TicketSla): Promise<void>;
  abstract appendEvents(ticketId: string, events: SlaEvent[]): Promise<void>;
  /** Tickets whose next check is at or before `now`, oldest first. */
  abstract dueForCheck(now: Date, limit: number): Promise<string[]>;
  /** Tickets following the policy whose clocks still run (not resolved). */
  abstract runningOn(policyId: string): Promise<string[]>;
}

/** Read side, outside any transaction. */
export abstract class SlaQueries {
  abstract summaryOf(ticketId: string): Promise<TicketSlaSummary | null>;
  /** In the order they happened. */
  abstract events(ticketId: string): Promise<RecordedSlaEvent[]>;
}
