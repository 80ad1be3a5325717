import { randomUUID } from 'node:crypto';
import { isAdmin, type Actor } from '../identity/actor.js';
import { Clock } from '../shared/clock.port.js';
import { definedOnly } from '../shared/defined-only.js';
import { ForbiddenError } from '../shared/domain-error.js';
import { domainEvent } from '../shared/domain-event.js';
import type { Page } from '../shared/paging.js';
import { UnitOfWork } from '../shared/unit-of-work.port.js';
import { DeliveryNotFoundError, WebhookNotFoundError, WebhookTargetRefusedError } from './webhook.errors.js';
import { checkSecret, checkWebhookSettings, type DeliveryAttempt, type Webhook, type WebhookDelivery, type WebhookSettings } from './webhook.js';
import { WebhookRepository } from './webhook-repository.port.js';
import { WebhookSender } from './webhook-sender.port.js';
import { generateSecret } from './webhook-signature.js';

export const DELIVERY_REQUESTED = 'webhook.delivery_requested';

/** Admins register webhooks, read every delivery attempt and replay a delivery. */
export class ManageWebhooks {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly webhooks: WebhookRepository,
    private readonly sender: WebhookSender,
    private readonly clock: Clock,
  ) {}

  async list(actor: Actor): Promise<Webhook[]> {
    authorize(actor);
    return this.webhooks.list();
  }

  async get(actor: Actor, id: string): Promise<Webhook> {
    authorize(actor);
    const webhook = await this.webhooks.findById(id);
    if (!webhook) throw new WebhookNotFoundError(id);
    return webhook;
  }

  async create(actor: Actor, input: Partial<WebhookSettings> & Pick<WebhookSettings, 'url' | 'events'> & { secret?: string }): Promise<Webhook> {
    authorize(actor);
    const settings = checkWebhookSettings({ description: '', active: true, ...input });
    const secret = input.secret === undefined ? generateSecret() : checkSecret(input.secret);
    await this.checkTarget(settings.url);
    const now = this.clock.now();
    const webhook: Webhook = { id: randomUUID(), ...settings, secret, createdAt: now, updatedAt: now };
    await this.webhooks.insert(webhook);
    return webhook;
  }

  async update(actor: Actor, id: string, patch: Partial<WebhookSettings> & { secret?: string }): Promise<Webhook> {
    const webhook = await this.get(actor, id);
    const { secret, ...settings } = patch;
    const next = checkWebhookSettings({ ...webhook, ...definedOnly(settings) });
    if (next.url !== webhook.url) await this.checkTarget(next.url);
    const updated: Webhook = { ...webhook, ...next, secret: secret === undefined ? webhook.secret : checkSecret(secret), updatedAt: this.clock.now() };
    await this.webhooks.save(updated);
    return updated;
  }

  async delete(actor: Actor, id: string): Promise<void> {
    await this.get(actor, id);
    await this.webhooks.delete(id);
  }

  async deliveries(actor: Actor, id: string, limit: number, cursor?: string): Promise<Page<WebhookDelivery>> {
    await this.get(actor, id);
    return this.webhooks.deliveries(id, limit, cursor);
  }

  async delivery(actor: Actor, id: string, deliveryId: string): Promise<{ delivery: WebhookDelivery; attempts: DeliveryAttempt[] }> {
    await this.get(actor, id);
    const delivery = await this.webhooks.findDelivery(deliveryId);
    if (!delivery || delivery.webhookId !== id) throw new DeliveryNotFoundError(deliveryId);
    return { delivery, attempts: await this.webhooks.attempts(deliveryId) };
  }

  /** Sends the delivery again (same body, new signature and timestamp) as a new attempt, whatever its status. */
  async replay(actor: Actor, id: string, deliveryId: string): Promise<WebhookDelivery> {
    const { delivery } = await this.delivery(actor, id, deliveryId);
    await this.uow.run((tx) =>
      tx.outbox.append(domainEvent(DELIVERY_REQUESTED, delivery.id, actor.id, this.clock.now(), { deliveryId: delivery.id, replay: true })),
    );
    return delivery;
  }

  private async checkTarget(url: string): Promise<void> {
    const reason = await this.sender.refusal(url);
    if (reason) throw new WebhookTargetRefusedError(reason);
  }
}

function authorize(actor: Actor): void {
  if (!isAdmin(actor)) throw new ForbiddenError('Only admins manage webhooks', 'WEBHOOKS_ADMIN_ONLY');
}
