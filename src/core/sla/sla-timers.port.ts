/** Wakes the SLA worker at an instant (an at-risk point or a due date) to check a ticket's clocks. */
export abstract class SlaTimers {
  /** Idempotent per (ticket, instant): scheduling the same instant twice fires once. */
  abstract schedule(ticketId: string, at: Date): Promise<void>;
}
