import type { Priority } from '../tickets/priority-matrix.js';
import { addBusinessMinutes } from './business-calendar.js';
import type { SlaPolicyProps } from './sla-policy.js';

export type SlaClockName = 'first_response' | 'resolution';
export const SLA_CLOCKS: readonly SlaClockName[] = ['first_response', 'resolution'];

export type SlaEventType = 'started' | 'paused' | 'resumed' | 'target_changed' | 'at_risk' | 'breached' | 'fulfilled';

export interface SlaEvent {
  clock: SlaClockName;
  type: SlaEventType;
  /** When the operation that produced the event happened. */
  at: Date;
  /** The clock's due date after the event. */
  dueAt: Date | null;
  details: Record<string, unknown>;
}

/** One ticket's two SLA clocks. Treat as immutable: every operation returns a new state. */
export interface TicketSlaState {
  policyId: string;
  priority: Priority;
  startedAt: Date;
  /** While paused: the due dates computed when the pause began; resuming extends them. */
  firstResponseDueAt: Date | null;
  resolutionDueAt: Date | null;
  firstRespondedAt: Date | null;
  resolvedAt: Date | null;
  pausedAt: Date | null;
  /** Business minutes the clocks stood still before now: closed pauses, and resolved periods that were reopened. */
  pausedBusinessMinutes: number;
  atRisk: Record<SlaClockName, boolean>;
  breached: Record<SlaClockName, boolean>;
}

export interface SlaTransition {
  state: TicketSlaState;
  events: SlaEvent[];
}

export const isRunning = (state: TicketSlaState, clock: SlaClockName): boolean =>
  clock === 'first_response' ? state.firstRespondedAt === null : state.resolvedAt === null;

export const dueOf = (state: TicketSlaState, clock: SlaClockName): Date | null =>
  clock === 'first_response' ? state.firstResponseDueAt : state.resolutionDueAt;

export function setDue(state: TicketSlaState, clock: SlaClockName, due: Date): void {
  if (clock === 'first_response') state.firstResponseDueAt = due;
  else state.resolutionDueAt = due;
}

export function targetMinutes(policy: SlaPolicyProps, priority: Priority, clock: SlaClockName): number {
  const target = policy.targets[priority];
  return clock === 'first_response' ? target.firstResponseMinutes : target.resolutionMinutes;
}

/** startedAt + target + every business minute the clocks stood still (closed pauses only). */
export const computeDue = (state: TicketSlaState, policy: SlaPolicyProps, clock: SlaClockName): Date =>
  addBusinessMinutes(
    policy.calendar,
    state.startedAt,
    targetMinutes(policy, state.priority, clock) + state.pausedBusinessMinutes,
  );

/** The instant atRiskPercent of the target has elapsed, on the same terms as computeDue. */
export const computeAtRiskAt = (state: TicketSlaState, policy: SlaPolicyProps, clock: SlaClockName): Date =>
  addBusinessMinutes(
    policy.calendar,
    state.startedAt,
    (targetMinutes(policy, state.priority, clock) * policy.atRiskPercent) / 100 + state.pausedBusinessMinutes,
  );

/** A copy that an operation may change in place before returning it. */
export const copyOf = (state: TicketSlaState): TicketSlaState => ({
  ...state,
  atRisk: { ...state.atRisk },
  breached: { ...state.breached },
});
