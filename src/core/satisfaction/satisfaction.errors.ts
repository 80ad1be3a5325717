import { DomainError } from '../shared/domain-error.js';

export class TicketNotRatableError extends DomainError {
  readonly kind = 'conflict' as const;
  readonly code = 'TICKET_NOT_RESOLVED';
  constructor() {
    super('Only a resolved or closed ticket can be rated');
  }
}

export class AlreadyRatedError extends DomainError {
  readonly kind = 'conflict' as const;
  readonly code = 'ALREADY_RATED';
  constructor() {
    super('This resolution of the ticket is already rated; a new rating is possible after it is reopened and resolved again');
  }
}
