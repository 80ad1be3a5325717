import { DELIVERY_REQUESTED } from '../../core/webhooks/manage-webhooks.use-case.js';
import { WEBHOOK_EVENTS } from '../../core/webhooks/webhook.js';
import { concernsAssignment } from '../../core/assignment/run-assignment.use-case.js';
import type { EventSummary } from '../../core/shared/domain-event.js';
import { concernsSla, SLA_TRACKED_EVENTS } from '../../core/sla/track-sla.use-case.js';
import { isTriageEvent } from '../../core/triage/run-triage.use-case.js';
import { INTAKE_EVENTS, isIntakeEvent } from '../../core/intake/run-intake.use-case.js';
import { ANALYTICS_EVENTS } from '../../core/analytics/refresh-analytics.use-case.js';
import { EXPORTED_EVENT_TYPES } from '../../core/metrics/ticket-event-export.js';
import { concernsRecognition, RECOGNITION_EVENTS } from '../../core/recognition/award-points.use-case.js';

/**
 * Queue names, the job payload and which events each queue receives, declared once. The outbox relay copies
 * every event to each queue that subscribes to its type and whose consumer it concerns (job id = event id in
 * every queue).
 */
export const QUEUES = {
  /** A new ticket's triage, SLA and assignment steps in one job (see RunIntake). */
  intake: 'intake',
  assignment: 'assignment',
  webhooks: 'webhooks',
  webhookDeliveries: 'webhook-deliveries',
  triage: 'triage',
  /** Training runs (on demand and on a schedule), not fed by the outbox. */
  triageTraining: 'triage-training',
  sla: 'sla',
  /** Each ticket event recomputes the ticket's share of the analytics rollups. */
  analytics: 'analytics',
  /** The metrics snapshot's repeatable refresh, not fed by the outbox. */
  metrics: 'metrics',
  /** Points for InfluxDB (ticket events and gauges); fed only when INFLUX_URL is set. */
  influxExport: 'influx-export',
  /** Agent recognition: points awarded from ticket, rating and SLA events. */
  recognition: 'recognition',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/** Queues the relay feeds only when the installation turns them on (the InfluxDB export, with INFLUX_URL). */
export const OPTIONAL_QUEUES: ReadonlySet<QueueName> = new Set([QUEUES.influxExport]);

/** The types a consumer handles apart from a new ticket's event, which reaches it through the intake queue. */
const besidesIntake = (types: readonly string[]) => types.filter((type) => !(INTAKE_EVENTS as readonly string[]).includes(type));

/** Event types each queue's handler consumes. An event nobody consumes is still marked sent. */
export const QUEUE_SUBSCRIPTIONS: Record<QueueName, readonly string[]> = {
  intake: INTAKE_EVENTS,
  assignment: [
    'ticket.updated',
    'ticket.status_changed',
    'ticket.assigned',
    'ticket.deleted',
    'ticket.restored',
    'group.changed',
    'agent.availability_changed',
  ],
  webhooks: WEBHOOK_EVENTS,
  'webhook-deliveries': [DELIVERY_REQUESTED],
  triage: ['ticket.updated'],
  'triage-training': [],
  // Besides these events, the SLA worker's own timers (`sla.check`) and sweep (`sla.sweep`) run on this queue.
  sla: besidesIntake(SLA_TRACKED_EVENTS),
  analytics: ANALYTICS_EVENTS,
  metrics: [],
  'influx-export': EXPORTED_EVENT_TYPES,
  recognition: RECOGNITION_EVENTS,
};

/** What a job carries: the outbox event as JSON. */
export interface EventJobData {
  id: string;
  type: string;
  aggregateId: string;
  actorId: string | null;
  occurredAt: string;
  payload: Record<string, unknown>;
}

/**
 * Within its types, the events a consumer acts on (its own rule from the core, which it also applies to any job
 * that reaches it): the rest would be jobs that do nothing, so the relay does not enqueue them. Webhooks are
 * filtered by the relay against the event types active webhooks subscribe to.
 */
export const QUEUE_INTEREST: Partial<Record<QueueName, (event: EventSummary) => boolean>> = {
  intake: isIntakeEvent,
  assignment: concernsAssignment,
  triage: isTriageEvent,
  sla: concernsSla,
  recognition: concernsRecognition,
};

export function queuesFor(event: EventSummary): QueueName[] {
  return (Object.keys(QUEUE_SUBSCRIPTIONS) as QueueName[]).filter(
    (q) => QUEUE_SUBSCRIPTIONS[q].includes(event.type) && (QUEUE_INTEREST[q]?.(event) ?? true),
  );
}

/** ioredis options from a redis:// or rediss:// URL, as BullMQ wants them. */
export function redisOptionsFromUrl(url: string): {
  host: string;
  port: number;
  username?: string;
  password?: string;
  db?: number;
  tls?: object;
} {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.pathname.length > 1 ? { db: Number(u.pathname.slice(1)) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}
