import type { EventSummary } from '../shared/domain-event.js';
import type { MetricsSnapshot } from './metrics-snapshot.js';
import { isSlaTarget, outcomeOf, statusChangeOf } from './ticket-outcomes.js';

/** The measurement of every exported ticket event: one point per event. */
export const TICKET_EVENTS_MEASUREMENT = 'tessera_ticket_events';

/**
 * Ticket events that matter to a chart, as their outbox types: created, status changed (resolved and reopened are
 * status changes, tagged `transition`), assigned, first response (`sla.fulfilled` of the `first_response` clock;
 * `resolution` is exported too), rated, SLA at risk and breached.
 */
export const EXPORTED_EVENT_TYPES = [
  'ticket.created',
  'ticket.status_changed',
  'ticket.assigned',
  'ticket.rated',
  'sla.fulfilled',
  'sla.at_risk',
  'sla.breached',
] as const;

export const isExportedEvent = (event: Pick<EventSummary, 'type'>): boolean =>
  (EXPORTED_EVENT_TYPES as readonly string[]).includes(event.type);

/** A time-series point, independent of the wire format. */
export interface ExportPoint {
  measurement: string;
  tags: Record<string, string>;
  fields: Record<string, number | string | boolean>;
  /** Nanoseconds since the epoch, as a decimal string (beyond a JavaScript number's precision). */
  timestampNs: string;
}

export interface ExportedEvent extends EventSummary {
  id: string;
  aggregateId: string;
  occurredAt: Date;
}

/** Whether the point needs the ticket's creation time (minutes to first response, to resolution). */
export function needsCreatedAt(event: EventSummary): boolean {
  if (event.type === 'sla.fulfilled') return event.payload['clock'] === 'first_response';
  return event.type === 'ticket.status_changed' && outcomeOf(event)?.kind === 'resolved';
}

/**
 * The point of one event. Everything in it comes from the event itself (and the ticket's creation time, which never
 * changes), so a replayed or retried event yields the same series and timestamp, and InfluxDB overwrites the point
 * instead of adding a second. The timestamp is the event's time in milliseconds plus a sub-millisecond offset
 * derived from the event id: two events of the same series in the same millisecond stay two points.
 */
export function ticketEventPoint(event: ExportedEvent, ticketCreatedAt: Date | null): ExportPoint | null {
  if (!isExportedEvent(event)) return null;
  const ticket = (event.payload['ticket'] ?? {}) as Record<string, unknown>;
  const tags: Record<string, string> = { event: event.type };
  const tag = (name: string, value: unknown) => {
    if (typeof value === 'string' && value.length > 0) tags[name] = value;
  };
  tag('priority', ticket['priority']);
  tag('severity', ticket['severity']);
  tag('category', ticket['categoryId']);
  tag('group', ticket['groupId']);
  tag('agent', ticket['assigneeId']);
  tag('status', ticket['status']);
  const fields: ExportPoint['fields'] = {
    ticket_id: typeof ticket['id'] === 'string' ? ticket['id'] : event.aggregateId,
    // Which outbox event the point stands for: one point per event can be checked against the outbox.
    event_id: event.id,
  };
  const minutesSinceCreation = () =>
    ticketCreatedAt ? Math.max(0, (event.occurredAt.getTime() - ticketCreatedAt.getTime()) / 60_000) : null;

  if (event.type === 'ticket.status_changed') {
    const change = statusChangeOf(event);
    if (change) tags['from_status'] = change.from;
    const outcome = outcomeOf(event);
    if (outcome?.kind === 'resolved' || outcome?.kind === 'reopened') tags['transition'] = outcome.kind;
    const minutes = outcome?.kind === 'resolved' ? minutesSinceCreation() : null;
    if (minutes !== null) fields['minutes_to_resolution'] = minutes;
  } else if (event.type.startsWith('sla.')) {
    const clock = event.payload['clock'];
    if (isSlaTarget(clock)) tags['target'] = clock;
    if (event.type === 'sla.fulfilled') {
      fields['late'] = event.payload['late'] === true;
      const minutes = clock === 'first_response' ? minutesSinceCreation() : null;
      if (minutes !== null) fields['minutes_to_first_response'] = minutes;
    }
  } else if (event.type === 'ticket.rated') {
    const rating = ratingOf(event.payload);
    if (rating !== null) fields['rating'] = rating;
  }
  return { measurement: TICKET_EVENTS_MEASUREMENT, tags, fields, timestampNs: eventTimestampNs(event.occurredAt, event.id) };
}

/** The rating of a `ticket.rated` event (`payload.rating.rating`, as RateTicket writes it): an integer 1–5. */
function ratingOf(payload: Record<string, unknown>): number | null {
  const raw = payload['rating'];
  const value = typeof raw === 'object' && raw !== null ? (raw as { rating?: unknown }).rating : raw;
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 5 ? value : null;
}

/** Milliseconds × 10⁶ plus an offset in [0, 10⁶) from the event id (FNV-1a): deterministic per event. */
export function eventTimestampNs(at: Date, eventId: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < eventId.length; i++) {
    hash ^= eventId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return (BigInt(at.getTime()) * 1_000_000n + BigInt(hash % 1_000_000)).toString();
}

/** The snapshot's gauges as points, one measurement per gauge (named as in Prometheus), at the snapshot's time. */
export function gaugePoints(snapshot: MetricsSnapshot): ExportPoint[] {
  const timestampNs = (BigInt(Date.parse(snapshot.takenAt)) * 1_000_000n).toString();
  const point = (measurement: string, tags: Record<string, string>, value: number): ExportPoint => ({
    measurement,
    tags,
    fields: { value },
    timestampNs,
  });
  return [
    ...snapshot.ticketsOpen.map((r) => point('tessera_tickets_open', { status: r.status, priority: r.priority }, r.count)),
    ...snapshot.slaAtRisk.map((r) => point('tessera_sla_at_risk', { target: r.target }, r.count)),
    ...snapshot.queues.map((r) => point('tessera_queue_jobs', { queue: r.queue, state: r.state }, r.count)),
    point('tessera_outbox_pending', {}, snapshot.outbox.pending),
    point('tessera_outbox_oldest_age_seconds', {}, snapshot.outbox.oldestAgeSeconds),
  ];
}
