import { DomainError } from '../shared/domain-error.js';
import type { TicketStatus } from './ticket-status.js';

export class TicketNotFoundError extends DomainError {
  readonly kind = 'not_found' as const;
  readonly code = 'TICKET_NOT_FOUND';
  constructor(id: string) {
    super(`Ticket ${id} was not found`);
  }
}

export class IllegalTransitionError extends DomainError {
  readonly kind = 'conflict' as const;
  readonly code = 'ILLEGAL_STATUS_TRANSITION';
  constructor(from: TicketStatus, to: TicketStatus, allowed: readonly TicketStatus[]) {
    super(
      allowed.length
        ? `A ${from} ticket cannot move to ${to}; allowed next states: ${allowed.join(', ')}`
        : `A ${from} ticket is final and cannot move to ${to}`,
    );
    Object.assign(this.details, { from, to, allowed: [...allowed] });
  }
}

export class TicketClosedError extends DomainError {
  readonly kind = 'conflict' as const;
  readonly code = 'TICKET_CLOSED';
  constructor() {
    super('The ticket is closed; closed tickets cannot be changed');
  }
}

export class TicketDeletedError extends DomainError {
  readonly kind = 'conflict' as const;
  readonly code = 'TICKET_DELETED';
  constructor() {
    super('The ticket is deleted; restore it before changing it');
  }
}

export class VersionMismatchError extends DomainError {
  readonly kind = 'precondition_failed' as const;
  readonly code = 'VERSION_MISMATCH';
  constructor(expected: number, actual: number) {
    super(`The ticket changed since you read it (you sent version ${expected}; it is now ${actual})`);
    Object.assign(this.details, { currentVersion: actual });
  }
}

export class IdempotencyKeyReusedError extends DomainError {
  readonly kind = 'rule_violation' as const;
  readonly code = 'IDEMPOTENCY_KEY_REUSED';
  constructor() {
    super('This Idempotency-Key was already used with a different request body');
  }
}

export class InvalidReferenceError extends DomainError {
  readonly kind = 'rule_violation' as const;
  readonly code = 'INVALID_REFERENCE';
  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.fieldErrors.push({ field, message });
  }
}
