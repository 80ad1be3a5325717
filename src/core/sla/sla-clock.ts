import type { Priority } from '../tickets/priority-matrix.js';
import { businessMinutesBetween } from './business-calendar.js';
import {
  computeAtRiskAt,
  computeDue,
  dueOf,
  isRunning,
  setDue,
  SLA_CLOCKS,
  targetMinutes,
  type SlaTransition,
  type TicketSlaState,
} from './sla-clock-state.js';
import { Step } from './sla-clock-step.js';
import type { SlaPolicyProps } from './sla-policy.js';

export {
  SLA_CLOCKS,
  type SlaClockName,
  type SlaEvent,
  type SlaEventType,
  type SlaTransition,
  type TicketSlaState,
} from './sla-clock-state.js';

function assertPolicy(state: TicketSlaState, policy: SlaPolicyProps): void {
  if (state.policyId !== policy.id) {
    throw new Error(`SLA state follows policy ${state.policyId}, not ${policy.id}: use changeTarget to switch`);
  }
}

const unchanged = (state: TicketSlaState): SlaTransition => ({ state, events: [] });

function start(policy: SlaPolicyProps, priority: Priority, startedAt: Date): SlaTransition {
  const initial: TicketSlaState = {
    policyId: policy.id,
    priority,
    startedAt,
    firstResponseDueAt: null,
    resolutionDueAt: null,
    firstRespondedAt: null,
    resolvedAt: null,
    pausedAt: null,
    pausedBusinessMinutes: 0,
    atRisk: { first_response: false, resolution: false },
    breached: { first_response: false, resolution: false },
  };
  const step = new Step(initial, policy, startedAt);
  for (const clock of SLA_CLOCKS) {
    setDue(step.state, clock, computeDue(step.state, policy, clock));
    step.emit(clock, 'started', { priority, targetMinutes: targetMinutes(policy, priority, clock) });
  }
  return step.done();
}

/** Stops both running clocks (a pause status); a no-op when already paused or nothing runs. */
function pause(state: TicketSlaState, policy: SlaPolicyProps, at: Date): SlaTransition {
  assertPolicy(state, policy);
  const step = new Step(state, policy, at);
  if (state.pausedAt !== null || step.running().length === 0) return unchanged(state);
  step.catchUpBreaches();
  step.state.pausedAt = at;
  for (const clock of step.running()) step.emit(clock, 'paused');
  return step.done();
}

/** Restarts paused clocks: the pause's business minutes are added and the due dates recomputed from startedAt. */
function resume(state: TicketSlaState, policy: SlaPolicyProps, at: Date): SlaTransition {
  assertPolicy(state, policy);
  if (state.pausedAt === null) return unchanged(state);
  const step = new Step(state, policy, at);
  const pausedMinutes = businessMinutesBetween(policy.calendar, state.pausedAt, at);
  step.state.pausedBusinessMinutes += pausedMinutes;
  step.state.pausedAt = null;
  for (const clock of step.running()) {
    setDue(step.state, clock, computeDue(step.state, policy, clock));
    step.emit(clock, 'resumed', { pausedMinutes });
  }
  return step.evaluateRunning().done();
}

/**
 * A new priority and/or policy for the running clocks: due dates are recomputed from startedAt with the new
 * target and all paused minutes so far, so no paused time is lost. Stopped clocks keep their outcome. A breach
 * that already happened stays (ITIL); a new due date already passed breaches now; at-risk follows the new target.
 */
function changeTarget(state: TicketSlaState, policy: SlaPolicyProps, priority: Priority, at: Date): SlaTransition {
  const step = new Step(state, policy, at).catchUpBreaches();
  step.state.policyId = policy.id;
  step.state.priority = priority;
  const renamed = state.policyId !== policy.id || state.priority !== priority;
  for (const clock of step.running()) {
    const from = dueOf(state, clock);
    const to = computeDue(step.state, policy, clock);
    setDue(step.state, clock, to);
    if (renamed || from?.getTime() !== to.getTime()) {
      const previous = { previousPriority: state.priority, previousPolicyId: state.policyId };
      step.emit(clock, 'target_changed', { from, to, priority, policyId: policy.id, ...previous });
    }
    step.checkBreach(clock);
    if (step.state.breached[clock]) continue;
    const wasAtRisk = step.state.atRisk[clock];
    step.state.atRisk[clock] = false; // the new target decides afresh, announcing only a new at-risk
    step.checkAtRisk(clock, !wasAtRisk);
  }
  return step.done();
}

