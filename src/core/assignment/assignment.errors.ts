import { DomainError } from '../shared/domain-error.js';

export class GroupNotFoundError extends DomainError {
  readonly kind = 'not_found' as const;
  readonly code = 'GROUP_NOT_FOUND';
  constructor(id: string) {
    super(`Group ${id} does not exist`);
  }
}

export class GroupNameTakenError extends DomainError {
  readonly kind = 'conflict' as const;
  readonly code = 'GROUP_NAME_TAKEN';
  constructor() {
    super('A group with this name exists');
  }
}

export class GroupInUseError extends DomainError {
  readonly kind = 'conflict' as const;
  readonly code = 'GROUP_IN_USE';
  constructor(tickets: number) {
    super(`The group has ${tickets} ticket(s); move them to another group first`);
    Object.assign(this.details, { tickets });
  }
}

export class NotAnAgentError extends DomainError {
  readonly kind = 'rule_violation' as const;
  readonly code = 'NOT_AN_AGENT';
  constructor(field: string) {
    super(`${field} must be an active agent or admin`);
    this.fieldErrors.push({ field, message: 'must be an active agent or admin' });
  }
}
