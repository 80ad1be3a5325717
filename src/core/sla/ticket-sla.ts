import type { SlaEvent, TicketSlaState } from './sla-clock.js';

/** One ticket's clocks as stored: the state, when the last ticket event moved them, and when to look again. */
export interface TicketSla {
  ticketId: string;
  state: TicketSlaState;
  /** Time of the latest ticket event applied: a late event never moves the clocks backwards. */
  lastEventAt: Date;
  /** The next at-risk point or due date to report (SlaClock.nextCheckAt); null while paused or when done. */
  nextCheckAt: Date | null;
}

/** What every ticket response shows under `sla` (null when no policy applies). */
export interface TicketSlaSummary {
  policyId: string;
  firstResponseDueAt: Date | null;
  resolutionDueAt: Date | null;
  firstRespondedAt: Date | null;
  pausedAt: Date | null;
  /** Either clock breached (a breach is never undone). */
  breached: boolean;
}

export const summaryOf = (s: TicketSlaState): TicketSlaSummary => ({
  policyId: s.policyId,
  firstResponseDueAt: s.firstResponseDueAt,
  resolutionDueAt: s.resolutionDueAt,
  firstRespondedAt: s.firstRespondedAt,
  pausedAt: s.pausedAt,
  breached: s.breached.first_response || s.breached.resolution,
});

export type RecordedSlaEvent = SlaEvent & { ticketId: string };
