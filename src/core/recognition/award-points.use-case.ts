import { randomUUID } from 'node:crypto';
import { changesOf, type DomainEvent, type EventSummary } from '../shared/domain-event.js';
import { isReopen } from '../tickets/ticket-lifecycle.js';
import type { TicketStatus } from '../tickets/ticket-status.js';
import { RecognitionUnitOfWork, type PointsEntry, type PointsLedger } from './recognition.ports.js';
import { RESOLUTION_TAKEN_BACK, type RecognitionRules, type RuleId } from './recognition-rules.js';

/** The outbox events recognition reads. */
export const RECOGNITION_EVENTS = ['sla.fulfilled', 'sla.breached', 'ticket.rated', 'ticket.status_changed'] as const;

type ReceivedEvent = Pick<DomainEvent, 'id' | 'type' | 'aggregateId' | 'payload'> & { occurredAt: Date | string };
type Summary = Pick<DomainEvent, 'type' | 'payload'>;

interface TicketView {
  id?: unknown;
  number?: unknown;
  assigneeId?: unknown;
}

const str = (value: unknown): string | null => (typeof value === 'string' && value.length > 0 ? value : null);
const ticketOf = (event: Pick<DomainEvent, 'payload'>): TicketView => (event.payload['ticket'] ?? {}) as TicketView;

/** A status change that takes a resolved ticket back into work. */
function reopenOf(event: Summary): boolean {
  return changesOf(event).some(
    (c) => c.field === 'status' && typeof c.from === 'string' && typeof c.to === 'string' && isReopen(c.from as TicketStatus, c.to as TicketStatus),
  );
}

/** Whether an event can change anyone's points (the relay enqueues only these). */
export function concernsRecognition(event: Summary | EventSummary): boolean {
  switch (event.type) {
    case 'sla.fulfilled':
      return event.payload['late'] !== true && (event.payload['clock'] === 'resolution' || event.payload['byResolution'] !== true);
    case 'sla.breached':
    case 'ticket.rated':
      return true;
    case 'ticket.status_changed':
      return reopenOf(event);
    default:
      return false;
  }
}

interface Award {
  rule: RuleId;
  agentId: string | null;
  reason: string;
}

/** The rule an event triggers, and for whom, by the rules alone (no ledger state). */
export function awardOf(event: ReceivedEvent): Award | null {
  if (!concernsRecognition(event)) return null;
  const ticket = ticketOf(event);
  const ref = typeof ticket.number === 'number' ? `#${ticket.number}` : 'a ticket';
  const assignee = str(ticket.assigneeId);
  switch (event.type) {
    case 'sla.fulfilled':
      return event.payload['clock'] === 'resolution'
        ? { rule: 'resolved_within_sla', agentId: assignee, reason: `Resolved ${ref} within its SLA` }
        : { rule: 'first_response_within_sla', agentId: assignee, reason: `First response on ${ref} within its SLA` };
    case 'sla.breached': {
      const clock = event.payload['clock'] === 'first_response' ? 'first response' : 'resolution';
      // An escalation may have unassigned the ticket in the same step: the penalty goes to who had it.
      const agentId = str(event.payload['assigneeAtBreach']) ?? assignee;
      return { rule: 'sla_breached', agentId, reason: `SLA ${clock} target of ${ref} breached` };
    }
    case 'ticket.rated': {
      const rating = event.payload['rating'] as { rating?: unknown; assigneeId?: unknown } | undefined;
      const value = rating?.rating;
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 5) return null;
      return { rule: `rating_${value}` as RuleId, agentId: str(rating?.assigneeId) ?? assignee, reason: `Rated ${value} of 5 on ${ref}` };
    }
    case 'ticket.status_changed':
      return { rule: 'reopened', agentId: assignee, reason: `${ref} reopened after its resolution` };
    default:
      return null;
  }
}

/**
 * Awards the points an outbox event earns, into the ledger. Idempotent: an entry is unique per (event, rule,
 * agent), so a replayed or retried job records nothing twice. A reopen also takes back the ticket's resolution
 * award(s) not yet taken back, from whoever earned them; the work on one ticket is serialised, and a resolution
 * award that arrives after the reopen that undid it is not given (the reopen is remembered), so the order in which
 * the queue runs the two jobs does not matter.
 */
export class AwardPoints {
  constructor(
    private readonly uow: RecognitionUnitOfWork,
    private readonly rules: RecognitionRules,
  ) {}

  /** The entries recorded by this run (none for a replay). */
  async execute(event: ReceivedEvent): Promise<PointsEntry[]> {
    const award = awardOf(event);
    const ticketId = str(ticketOf(event).id) ?? event.aggregateId;
    if (!award) return [];
    const at = new Date(event.occurredAt);
    return this.uow.run(async ({ ledger }) => {
      await ledger.lockTicket(ticketId);
      const recorded: PointsEntry[] = [];
      const record = async (entry: Omit<PointsEntry, 'id' | 'eventId' | 'ticketId' | 'at'>) => {
        const full: PointsEntry = { id: randomUUID(), eventId: event.id, ticketId, at, ...entry };
        if (full.points !== 0 && (await ledger.record(full))) recorded.push(full);
      };
      if (award.rule === 'reopened') {
        await ledger.recordReopen(ticketId, event.id, at);
        await this.takeBackResolution(ledger, ticketId, at, record);
      }
      if (award.rule === 'resolved_within_sla' && (await ledger.reopenedAfter(ticketId, at))) return recorded;
      if (award.agentId) {
        await record({ agentId: award.agentId, rule: award.rule, points: this.rules.pointsOf(award.rule), reason: award.reason, reverses: null });
      }
      return recorded;
    });
  }

  private async takeBackResolution(
    ledger: PointsLedger,
    ticketId: string,
    at: Date,
    record: (entry: Omit<PointsEntry, 'id' | 'eventId' | 'ticketId' | 'at'>) => Promise<void>,
  ): Promise<void> {
    for (const earned of await ledger.uncancelled(ticketId, 'resolved_within_sla', at)) {
      await record({
        agentId: earned.agentId,
        rule: RESOLUTION_TAKEN_BACK,
        points: -earned.points,
        reason: `${earned.reason}: taken back, the ticket was reopened`,
        reverses: earned.id,
      });
    }
  }
}
