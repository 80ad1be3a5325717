import { DomainError } from '../shared/domain-error.js';

export class UserNotFoundError extends DomainError {
  readonly kind = 'not_found' as const;
  readonly code = 'USER_NOT_FOUND';
  constructor(id: string) {
    super(`User ${id} was not found`);
  }
}

export class AccountDeactivatedError extends DomainError {
  readonly kind = 'forbidden' as const;
  readonly code = 'ACCOUNT_DEACTIVATED';
  constructor() {
    super('This account has been deactivated');
  }
}

export class EmailTakenError extends DomainError {
  readonly kind = 'conflict' as const;
  readonly code = 'EMAIL_TAKEN';
  constructor() {
    super('An account with this email already exists');
  }
}

export class LoginLockedError extends DomainError {
  readonly kind = 'rate_limited' as const;
  readonly code = 'LOGIN_LOCKED';
  constructor(retryAfterSeconds: number) {
    super(`Too many failed sign-ins for this account; password sign-in is locked for ${retryAfterSeconds} s`);
    this.details.retryAfterSeconds = retryAfterSeconds;
  }
}

export class InvalidCredentialsError extends DomainError {
  readonly kind = 'unauthenticated' as const;
  readonly code = 'INVALID_CREDENTIALS';
  constructor() {
    super('Email or password is incorrect');
  }
}

export class RoleManagedByIdentityProviderError extends DomainError {
  readonly kind = 'rule_violation' as const;
  readonly code = 'ROLE_MANAGED_BY_IDENTITY_PROVIDER';
  constructor() {
    super('Roles of single-sign-on users come from the identity provider; change them there');
  }
}

export class CannotChangeOwnAccessError extends DomainError {
  readonly kind = 'rule_violation' as const;
  readonly code = 'CANNOT_CHANGE_OWN_ACCESS';
  constructor() {
    super('Admins cannot deactivate or demote themselves');
  }
}
