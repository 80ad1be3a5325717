import { SYSTEM_ACTOR } from '../identity/actor.js';
import { Clock } from '../shared/clock.port.js';
import type { DomainEvent } from '../shared/domain-event.js';
import { UnitOfWork, type TransactionScope } from '../shared/unit-of-work.port.js';
import { recordTicketChange } from '../tickets/ticket-recorder.js';
import { chooseAssignee } from './choose-assignee.js';

export const ASSIGNMENT_CONSUMER = 'assignment';
/** Waiting tickets handed out per group per event; the rest go with the group's next event. */
const DRAIN_LIMIT = 500;
/** Waiting tickets handed out per transaction (one group lock, one look at the members, one commit). */
const BATCH = 50;

export interface Assignment {
  ticketId: string;
  assigneeId: string;
  groupId: string;
}

/**
 * The assignment step of the pipeline, run for every ticket event (and group or availability change):
 * 1. once per event (claimed by id): a ticket without a group joins its category's default group;
 * 2. every group whose capacity may have changed hands out its waiting tickets, oldest first, one transaction
 *    per ticket with the group row locked, so two workers never assign the same ticket or skip a turn.
 * Step 2 is safe to repeat: it only assigns tickets that are still waiting.
 */
export class RunAssignment {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  async execute(event: Pick<DomainEvent, 'id' | 'type' | 'aggregateId' | 'payload'>): Promise<Assignment[]> {
    const groups = await this.uow.run(async (tx) => {
      const first = await tx.processed.claim(ASSIGNMENT_CONSUMER, event.id, this.clock.now());
      if (!first) return new Set<string>();
      if (event.type === 'group.changed') return new Set([event.aggregateId]);
      if (event.type === 'agent.availability_changed') return new Set(await tx.groups.groupIdsOf(event.aggregateId));
      return this.routeTicket(tx, event);
    });
    const assigned: Assignment[] = [];
    for (const groupId of groups) assigned.push(...(await this.drain(groupId)));
    return assigned;
  }

  /** Puts the ticket in its category's default group if it has none; returns the groups to drain. */
  private async routeTicket(tx: TransactionScope, event: Pick<DomainEvent, 'aggregateId' | 'payload'>): Promise<Set<string>> {
    const groups = new Set<string>();
    const ticket = await tx.tickets.lockById(event.aggregateId);
    if (!ticket) return groups;
    const t = ticket.snapshot();
    const live = !t.deletedAt && t.status !== 'resolved' && t.status !== 'closed';
    let groupId = t.groupId;
    if (live && !groupId && t.categoryId) {
      const fallback = await tx.groups.defaultGroupOf(t.categoryId);
      const now = this.clock.now();
      const change = fallback ? ticket.moveToGroup(fallback, now) : null;
      if (change && fallback) {
        await tx.tickets.save(ticket);
        await recordTicketChange(tx, SYSTEM_ACTOR, ticket, 'ticket.updated', [change], now, { reason: 'category default group' });
        groupId = fallback;
      }
    }
    if (groupId) groups.add(groupId);
    // An agent whose ticket was closed, deleted or handed away may have room again.
    for (const userId of agentsInvolved(t.assigneeId, event.payload)) {
      for (const g of await tx.groups.groupIdsOf(userId)) groups.add(g);
    }
    return groups;
  }

  /**
   * Hands out the group's waiting tickets while someone may take them, in batches: each transaction locks the
   * group and up to BATCH waiting tickets, reads the members once and applies the strategy ticket by ticket
   * (each choice sees the previous ones: the round-robin position moves, open counts grow).
   */
  async drain(groupId: string): Promise<Assignment[]> {
    const assigned: Assignment[] = [];
    while (assigned.length < DRAIN_LIMIT) {
      const batch = await this.uow.run(async (tx) => {
        const group = await tx.groups.lockById(groupId);
        if (!group || group.strategy === 'manual') return { done: [] as Assignment[], full: false };
        const waiting = await tx.groups.lockWaiting(groupId, BATCH);
        if (!waiting.length) return { done: [], full: false };
        const candidates = await tx.groups.candidates(groupId);
        const now = this.clock.now();
        const done: Assignment[] = [];
        let last = group.lastAssignedUserId;
        for (const ticketId of waiting) {
          const assigneeId = chooseAssignee({ ...group, lastAssignedUserId: last }, candidates);
          if (!assigneeId) break;
          const ticket = await tx.tickets.lockById(ticketId);
          const change = ticket?.assignTo(SYSTEM_ACTOR, assigneeId, now);
          if (!ticket || !change) continue;
          await tx.tickets.save(ticket);
          await recordTicketChange(tx, SYSTEM_ACTOR, ticket, 'ticket.assigned', [change], now, {
            reason: { groupId, strategy: group.strategy },
          });
          last = assigneeId;
          const taker = candidates.find((c) => c.userId === assigneeId);
          if (taker) taker.openTickets++;
          done.push({ ticketId, assigneeId, groupId });
        }
        if (last && last !== group.lastAssignedUserId) await tx.groups.recordAssignment(groupId, last);
        return { done, full: waiting.length === BATCH && done.length === BATCH };
      });
      assigned.push(...batch.done);
      if (!batch.full) break;
    }
    return assigned;
  }
}

function agentsInvolved(current: string | null, payload: Record<string, unknown>): Set<string> {
  const users = new Set<string>();
  if (current) users.add(current);
  const changes = Array.isArray(payload['changes']) ? (payload['changes'] as { field?: unknown; from?: unknown }[]) : [];
  for (const c of changes) if (c.field === 'assigneeId' && typeof c.from === 'string') users.add(c.from);
  return users;
}
