import { randomUUID } from 'node:crypto';
import { Clock } from '../shared/clock.port.js';
import { domainEvent, type DomainEvent } from '../shared/domain-event.js';
import { UnitOfWork } from '../shared/unit-of-work.port.js';
import { DELIVERY_REQUESTED } from './manage-webhooks.use-case.js';
import { DeliveryAttemptFailedError } from './webhook.errors.js';
import type { WebhookDelivery } from './webhook.js';
import { WebhookRepository } from './webhook-repository.port.js';
import { WebhookSender } from './webhook-sender.port.js';
import { webhookHeaders } from './webhook-signature.js';

export const WEBHOOKS_CONSUMER = 'webhooks';
type ReceivedEvent = Pick<DomainEvent, 'id' | 'type' | 'aggregateId' | 'payload'> & { occurredAt: Date | string };

/**
 * Fan-out: one delivery per subscribed webhook, created once per event (claimed by event id), each with a
 * `webhook.delivery_requested` event in the same transaction, so the send is queued through the outbox too.
 */
export class DispatchWebhooks {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  async execute(event: ReceivedEvent): Promise<WebhookDelivery[]> {
    // Nobody listening (the usual case for most event types): nothing to create, so nothing to claim either.
    if (!(await this.uow.run((tx) => tx.webhooks.subscribedTo(event.type))).length) return [];
    return this.uow.run(async (tx) => {
      const now = this.clock.now();
      if (!(await tx.processed.claim(WEBHOOKS_CONSUMER, event.id, now))) return [];
      const created: WebhookDelivery[] = [];
      const occurredAt = new Date(event.occurredAt).toISOString();
      const body = JSON.stringify({ id: event.id, type: event.type, occurredAt, data: event.payload });
      for (const webhook of await tx.webhooks.subscribedTo(event.type)) {
        const delivery: WebhookDelivery = {
          id: randomUUID(),
          webhookId: webhook.id,
          eventId: event.id,
          eventType: event.type,
          body,
          status: 'pending',
          attempts: 0,
          createdAt: now,
          lastAttemptAt: null,
        };
        if (!(await tx.webhooks.insertDelivery(delivery))) continue;
        await tx.outbox.append(domainEvent(DELIVERY_REQUESTED, delivery.id, null, now, { deliveryId: delivery.id }));
        created.push(delivery);
      }
      return created;
    });
  }
}

/**
 * One attempt of one delivery: signs the stored body with the webhook's secret and the current time, POSTs it,
 * records the attempt, and throws when it failed so the queue retries with backoff. A delivery that already
 * succeeded is not sent again unless an admin replays it.
 */
export class SendWebhookDelivery {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly webhooks: WebhookRepository,
    private readonly sender: WebhookSender,
    private readonly clock: Clock,
  ) {}

  async execute(event: Pick<DomainEvent, 'payload'>): Promise<'sent' | 'skipped'> {
    const deliveryId = String(event.payload['deliveryId'] ?? '');
    const delivery = await this.webhooks.findDelivery(deliveryId);
    if (!delivery) return 'skipped';
    if (delivery.status === 'succeeded' && event.payload['replay'] !== true) return 'skipped';
    const webhook = await this.webhooks.findById(delivery.webhookId);
    if (!webhook || !webhook.active) return 'skipped';
    const at = this.clock.now();
    const headers = webhookHeaders({ secret: webhook.secret, event: delivery.eventType, deliveryId: delivery.id, body: delivery.body, at });
    const result = await this.sender.send({ url: webhook.url, body: delivery.body, headers });
    await this.uow.run((tx) =>
      tx.webhooks.recordAttempt(
        {
          deliveryId: delivery.id,
          attempt: 0, // numbered by the repository, in order
          at,
          durationMs: Math.round(result.durationMs),
          statusCode: result.status,
          ok: result.ok,
          error: result.error,
          responseBody: result.responseBody,
        },
        result.ok ? 'succeeded' : 'failed',
      ),
    );
    if (!result.ok) throw new DeliveryAttemptFailedError(result.error ?? `HTTP ${result.status}`);
    return 'sent';
  }
}
