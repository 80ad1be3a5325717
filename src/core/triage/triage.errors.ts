import { DomainError } from '../shared/domain-error.js';

export class TriageModelNotFoundError extends DomainError {
  readonly kind = 'not_found' as const;
  readonly code = 'TRIAGE_MODEL_NOT_FOUND';
  constructor() {
    super('No triage model has been trained yet');
  }
}

export class TriageResultNotFoundError extends DomainError {
  readonly kind = 'not_found' as const;
  readonly code = 'TRIAGE_RESULT_NOT_FOUND';
  constructor(ticketId: string) {
    super(`Ticket ${ticketId} has not been triaged yet`);
  }
}

export class TooFewTrainingExamplesError extends DomainError {
  readonly kind = 'rule_violation' as const;
  readonly code = 'TRIAGE_TOO_FEW_EXAMPLES';
  constructor(examples: number, minimum: number) {
    super(
      `Only ${examples} resolved or closed ticket(s) to learn from; at least ${minimum} are needed ` +
        '(TRIAGE_MIN_EXAMPLES)',
    );
    Object.assign(this.details, { examples, minimum });
  }
}
