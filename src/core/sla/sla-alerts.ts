import { randomUUID } from 'node:crypto';
import { SYSTEM_ACTOR } from '../identity/actor.js';
import { domainEvent } from '../shared/domain-event.js';
import type { TransactionScope } from '../shared/unit-of-work.port.js';
import type { Ticket, TicketChange } from '../tickets/ticket.js';
import { recordTicketChange, ticketEventView } from '../tickets/ticket-recorder.js';
import type { SlaEvent } from './sla-clock.js';
import type { SlaPolicy } from './sla-policy-repository.port.js';

export const SLA_ALERT_EVENTS = { at_risk: 'sla.at_risk', breached: 'sla.breached' } as const;
/**
 * A clock stopped because its target was met (on time, or `late` after a breach): the first public reply by staff
 * (or the resolution, `byResolution`) for `first_response`, the resolution for `resolution`. Consumed by metrics,
 * analytics and recognition; not a webhook or live event.
 */
export const SLA_FULFILLED_EVENT = 'sla.fulfilled';

/**
 * Writes what the clocks did (sla_events), an `sla.fulfilled` outbox event for each clock stopped, and, for each
 * at-risk point and breach, an activity entry by the system,
 * an `sla.at_risk` / `sla.breached` outbox event carrying the ticket, and the escalation: the event names the
 * ticket's group when the policy notifies it, and a breach moves the ticket to `reassignToGroupId` (unassigned,
 * so the assignment worker hands it out there). All in the caller's transaction; each clock reports each once,
 * because the state that says so is saved in the same transaction.
 */
export async function recordSlaEvents(tx: TransactionScope, read: Ticket, policy: SlaPolicy, events: SlaEvent[]): Promise<void> {
  if (!events.length) return;
  await tx.ticketSla.appendEvents(read.id, events);
  let ticket = read;
  for (const event of events) {
    if (event.type === 'fulfilled') {
      await tx.outbox.append(
        domainEvent(SLA_FULFILLED_EVENT, ticket.id, null, event.at, {
          ticket: ticketEventView(ticket.snapshot()),
          clock: event.clock,
          dueAt: event.dueAt,
          policyId: policy.id,
          late: event.details['late'] === true,
          byResolution: event.details['byResolution'] === true,
        }),
      );
      continue;
    }
    if (event.type !== 'at_risk' && event.type !== 'breached') continue;
    const notifyGroupId = policy.escalation.notifyGroup ? ticket.snapshot().groupId : null;
    // Who had the ticket when the clock breached (an escalation below may unassign it): recognition's penalty.
    const assigneeAtBreach = ticket.snapshot().assigneeId;
    let reassignedToGroupId: string | null = null;
    if (event.type === 'breached' && needsReassignment(ticket, policy)) {
      ticket = (await tx.tickets.lockById(ticket.id)) ?? ticket; // the row is locked only to change it
      reassignedToGroupId = await reassign(tx, ticket, policy, event.at);
    }
    await tx.activity.append({
      id: randomUUID(),
      ticketId: ticket.id,
      actorId: null,
      type: event.type === 'breached' ? 'sla_breached' : 'sla_at_risk',
      field: event.clock,
      from: null,
      to: { dueAt: event.dueAt, policyId: policy.id },
      internal: false,
      occurredAt: event.at,
    });
    await tx.outbox.append(
      domainEvent(SLA_ALERT_EVENTS[event.type], ticket.id, null, event.at, {
        ticket: ticketEventView(ticket.snapshot()),
        clock: event.clock,
        dueAt: event.dueAt,
        policyId: policy.id,
        escalation: { notifyGroupId, reassignedToGroupId },
        assigneeAtBreach,
      }),
    );
  }
}

function needsReassignment(ticket: Ticket, policy: SlaPolicy): boolean {
  const target = policy.escalation.reassignToGroupId;
  const t = ticket.snapshot();
  return target !== null && t.groupId !== target && !t.deletedAt && t.status !== 'closed';
}

/** Moves a breached ticket to the policy's escalation group, unassigned; null when there is nothing to move. */
async function reassign(tx: TransactionScope, ticket: Ticket, policy: SlaPolicy, at: Date): Promise<string | null> {
  const target = policy.escalation.reassignToGroupId;
  if (!target || !needsReassignment(ticket, policy) || !(await tx.groups.findById(target))) return null;
  const changes: TicketChange[] = [];
  const moved = ticket.moveToGroup(target, at);
  if (moved) changes.push(moved);
  const unassigned = ticket.assignTo(SYSTEM_ACTOR, null, at);
  if (unassigned) changes.push(unassigned);
  await tx.tickets.save(ticket);
  await recordTicketChange(tx, SYSTEM_ACTOR, ticket, 'ticket.updated', changes, at, { reason: 'sla escalation' });
  return target;
}
