import { DomainError } from '../shared/domain-error.js';

export class AgentNotFoundError extends DomainError {
  readonly kind = 'not_found' as const;
  readonly code = 'AGENT_NOT_FOUND';
  constructor(id: string) {
    super(`Agent ${id} was not found`);
  }
}

/** The SLA worker has not applied a ticket's change yet; the refresh is retried (a transient, internal failure). */
export class AnalyticsBehindSlaError extends Error {
  constructor(readonly ticketIds: string[]) {
    super(`SLA clocks of ${ticketIds.join(', ')} have not caught up with the ticket yet; retrying`);
    this.name = 'AnalyticsBehindSlaError';
  }
}
