import { DispatchWebhooks, SendWebhookDelivery } from '../../../core/webhooks/deliver-webhooks.use-case.js';
import type { JobProcessor } from '../queue-workers.js';
import { QUEUES, type EventJobData } from '../queues.js';

/** Ticket and SLA events → one delivery per subscribed webhook. */
export class WebhookDispatchProcessor implements JobProcessor {
  readonly queue = QUEUES.webhooks;

  constructor(private readonly dispatch: DispatchWebhooks) {}

  process(data: EventJobData) {
    return this.dispatch.execute(data);
  }
}

/** One attempt per job run; a failed attempt throws, so BullMQ retries it with backoff. */
export class WebhookDeliveryProcessor implements JobProcessor {
  readonly queue = QUEUES.webhookDeliveries;

  constructor(private readonly send: SendWebhookDelivery) {}

  process(data: EventJobData) {
    return this.send.execute(data);
  }
}
