import { Clock } from '../shared/clock.port.js';
import { UnitOfWork } from '../shared/unit-of-work.port.js';
import { effectivePolicy, type SlaSettings } from './effective-policy.js';
import { recordSlaEvents } from './sla-alerts.js';
import { SlaClock } from './sla-clock.js';
import { SlaTimers } from './sla-timers.port.js';

/**
 * A timer went off (or the sweep found a check overdue): reports the at-risk points and breaches reached by now,
 * each once, and sets the timer for the next one. A stale timer (the due date moved, the ticket was paused or
 * resolved meanwhile) finds nothing to report and does nothing.
 */
export class CheckSlaClocks {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly timers: SlaTimers,
    private readonly clock: Clock,
    private readonly settings: SlaSettings,
  ) {}

  async execute(ticketId: string): Promise<Date | null> {
    const next = await this.uow.run(async (tx) => {
      const ticket = await tx.tickets.findById(ticketId);
      const record = ticket && (await tx.ticketSla.lock(ticketId));
      if (!ticket || !record) return null;
      const policy = await tx.slaPolicies.findById(record.state.policyId);
      if (!policy) return null;
      const effective = effectivePolicy(policy, this.settings.targetDivisor);
      const { state, events } = SlaClock.evaluate(record.state, effective, this.clock.now());
      const nextCheckAt = SlaClock.nextCheckAt(state, effective);
      if (events.length || nextCheckAt?.getTime() !== record.nextCheckAt?.getTime()) {
        await tx.ticketSla.save({ ...record, state, nextCheckAt });
        await recordSlaEvents(tx, ticket, policy, events);
      }
      return nextCheckAt;
    });
    if (next) await this.timers.schedule(ticketId, next);
    return next;
  }
}

/** The backstop for lost timers: checks every ticket whose next check is overdue. */
export class SweepSlaClocks {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly check: CheckSlaClocks,
    private readonly clock: Clock,
    private readonly batch = 500,
  ) {}

  async execute(): Promise<number> {
    const due = await this.uow.run((tx) => tx.ticketSla.dueForCheck(this.clock.now(), this.batch));
    for (const ticketId of due) await this.check.execute(ticketId);
    return due.length;
  }
}
