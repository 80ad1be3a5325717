import { SYSTEM_ACTOR } from '../identity/actor.js';
import { Clock } from '../shared/clock.port.js';
import { changesOf, type DomainEvent, type EventSummary } from '../shared/domain-event.js';
import { UnitOfWork, type TransactionScope } from '../shared/unit-of-work.port.js';
import { recordTicketChange } from '../tickets/ticket-recorder.js';
import type { Ticket, TicketSnapshot } from '../tickets/ticket.js';
import { chooseAssignee, needsOpenCounts } from './choose-assignee.js';
import type { Group } from './group.js';

export const ASSIGNMENT_CONSUMER = 'assignment';
/** Waiting tickets handed out per transaction (one group lock, one look at the members, one commit). */
const BATCH = 50;
const ROUTING_REASON = 'category default group';
const ROUTING_FIELDS = new Set(['categoryId', 'subcategoryId', 'groupId']);

/**
 * Whether an event can change what assignment does: a new ticket; a category or group change (but not the routing
 * assignment itself made, whose job drains the group right after); a ticket that lost its assignee or an agent who
 * lost a ticket (assignments that only give an unassigned ticket to someone free nobody and leave nobody waiting);
 * a status change, deletion or restore (capacity); a group or availability change. The relay enqueues only these,
 * and the consumer skips the others at once.
 */
export function concernsAssignment(event: Pick<EventSummary, 'type' | 'payload'>): boolean {
  switch (event.type) {
    case 'ticket.created':
    case 'ticket.status_changed':
    case 'ticket.deleted':
    case 'ticket.restored':
    case 'group.changed':
    case 'agent.availability_changed':
      return true;
    case 'ticket.updated':
      return event.payload['reason'] !== ROUTING_REASON && changesOf(event).some((c) => ROUTING_FIELDS.has(String(c.field)));
    case 'ticket.assigned':
      return changesOf(event).some((c) => c.field === 'assigneeId' && (c.from !== null || c.to === null));
    default:
      return false;
  }
}

export interface Assignment {
  ticketId: string;
  assigneeId: string;
  groupId: string;
}

/**
 * The assignment step of the pipeline, run for every ticket event (and group or availability change):
 * 1. once per event (claimed by id), on its creation or a change of its category: a ticket without a group joins
 *    its category's default group;
 * 2. every group whose capacity may have changed hands out its waiting tickets, oldest first, in batches with the
 *    group row locked, so two workers never assign the same ticket or skip a turn.
 * Step 2 is safe to repeat: it only assigns tickets that are still waiting.
 */
export class RunAssignment {
  /** Per group: the last drain asked for in this process, and the one not started yet that new callers share. */
  private readonly drains = new Map<string, { last: Promise<Assignment[]>; next: Promise<Assignment[]> | null }>();

  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  async execute(event: Pick<DomainEvent, 'id' | 'type' | 'aggregateId' | 'payload'>): Promise<Assignment[]> {
    if (!concernsAssignment(event)) return [];
    const assigned: Assignment[] = [];
    const groups = await this.uow.run(async (tx) => {
      if (event.type === 'group.changed') return new Set([event.aggregateId]);
      if (event.type === 'agent.availability_changed') return new Set(await tx.groups.groupIdsOf(event.aggregateId));
      return this.routeTicket(tx, event);
    });
    for (const groupId of groups) assigned.push(...(await this.drainAfter(groupId)));
    return assigned;
  }

  /**
   * A drain of the group that starts after this call, shared: in this process one drain of a group runs at a time,
   * and the callers that ask while it runs wait for one more, which they all share. Under load the tickets routed
   * meanwhile are handed out together (one group lock and one member read per batch, not per ticket), and
   * concurrent jobs do not queue one by one on the group lock. A caller's ticket, committed before it asks, is seen.
   */
  private drainAfter(groupId: string): Promise<Assignment[]> {
    const queued = this.drains.get(groupId);
    if (queued?.next) return queued.next;
    const next: Promise<Assignment[]> = (queued?.last ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => {
        // Started: whoever asks from now on needs the drain after this one.
        const entry = this.drains.get(groupId);
        if (entry?.next === next) entry.next = null;
        return this.drain(groupId);
      });
    this.drains.set(groupId, { last: next, next });
    next
      .finally(() => {
        if (this.drains.get(groupId)?.last === next) this.drains.delete(groupId);
      })
      .catch(() => undefined);
    return next;
  }

