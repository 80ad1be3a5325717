import type { Page } from '../shared/paging.js';
import type { DeliveryAttempt, DeliveryStatus, Webhook, WebhookDelivery } from './webhook.js';

export abstract class WebhookRepository {
  abstract findById(id: string): Promise<Webhook | null>;
  abstract list(): Promise<Webhook[]>;
  abstract insert(webhook: Webhook): Promise<void>;
  abstract save(webhook: Webhook): Promise<void>;
  /** Deletes the webhook with its deliveries and attempts. */
  abstract delete(id: string): Promise<void>;
  /** Active webhooks subscribed to the event type. */
  abstract subscribedTo(eventType: string): Promise<Webhook[]>;
  /** Creates the delivery unless one exists for (webhook, event); returns whether it did. */
  abstract insertDelivery(delivery: WebhookDelivery): Promise<boolean>;
  abstract findDelivery(id: string): Promise<WebhookDelivery | null>;
  /** Newest first, keyset-paginated by an opaque cursor. */
  abstract deliveries(webhookId: string, limit: number, cursor?: string): Promise<Page<WebhookDelivery>>;
  abstract attempts(deliveryId: string): Promise<DeliveryAttempt[]>;
  /** Appends the attempt and moves the delivery's status and counters. */
  abstract recordAttempt(attempt: DeliveryAttempt, status: DeliveryStatus): Promise<void>;
}
