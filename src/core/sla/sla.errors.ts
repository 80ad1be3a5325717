import { DomainError } from '../shared/domain-error.js';

export class SlaPolicyNotFoundError extends DomainError {
  readonly kind = 'not_found' as const;
  readonly code = 'SLA_POLICY_NOT_FOUND';
  constructor(id: string) {
    super(`SLA policy ${id} does not exist`);
  }
}

export class SlaPolicyInUseError extends DomainError {
  readonly kind = 'conflict' as const;
  readonly code = 'SLA_POLICY_IN_USE';
  constructor(tickets: number) {
    super(
      `The clocks of ${tickets} ticket(s) follow this policy and keep it as their record; ` +
        'take its categories and default flag away instead, so no new ticket follows it',
    );
    Object.assign(this.details, { tickets });
  }
}
