import type { TransactionScope } from '../shared/unit-of-work.port.js';
import type { Priority } from '../tickets/priority-matrix.js';
import type { Ticket } from '../tickets/ticket.js';
import type { TicketStatus } from '../tickets/ticket-status.js';
import { effectivePolicy, type SlaSettings } from './effective-policy.js';
import { recordSlaEvents } from './sla-alerts.js';
import { SlaClock, type SlaEvent, type SlaTransition, type TicketSlaState } from './sla-clock.js';
import type { CategoryPolicy, SlaPolicy } from './sla-policy-repository.port.js';
import type { TicketSla } from './ticket-sla.js';

/** What the clocks need to know about the ticket right after a change. */
export interface TicketFacts {
  status: TicketStatus;
  priority: Priority;
  deleted: boolean;
  /** Present when the change moved the ticket to another category (null: none): the policy is chosen again. */
  newCategoryId?: string | null;
  /** The change was the first public reply of an agent or admin other than the requester. */
  firstResponse: boolean;
  /** The policy itself was edited: recompute the due dates with its new targets and calendar. */
  policyEdited?: boolean;
}

const finished = (status: TicketStatus) => status === 'resolved' || status === 'closed';
const later = (a: Date, b: Date) => (a.getTime() >= b.getTime() ? a : b);

/**
 * Brings the ticket's clocks in line with the facts after a change that happened at `occurredAt`, inside the
 * caller's transaction, under the clocks' lock (TicketSlaRepository.lock), and records what happened. Clocks start at the
 * ticket's creation under the policy of its category (else the default one). A priority or policy change
 * recomputes the due dates from the start with every paused minute kept; pause statuses and deletion pause,
 * resolving or closing stops the clocks, reopening resumes the resolution clock (the resolved time does not
 * count). Time never runs backwards: a late event applies at the latest time already applied.
 * Returns the saved clocks, or null when no policy applies. `options.locked`: the clocks as the caller already read
 * them under their lock in this transaction (null: none yet), so they are not locked and read again.
 * `options.startPolicy`: the policy already looked up for a category (SlaPolicyRepository.policyForTicket), used
 * when the clocks start under that same category.
 */
export async function advanceTicketClocks(
  tx: TransactionScope,
  ticket: Ticket,
  facts: TicketFacts,
  occurredAt: Date,
  settings: SlaSettings,
  options: { locked?: TicketSla | null; startPolicy?: CategoryPolicy } = {},
): Promise<TicketSla | null> {
  const t = ticket.snapshot();
  const record = options.locked !== undefined ? options.locked : await tx.ticketSla.lock(t.id);
  const at = record ? later(occurredAt, record.lastEventAt) : occurredAt;
  // An event applied after a later one (another process got the clocks' lock first) no longer says how the ticket
  // stands: its status, priority and deletion are taken as they are now, so the clocks cannot stay paused (or
  // running) on a stale status. Only the moment it happened is lost.
  if (record && occurredAt.getTime() < record.lastEventAt.getTime()) {
    facts = { ...facts, status: t.status, priority: t.priority, deleted: t.deletedAt !== null };
  }
  const events: SlaEvent[] = [];
  let state: TicketSlaState;
  let policy: SlaPolicy | null;
  const run = (transition: SlaTransition) => {
    state = transition.state;
    events.push(...transition.events);
  };

  if (!record) {
    if (finished(facts.status) || facts.deleted) return null;
    const categoryId = facts.newCategoryId !== undefined ? facts.newCategoryId : t.categoryId;
    const looked = options.startPolicy;
    policy = looked && looked.categoryId === categoryId ? looked.policy : await tx.slaPolicies.policyFor(categoryId);
    if (!policy) return null;
    run(SlaClock.start(effectivePolicy(policy, settings.targetDivisor), facts.priority, t.createdAt));
  } else {
    state = record.state;
    policy = await tx.slaPolicies.findById(state.policyId);
    if (!policy) throw new Error(`SLA policy ${state.policyId} of ticket ${t.id} is missing`);
    // A category without a policy of its own (and no default) keeps the agreement the ticket already has.
    const chosen = facts.newCategoryId !== undefined ? await tx.slaPolicies.policyFor(facts.newCategoryId) : null;
    if (chosen) policy = chosen;
    if (policy.id !== state.policyId || facts.priority !== state.priority || facts.policyEdited) {
      run(SlaClock.changeTarget(state, effectivePolicy(policy, settings.targetDivisor), facts.priority, at));
    }
  }

  const effective = effectivePolicy(policy, settings.targetDivisor);
  if (facts.firstResponse) run(SlaClock.recordFirstResponse(state!, effective, at));
  if (finished(facts.status)) run(SlaClock.resolve(state!, effective, at));
  else {
    run(SlaClock.reopen(state!, effective, at));
    const paused = facts.deleted || policy.pauseStatuses.includes(facts.status);
    run(paused ? SlaClock.pause(state!, effective, at) : SlaClock.resume(state!, effective, at));
  }

  const saved: TicketSla = {
    ticketId: t.id,
    state: state!,
    lastEventAt: record ? later(at, record.lastEventAt) : at,
    nextCheckAt: SlaClock.nextCheckAt(state!, effective),
  };
  // Independent writes (the events reference the ticket, not its clocks), sent together.
  await Promise.all([tx.ticketSla.save(saved), recordSlaEvents(tx, ticket, policy, events)]);
  return saved;
}
