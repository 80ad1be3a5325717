import type { Page } from '../../../src/core/shared/paging.js';
import type { DeliveryAttempt, DeliveryStatus, Webhook, WebhookDelivery } from '../../../src/core/webhooks/webhook.js';
import { WebhookRepository } from '../../../src/core/webhooks/webhook-repository.port.js';
import type { Tables } from './tables.js';

const copy = <T>(value: T): T => structuredClone(value);

/** As SqlWebhookRepository: unique (webhook, event) deliveries, attempts numbered in order, cascade on delete. */
export class InMemoryWebhookRepository extends WebhookRepository {
  constructor(private readonly tables: () => Tables) {
    super();
  }

  async findById(id: string): Promise<Webhook | null> {
    return copy(this.tables().webhooks.get(id) ?? null);
  }

  async list(): Promise<Webhook[]> {
    return copy([...this.tables().webhooks.values()]);
  }

  async insert(webhook: Webhook): Promise<void> {
    if (this.tables().webhooks.has(webhook.id)) throw new Error('duplicate webhook id');
    this.tables().webhooks.set(webhook.id, copy(webhook));
  }

  async save(webhook: Webhook): Promise<void> {
    this.tables().webhooks.set(webhook.id, copy(webhook));
  }

  async delete(id: string): Promise<void> {
    const t = this.tables();
    t.webhooks.delete(id);
    for (const d of [...t.deliveries.values()]) if (d.webhookId === id) t.deliveries.delete(d.id);
    t.attempts = t.attempts.filter((a) => t.deliveries.has(a.deliveryId));
  }

  async subscribedTo(eventType: string): Promise<Webhook[]> {
    return copy([...this.tables().webhooks.values()].filter((w) => w.active && (w.events as string[]).includes(eventType)));
  }

  async insertDelivery(delivery: WebhookDelivery): Promise<boolean> {
    const t = this.tables();
    if (!t.webhooks.has(delivery.webhookId)) throw new Error(`FK webhooks ${delivery.webhookId}`);
    if ([...t.deliveries.values()].some((d) => d.webhookId === delivery.webhookId && d.eventId === delivery.eventId)) return false;
    t.deliveries.set(delivery.id, copy(delivery));
    return true;
  }

  async findDelivery(id: string): Promise<WebhookDelivery | null> {
    return copy(this.tables().deliveries.get(id) ?? null);
  }

  async deliveries(webhookId: string, limit: number): Promise<Page<WebhookDelivery>> {
    const all = [...this.tables().deliveries.values()]
      .filter((d) => d.webhookId === webhookId)
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
    return { items: copy(all.slice(0, limit)), nextCursor: null };
  }

  async attempts(deliveryId: string): Promise<DeliveryAttempt[]> {
    return copy(this.tables().attempts.filter((a) => a.deliveryId === deliveryId));
  }

  async recordAttempt(attempt: DeliveryAttempt, status: DeliveryStatus): Promise<void> {
    const t = this.tables();
    const delivery = t.deliveries.get(attempt.deliveryId);
    if (!delivery) return;
    delivery.attempts += 1;
    delivery.status = status;
    delivery.lastAttemptAt = attempt.at;
    t.attempts.push(copy({ ...attempt, attempt: delivery.attempts }));
  }
}
