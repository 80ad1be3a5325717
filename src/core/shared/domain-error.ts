/** Transport-neutral failure kinds; one global HTTP filter maps them to status codes. */
export type ErrorKind =
  | 'not_found'
  | 'forbidden'
  | 'unauthenticated'
  | 'conflict'
  | 'rule_violation'
  | 'precondition_failed'
  | 'invalid_input'
  /** Too many attempts: try again after `details.retryAfterSeconds`. */
  | 'rate_limited';

export interface FieldError {
  field: string;
  message: string;
}

export abstract class DomainError extends Error {
  abstract readonly kind: ErrorKind;
  abstract readonly code: string;
  /** Machine-readable extras surfaced in the problem body (e.g. the allowed next states). */
  readonly details: Record<string, unknown> = {};
  readonly fieldErrors: FieldError[] = [];

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class InvalidInputError extends DomainError {
  readonly kind = 'invalid_input' as const;
  readonly code = 'INVALID_INPUT';
  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.fieldErrors.push({ field, message });
  }
}

export class ForbiddenError extends DomainError {
  readonly kind = 'forbidden' as const;
  readonly code: string;
  constructor(message: string, code = 'FORBIDDEN') {
    super(message);
    this.code = code;
  }
}
