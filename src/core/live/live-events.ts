import { isStaff, type Actor } from '../identity/actor.js';
import type { DomainEvent } from '../shared/domain-event.js';
import { TICKET_EVENT_TYPES } from '../tickets/ticket-recorder.js';

/** What the live stream carries: ticket, comment and SLA events (not groups, webhooks or availability). */
export const LIVE_EVENT_TYPES: readonly string[] = [...TICKET_EVENT_TYPES, 'sla.at_risk', 'sla.breached'];

export type LiveEvent = Pick<DomainEvent, 'id' | 'type' | 'aggregateId' | 'actorId' | 'payload'> & { occurredAt: string };

/**
 * The same rules as reading: staff hear about every ticket; a requester only about their own tickets, never about
 * internal notes, and never about a ticket once it is deleted.
 */
export function canReceive(actor: Actor, event: LiveEvent): boolean {
  if (!LIVE_EVENT_TYPES.includes(event.type)) return false;
  const ticket = event.payload['ticket'] as { requesterId?: unknown } | undefined;
  if (!ticket) return false;
  if (isStaff(actor)) return true;
  if (ticket.requesterId !== actor.id) return false;
  if (event.type === 'ticket.deleted') return false;
  const comment = event.payload['comment'] as { internal?: unknown } | undefined;
  return !(event.type === 'comment.created' && comment?.internal !== false);
}

/** What a caller is shown of an event they may receive: requesters never see triage's reasons (its confidences). */
export function viewOf(actor: Actor, event: LiveEvent): LiveEvent {
  const reason = event.payload['reason'] as { source?: unknown } | undefined;
  if (isStaff(actor) || reason?.source !== 'triage') return event;
  const { reason: _hidden, ...payload } = event.payload;
  return { ...event, payload };
}

/** Events published by the relays of every process, heard by every API instance. */
export abstract class LiveEventBus {
  /** Calls `listener` for every event from now on; returns the unsubscribe function. */
  abstract subscribe(listener: (event: LiveEvent) => void): () => void;
  /** Calls `listener` with the id of every user whose role or active flag changed (AccessChanges); returns the unsubscribe. */
  abstract onAccessChanged(listener: (userId: string) => void): () => void;
}

/**
 * A caller's live stream: every event they may see, as it happens. It was opened with the caller's rights of that
 * moment, so it ends (`onRevoked`) as soon as their role or active flag changes; a reconnect gets the new rights.
 */
export class StreamEvents {
  constructor(private readonly bus: LiveEventBus) {}

  open(actor: Actor, onEvent: (event: LiveEvent) => void, onRevoked: () => void): () => void {
    let open = true;
    const stopEvents = this.bus.subscribe((event) => {
      if (open && canReceive(actor, event)) onEvent(viewOf(actor, event));
    });
    const stopAccess = this.bus.onAccessChanged((userId) => {
      if (!open || userId !== actor.id) return;
      close();
      onRevoked();
    });
    const close = () => {
      open = false;
      stopEvents();
      stopAccess();
    };
    return close;
  }
}