/** Stops the first-response clock; a response after the due date is fulfilled late (the breach stays). */
function recordFirstResponse(state: TicketSlaState, policy: SlaPolicyProps, at: Date): SlaTransition {
  assertPolicy(state, policy);
  if (state.firstRespondedAt !== null) return unchanged(state);
  const step = new Step(state, policy, at).catchUpBreaches();
  step.state.firstRespondedAt = at;
  step.emit('first_response', 'fulfilled', { late: step.state.breached.first_response });
  return step.done();
}

/**
 * Stops the resolution clock, and the first-response clock if it still runs: resolving without a response
 * counts as responding at resolution. Resolving while paused ends the pause.
 */
function resolve(state: TicketSlaState, policy: SlaPolicyProps, at: Date): SlaTransition {
  assertPolicy(state, policy);
  if (state.resolvedAt !== null) return unchanged(state);
  const step = new Step(state, policy, at).catchUpBreaches();
  if (state.pausedAt !== null) {
    step.state.pausedBusinessMinutes += businessMinutesBetween(policy.calendar, state.pausedAt, at);
    step.state.pausedAt = null;
  }
  if (state.firstRespondedAt === null) {
    step.state.firstRespondedAt = at;
    step.emit('first_response', 'fulfilled', { late: step.state.breached.first_response, byResolution: true });
  }
  step.state.resolvedAt = at;
  step.emit('resolution', 'fulfilled', { late: step.state.breached.resolution });
  return step.done();
}

/** Runs the resolution clock again from where it stopped: the resolved period counts as paused. */
function reopen(state: TicketSlaState, policy: SlaPolicyProps, at: Date): SlaTransition {
  assertPolicy(state, policy);
  if (state.resolvedAt === null) return unchanged(state);
  const step = new Step(state, policy, at);
  const stoppedMinutes = businessMinutesBetween(policy.calendar, state.resolvedAt, at);
  step.state.pausedBusinessMinutes += stoppedMinutes;
  step.state.resolvedAt = null;
  setDue(step.state, 'resolution', computeDue(step.state, policy, 'resolution'));
  step.emit('resolution', 'resumed', { reopened: true, pausedMinutes: stoppedMinutes });
  return step.evaluateRunning().done();
}

/** Reports, once per clock, the at-risk point and the breach of running clocks; nothing while paused. */
function evaluate(state: TicketSlaState, policy: SlaPolicyProps, at: Date): SlaTransition {
  assertPolicy(state, policy);
  if (state.pausedAt !== null) return unchanged(state);
  const step = new Step(state, policy, at).evaluateRunning();
  return step.events.length ? step.done() : unchanged(state);
}

/**
 * When evaluate could next report something: the earliest at-risk point or due date still to report of a
 * running clock; null while paused or when nothing is left. It is in the past when a check is overdue.
 */
function nextCheckAt(state: TicketSlaState, policy: SlaPolicyProps): Date | null {
  assertPolicy(state, policy);
  if (state.pausedAt !== null) return null;
  const instants = SLA_CLOCKS.filter((clock) => isRunning(state, clock) && !state.breached[clock]).map((clock) =>
    state.atRisk[clock] ? dueOf(state, clock) : computeAtRiskAt(state, policy, clock),
  );
  const times = instants.filter((d): d is Date => d !== null).map((d) => d.getTime());
  return times.length ? new Date(Math.min(...times)) : null;
}

/**
 * The SLA arithmetic of one ticket: a first-response and a resolution clock. Every operation is pure and returns
 * the new state and the events it caused. Due date = startedAt + target + pausedBusinessMinutes, in business
 * minutes of the policy's calendar. A clock is breached from its due instant on, and a breach, once it happened,
 * is kept (also after a target change or a reopen). Operations first report breaches no check reported yet.
 */
export const SlaClock = {
  start,
  pause,
  resume,
  changeTarget,
  recordFirstResponse,
  resolve,
  reopen,
  evaluate,
  nextCheckAt,
} as const;
