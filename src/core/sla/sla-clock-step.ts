import {
  computeAtRiskAt,
  copyOf,
  dueOf,
  isRunning,
  SLA_CLOCKS,
  type SlaClockName,
  type SlaEvent,
  type SlaEventType,
  type SlaTransition,
  type TicketSlaState,
} from './sla-clock-state.js';
import type { SlaPolicyProps } from './sla-policy.js';

/** An operation's working copy and the events it has produced so far. */
export class Step {
  readonly state: TicketSlaState;
  readonly events: SlaEvent[] = [];

  constructor(
    state: TicketSlaState,
    readonly policy: SlaPolicyProps,
    readonly at: Date,
  ) {
    this.state = copyOf(state);
  }

  running(): SlaClockName[] {
    return SLA_CLOCKS.filter((clock) => isRunning(this.state, clock));
  }

  /** How far the running clocks have got: they stopped at pausedAt while paused. */
  clockTime(): Date {
    return this.state.pausedAt ?? this.at;
  }

  emit(clock: SlaClockName, type: SlaEventType, details: Record<string, unknown> = {}): void {
    this.events.push({ clock, type, at: this.at, dueAt: dueOf(this.state, clock), details });
  }

  /** Flags a running clock breached once its clock time reaches the due date; a breach is never undone. */
  checkBreach(clock: SlaClockName): boolean {
    const due = dueOf(this.state, clock);
    if (this.state.breached[clock] || due === null || this.clockTime() < due) return false;
    this.state.breached[clock] = true;
    this.state.atRisk[clock] = true; // past the due date is past the at-risk point; no separate at_risk event
    this.emit(clock, 'breached', { priority: this.state.priority });
    return true;
  }

  checkAtRisk(clock: SlaClockName, announce = true): void {
    if (this.state.breached[clock] || this.state.atRisk[clock]) return;
    if (this.clockTime() < computeAtRiskAt(this.state, this.policy, clock)) return;
    this.state.atRisk[clock] = true;
    if (announce) this.emit(clock, 'at_risk', { percent: this.policy.atRiskPercent });
  }

  /** Catches up with breaches the scheduled checks have not reported yet, before the state changes. */
  catchUpBreaches(): this {
    for (const clock of this.running()) this.checkBreach(clock);
    return this;
  }

  evaluateRunning(): this {
    for (const clock of this.running()) if (!this.checkBreach(clock)) this.checkAtRisk(clock);
    return this;
  }

  done(): SlaTransition {
    return { state: this.state, events: this.events };
  }
}
