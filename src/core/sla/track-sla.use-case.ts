import { changesOf, type DomainEvent, type EventSummary } from '../shared/domain-event.js';
import { Clock } from '../shared/clock.port.js';
import { UnitOfWork, type TransactionScope } from '../shared/unit-of-work.port.js';
import { PRIORITIES, type Priority } from '../tickets/priority-matrix.js';
import type { Ticket } from '../tickets/ticket.js';
import { TICKET_STATUSES, type TicketStatus } from '../tickets/ticket-status.js';
import { advanceTicketClocks, type TicketFacts } from './advance-ticket-clocks.js';
import type { SlaSettings } from './effective-policy.js';
import { SlaTimers } from './sla-timers.port.js';
import type { TicketSla } from './ticket-sla.js';

export const SLA_CONSUMER = 'sla';
/** Written when an admin edits a policy: the clocks following it are recomputed. */
export const SLA_POLICY_CHANGED = 'sla_policy.changed';
export const SLA_TRACKED_EVENTS = [
  'ticket.created',
  'ticket.updated',
  'ticket.status_changed',
  'comment.created',
  'ticket.deleted',
  'ticket.restored',
  SLA_POLICY_CHANGED,
] as const;

/** Fields whose change can move a ticket's clocks: the priority (and what derives it) and the category (the policy). */
const CLOCK_FIELDS = new Set(['priority', 'severity', 'urgency', 'categoryId', 'subcategoryId']);

/**
 * Whether an event can move a ticket's clocks: every tracked type except updates that change none of the clock
 * fields and internal notes (only a public reply can be a first response). The relay enqueues only these, and the
 * consumer skips the others at once; a skipped event would have left the clocks as they were.
 */
export function concernsSla(event: EventSummary): boolean {
  if (!(SLA_TRACKED_EVENTS as readonly string[]).includes(event.type)) return false;
  if (event.type === 'ticket.updated') return changesOf(event).some((c) => CLOCK_FIELDS.has(String(c.field)));
  if (event.type === 'comment.created') return (event.payload['comment'] as { internal?: unknown } | undefined)?.internal === false;
  return true;
}

type ReceivedEvent = Pick<DomainEvent, 'id' | 'type' | 'aggregateId' | 'actorId' | 'payload'> & { occurredAt: Date | string };

/**
 * The SLA step of the pipeline: applies each ticket event to the ticket's clocks once (claimed by event id), at the
 * time the change happened (the event's occurredAt, so a late job computes the same due dates), then sets a
 * timer for the next at-risk point or due date. A policy edit recomputes every running ticket that follows it.
 */
export class TrackSla {
  /** Per ticket: the last event handed to this process, whose work the next one of the ticket waits for. */
  private readonly queued = new Map<string, Promise<void>>();

  constructor(
    private readonly uow: UnitOfWork,
    private readonly timers: SlaTimers,
    private readonly clock: Clock,
    private readonly settings: SlaSettings,
  ) {}

  async execute(event: ReceivedEvent): Promise<void> {
    if (!concernsSla(event)) return;
    if (event.type === SLA_POLICY_CHANGED) return this.recompute(String(event.payload['policyId'] ?? event.aggregateId));
    // A ticket's events are applied one after another in the order they reach this process (the queue's order,
    // which is the order they happened), not in whatever order their transactions get the clocks' lock: applied
    // late, a stale status (pending after open) would leave the clocks paused.
    const ticketId = event.aggregateId;
    const applied = (this.queued.get(ticketId) ?? Promise.resolve()).catch(() => undefined).then(() => this.apply(event));
    this.queued.set(ticketId, applied);
    try {
      await applied;
    } finally {
      if (this.queued.get(ticketId) === applied) this.queued.delete(ticketId);
    }
  }

  private async apply(event: ReceivedEvent): Promise<void> {
    const saved = await this.uow.run(async (tx) => {
      // Sent together (one round trip): the claim, the ticket and its clocks under their lock, and for a new
      // ticket the policy its clocks start under. The ticket is not row-locked: SLA work only reads it, and the
      // clocks' own lock serialises it (no wait on agents' edits).
      const [first, ticket, clocks, starting] = await Promise.all([
        tx.processed.claim(SLA_CONSUMER, event.id, this.clock.now()),
        tx.tickets.findById(event.aggregateId),
        tx.ticketSla.lock(event.aggregateId),
        event.type === 'ticket.created' ? tx.slaPolicies.policyForTicket(event.aggregateId) : null,
      ]);
      if (!ticket) return null;
      // A retry after the commit still (re)sets the timer, in case setting it failed the first time.
      if (!first) return clocks;
      const facts = await factsAfter(tx, event, ticket);
      return advanceTicketClocks(tx, ticket, facts, new Date(event.occurredAt), this.settings, {
        locked: clocks,
        ...(starting ? { startPolicy: starting } : {}),
      });
    });
    await this.setTimer(saved);
  }

  /** Safe to repeat: recomputing with the same policy and facts changes nothing. */
  private async recompute(policyId: string): Promise<void> {
    const ticketIds = await this.uow.run((tx) => tx.ticketSla.runningOn(policyId));
    for (const ticketId of ticketIds) {
      const saved = await this.uow.run(async (tx) => {
        const ticket = await tx.tickets.findById(ticketId);
        if (!ticket) return null;
        const t = ticket.snapshot();
        const facts: TicketFacts = {
          status: t.status,
          priority: t.priority,
          deleted: t.deletedAt !== null,
          firstResponse: false,
          policyEdited: true,
        };
        return advanceTicketClocks(tx, ticket, facts, this.clock.now(), this.settings);
      });
      await this.setTimer(saved);
    }
  }

  private async setTimer(saved: TicketSla | null): Promise<void> {
    if (saved?.nextCheckAt) await this.timers.schedule(saved.ticketId, saved.nextCheckAt);
  }
}

/** The ticket's status and priority as the event left them (its payload), the category it moved to, a first reply. */
async function factsAfter(tx: TransactionScope, event: ReceivedEvent, ticket: Ticket): Promise<TicketFacts> {
  const t = ticket.snapshot();
  const view = (event.payload['ticket'] ?? {}) as { status?: unknown; priority?: unknown };
  const status = TICKET_STATUSES.includes(view.status as TicketStatus) ? (view.status as TicketStatus) : t.status;
  const priority = PRIORITIES.includes(view.priority as Priority) ? (view.priority as Priority) : t.priority;
  const category = changesOf(event).find((c) => c.field === 'categoryId');
  const facts: TicketFacts = {
    status,
    priority,
    deleted: event.type === 'ticket.deleted',
    firstResponse: await isFirstResponse(tx, event, t.requesterId),
  };
  if (category) facts.newCategoryId = typeof category.to === 'string' ? category.to : null;
  return facts;
}

/** A public comment (or a status change with its public comment) by an agent or admin who is not the requester. */
async function isFirstResponse(tx: TransactionScope, event: ReceivedEvent, requesterId: string): Promise<boolean> {
  let authorId: unknown = null;
  if (event.type === 'comment.created') {
    const comment = (event.payload['comment'] ?? {}) as { internal?: unknown; authorId?: unknown };
    if (comment.internal === false) authorId = comment.authorId;
  } else if (event.type === 'ticket.status_changed' && event.payload['commentId']) {
    authorId = event.actorId;
  }
  if (typeof authorId !== 'string' || authorId === requesterId) return false;
  const author = await tx.users.findById(authorId);
  return author !== null && (author.role === 'agent' || author.role === 'admin');
}
