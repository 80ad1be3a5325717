import { randomUUID } from 'node:crypto';

/** An event written to the outbox in the same transaction as the change that caused it. */
export interface DomainEvent {
  id: string;
  type: string;
  aggregateId: string;
  occurredAt: Date;
  actorId: string | null;
  payload: Record<string, unknown>;
}

export function domainEvent(
  type: string,
  aggregateId: string,
  actorId: string | null,
  occurredAt: Date,
  payload: Record<string, unknown>,
): DomainEvent {
  return { id: randomUUID(), type, aggregateId, actorId, occurredAt, payload };
}

export abstract class Outbox {
  abstract append(...events: DomainEvent[]): Promise<void>;
}

/** What a consumer may read of an event to decide whether it concerns it. */
export type EventSummary = Pick<DomainEvent, 'type' | 'actorId' | 'payload'>;

/** The `changes` a ticket event carries (field, from, to), as written by recordTicketChange. */
export function changesOf(event: Pick<DomainEvent, 'payload'>): { field?: unknown; from?: unknown; to?: unknown }[] {
  const changes = event.payload['changes'];
  return Array.isArray(changes) ? (changes as { field?: unknown; from?: unknown; to?: unknown }[]) : [];
}
