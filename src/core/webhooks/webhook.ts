import { InvalidInputError } from '../shared/domain-error.js';
import { checkText, codePointLength, textProblem } from '../shared/text.js';
import { validateWebhookUrl } from './webhook-target.js';

export const WEBHOOK_EVENTS = [
  'ticket.created',
  'ticket.updated',
  'ticket.status_changed',
  'ticket.assigned',
  'comment.created',
  'ticket.rated',
  'sla.at_risk',
  'sla.breached',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
export const WEBHOOK_DESCRIPTION_MAX = 200;
export const SECRET_MIN = 16;
export const SECRET_MAX = 200;

export interface Webhook {
  id: string;
  url: string;
  events: WebhookEvent[];
  /** HMAC key of the signature header; shown in full only when created. */
  secret: string;
  description: string;
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface WebhookSettings {
  url: string;
  events: WebhookEvent[];
  description: string;
  active: boolean;
}

export function checkWebhookSettings(input: WebhookSettings): WebhookSettings {
  const url = validateWebhookUrl(input.url).href;
  const events = [...new Set(input.events)];
  if (events.length === 0) throw new InvalidInputError('events', 'at least one event');
  const unknown = events.filter((e) => !WEBHOOK_EVENTS.includes(e));
  if (unknown.length) throw new InvalidInputError('events', `unknown: ${unknown.join(', ')}`);
  const description = checkText('description', input.description, { min: 0, max: WEBHOOK_DESCRIPTION_MAX });
  return { url, events, description, active: input.active };
}

export function checkSecret(secret: string): string {
  if (textProblem(secret) || codePointLength(secret) < SECRET_MIN || codePointLength(secret) > SECRET_MAX) {
    throw new InvalidInputError('secret', `must be ${SECRET_MIN}–${SECRET_MAX} characters`);
  }
  return secret;
}

export type DeliveryStatus = 'pending' | 'succeeded' | 'failed';

/** One event for one webhook; retried (and replayable) as attempts. */
export interface WebhookDelivery {
  id: string;
  webhookId: string;
  eventId: string;
  eventType: string;
  /** The exact JSON body sent on every attempt. */
  body: string;
  status: DeliveryStatus;
  attempts: number;
  createdAt: Date;
  lastAttemptAt: Date | null;
}

export interface DeliveryAttempt {
  deliveryId: string;
  attempt: number;
  at: Date;
  durationMs: number;
  statusCode: number | null;
  ok: boolean;
  error: string | null;
  /** The start of the receiver's answer. */
  responseBody: string | null;
}