  /**
   * Puts the ticket in its category's default group if it has none, on its creation or a change of its category
   * (see `routes`); returns the groups to drain. Routing is the
   * one step claimed per event (with its change, in this transaction): a retried or replayed event must not put
   * back a ticket an agent has since taken out of its group. Other events that route nothing write nothing (a new
   * ticket is claimed together with the lock and the look at its default group, whether it is routed or not).
   */
  private async routeTicket(
    tx: TransactionScope,
    event: Pick<DomainEvent, 'id' | 'type' | 'aggregateId' | 'payload'>,
  ): Promise<Set<string>> {
    const groups = new Set<string>();
    // A new ticket is nearly always routed: it is locked, its category's default group looked up and the event
    // claimed in one round trip (run in that order, so the look sees the locked row). Other events look first.
    const eager = event.type === 'ticket.created';
    const [seen, eagerGroup, claimedEarly] = eager
      ? await Promise.all([
          tx.tickets.lockById(event.aggregateId),
          tx.groups.defaultGroupOfTicket(event.aggregateId),
          tx.processed.claim(ASSIGNMENT_CONSUMER, event.id, this.clock.now()),
        ])
      : [await tx.tickets.findById(event.aggregateId), null, false];
    if (!seen) return groups;
    const before = seen.snapshot();
    let t = before;
    const wanted = routes(event) && needsRouting(t);
    const fallback = wanted ? (eager ? eagerGroup : await tx.groups.defaultGroupOf(t.categoryId!)) : null;
    if (fallback) {
      const ticket = eager ? seen : await tx.tickets.lockById(event.aggregateId);
      const claimed = async () => (eager ? claimedEarly : tx.processed.claim(ASSIGNMENT_CONSUMER, event.id, this.clock.now()));
      if (ticket && needsRouting(ticket.snapshot()) && (await claimed())) {
        const now = this.clock.now();
        const change = ticket.moveToGroup(fallback, now);
        if (change) {
          await recordTicketChange(tx, SYSTEM_ACTOR, ticket, 'ticket.updated', [change], now, { reason: ROUTING_REASON });
          await tx.tickets.save(ticket);
        }
      }
      if (ticket) t = ticket.snapshot();
    }
    if (t.groupId) groups.add(t.groupId);
    // An agent whose ticket was closed, deleted or handed away may have room again.
    for (const userId of agentsInvolved(before.assigneeId, event.payload)) {
      for (const g of await tx.groups.groupIdsOf(userId)) groups.add(g);
    }
    return groups;
  }

  /**
   * Hands out the group's waiting tickets while someone may take them, in batches: each transaction locks the
   * group and up to BATCH waiting tickets, reads the members once and applies the strategy ticket by ticket
   * (each choice sees the previous ones: the round-robin position moves, open counts grow). Under load the
   * tickets routed while one drain runs wait for the next, which hands them out together.
   */
  async drain(groupId: string): Promise<Assignment[]> {
    const assigned: Assignment[] = [];
    // A look without locks first: most events find nobody waiting, and then take no lock and write nothing.
    // A ticket that starts waiting after this look has an event of its own that drains the group again.
    if (!(await this.uow.read((tx) => tx.groups.hasWaiting(groupId)))) return assigned;
    // Until nobody waits or nobody can take more: assignments' own events do not come back here to continue it.
    for (;;) {
      const batch = await this.uow.run(async (tx) => {
        // Sent together: PostgreSQL runs them in order, so the waiting tickets are locked under the group's lock.
        const [group, waiting] = await Promise.all([tx.groups.lockById(groupId), tx.groups.lockWaiting(groupId, BATCH)]);
        if (!group || group.strategy === 'manual' || !waiting.length) return { done: [] as Assignment[], full: false };
        const candidates = await tx.groups.candidates(groupId, { openCounts: needsOpenCounts(group) });
        const now = this.clock.now();
        const done: Assignment[] = [];
        const changed: Ticket[] = [];
        let last = group.lastAssignedUserId;
        for (const ticket of waiting) {
          const assigneeId = chooseAssignee({ ...group, lastAssignedUserId: last }, candidates);
          if (!assigneeId) break;
          if (!(await handOut(tx, ticket, assigneeId, group, now))) continue;
          changed.push(ticket);
          last = assigneeId;
          const taker = candidates.find((c) => c.userId === assigneeId);
          if (taker) taker.openTickets++;
          done.push({ ticketId: ticket.id, assigneeId, groupId });
        }
        // Independent writes, sent together.
        await Promise.all([
          ...changed.map((ticket) => tx.tickets.save(ticket)),
          last && last !== group.lastAssignedUserId ? tx.groups.recordAssignment(groupId, last) : undefined,
        ]);
        return { done, full: waiting.length === BATCH && done.length === BATCH };
      });
      assigned.push(...batch.done);
      if (!batch.full) break;
    }
    return assigned;
  }
}

/** Gives the ticket to the agent as the system and records it (the caller saves the ticket); false if nothing changed. */
async function handOut(tx: TransactionScope, ticket: Ticket, assigneeId: string, group: Group, now: Date): Promise<boolean> {
  const change = ticket.assignTo(SYSTEM_ACTOR, assigneeId, now);
  if (!change) return false;
  await recordTicketChange(tx, SYSTEM_ACTOR, ticket, 'ticket.assigned', [change], now, {
    reason: { groupId: group.id, strategy: group.strategy },
  });
  return true;
}

/**
 * Events that may put a ticket in its category's default group: its creation, and a change of its category (not
 * one that also took it out of its group). A ticket a person took out of its group stays out until then.
 */
function routes(event: Pick<DomainEvent, 'type' | 'payload'>): boolean {
  if (event.type === 'ticket.created') return true;
  if (event.type !== 'ticket.updated') return false;
  const fields = changesOf(event).map((c) => c.field);
  return fields.includes('categoryId') && !fields.includes('groupId');
}

/** Live, in a category, in no group yet. */
function needsRouting(t: TicketSnapshot): boolean {
  return !t.deletedAt && t.status !== 'resolved' && t.status !== 'closed' && !t.groupId && t.categoryId !== null;
}

function agentsInvolved(current: string | null, payload: Record<string, unknown>): Set<string> {
  const users = new Set<string>();
  if (current) users.add(current);
  for (const c of changesOf({ payload })) if (c.field === 'assigneeId' && typeof c.from === 'string') users.add(c.from);
  return users;
}
