import { DomainError } from '../shared/domain-error.js';

export class WebhookNotFoundError extends DomainError {
  readonly kind = 'not_found' as const;
  readonly code = 'WEBHOOK_NOT_FOUND';
  constructor(id: string) {
    super(`Webhook ${id} does not exist`);
  }
}

export class DeliveryNotFoundError extends DomainError {
  readonly kind = 'not_found' as const;
  readonly code = 'DELIVERY_NOT_FOUND';
  constructor(id: string) {
    super(`Delivery ${id} does not exist`);
  }
}

/** The URL's host resolves to an address webhooks may not call (loopback, private, link-local, …). */
export class WebhookTargetRefusedError extends DomainError {
  readonly kind = 'rule_violation' as const;
  readonly code = 'WEBHOOK_TARGET_REFUSED';
  constructor(reason: string) {
    super(`Webhooks may not call this URL: ${reason}`);
    this.fieldErrors.push({ field: 'url', message: reason });
  }
}

/** A delivery attempt did not get a 2xx; thrown so the queue retries it with backoff. */
export class DeliveryAttemptFailedError extends Error {
  constructor(readonly reason: string) {
    super(`webhook delivery failed: ${reason}`);
  }
}
