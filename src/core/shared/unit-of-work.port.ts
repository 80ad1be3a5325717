import type { UserRepository } from '../identity/user-repository.port.js';
import type { CategoryRepository } from '../categories/category-repository.port.js';
import type {
  ActivityLog,
  CommentRepository,
  IdempotencyStore,
  TicketRepository,
} from '../tickets/ticket-repository.port.js';
import type { GroupRepository } from '../assignment/group-repository.port.js';
import type { WebhookRepository } from '../webhooks/webhook-repository.port.js';
import type { TriageResultRepository } from '../triage/triage-result-repository.port.js';
import type { SlaPolicyRepository } from '../sla/sla-policy-repository.port.js';
import type { TicketSlaRepository } from '../sla/ticket-sla-repository.port.js';
import type { Outbox } from './domain-event.js';
import type { ProcessedEvents } from './processed-events.port.js';

/** The repositories of one transaction: everything written through them commits or rolls back together. */
export interface TransactionScope {
  tickets: TicketRepository;
  comments: CommentRepository;
  activity: ActivityLog;
  outbox: Outbox;
  idempotency: IdempotencyStore;
  users: UserRepository;
  categories: CategoryRepository;
  groups: GroupRepository;
  processed: ProcessedEvents;
  webhooks: WebhookRepository;
  triage: TriageResultRepository;
  slaPolicies: SlaPolicyRepository;
  ticketSla: TicketSlaRepository;
}

export abstract class UnitOfWork {
  abstract run<T>(work: (tx: TransactionScope) => Promise<T>): Promise<T>;

  /**
   * Reads that need no transaction (each sees the latest committed data): `work` must not write. An adapter may
   * run it without BEGIN and COMMIT, which saves two round trips to the database; by default it is a transaction.
   */
  read<T>(work: (tx: TransactionScope) => Promise<T>): Promise<T> {
    return this.run(work);
  }
}
