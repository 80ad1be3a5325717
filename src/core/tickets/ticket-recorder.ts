import { randomUUID } from 'node:crypto';
import { recordedActorId, type Actor } from '../identity/actor.js';
import { domainEvent } from '../shared/domain-event.js';
import type { TransactionScope } from '../shared/unit-of-work.port.js';
import type { ActivityEntry } from './activity.js';
import type { Ticket, TicketSnapshot } from './ticket.js';

export const TICKET_EVENT_TYPES = [
  'ticket.created',
  'ticket.updated',
  'ticket.status_changed',
  'ticket.assigned',
  'ticket.deleted',
  'ticket.restored',
  'comment.created',
  'ticket.rated',
] as const;
export type TicketEventType = (typeof TICKET_EVENT_TYPES)[number];

/**
 * Writes the activity entries and the outbox event for a change, inside the caller's transaction,
 * so the log and the events never disagree with the ticket.
 */
export async function recordTicketChange(
  tx: Pick<TransactionScope, 'activity' | 'outbox'>,
  actor: Actor,
  ticket: Ticket,
  type: TicketEventType,
  changes: ActivityEntryDraft[],
  now: Date,
  extra: Record<string, unknown> = {},
): Promise<void> {
  const t = ticket.snapshot();
  const actorId = recordedActorId(actor);
  const entries: ActivityEntry[] = changes.map((c) => ({
    id: randomUUID(),
    ticketId: t.id,
    actorId,
    type: c.type,
    field: c.field ?? null,
    from: c.from ?? null,
    to: c.to ?? null,
    internal: c.internal ?? false,
    occurredAt: now,
  }));
  await tx.activity.append(...entries);
  await tx.outbox.append(
    domainEvent(type, t.id, actorId, now, {
      ticket: ticketEventView(t),
      changes: changes.map(({ type: kind, field, from, to }) => ({ type: kind, field, from, to })),
      ...extra,
    }),
  );
}

/** The ticket as every ticket (and SLA) event carries it, for webhooks and live events. */
export function ticketEventView(t: TicketSnapshot): Record<string, unknown> {
  return {
    id: t.id,
    number: t.number,
    status: t.status,
    priority: t.priority,
    severity: t.severity,
    categoryId: t.categoryId,
    requesterId: t.requesterId,
    assigneeId: t.assigneeId,
    groupId: t.groupId,
    version: t.version,
  };
}

export interface ActivityEntryDraft {
  type: ActivityEntry['type'];
  field?: string;
  from?: unknown;
  to?: unknown;
  internal?: boolean;
}
