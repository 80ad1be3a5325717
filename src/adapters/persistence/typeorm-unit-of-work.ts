import type { DataSource, EntityManager } from 'typeorm';
import { UnitOfWork, type TransactionScope } from '../../core/shared/unit-of-work.port.js';
import { SqlCategoryRepository } from './sql-category.repository.js';
import { SqlGroupRepository } from './sql-group.repository.js';
import { SqlProcessedEvents } from './sql-processed-events.js';
import { SqlWebhookRepository } from './sql-webhook.repository.js';
import { SqlTriageResultRepository } from './sql-triage-results.js';
import { SqlSlaPolicyRepository } from './sql-sla-policy.repository.js';
import { SqlTicketSlaRepository } from './sql-ticket-sla.repository.js';
import {
  PendingAppends,
  SqlActivityLog,
  SqlCommentRepository,
  SqlIdempotencyStore,
  SqlOutbox,
} from './sql-ticket-records.js';
import { SqlTicketRepository } from './sql-ticket.repository.js';
import { TransactionWrites } from './transaction-writes.js';
import { TypeOrmUserRepository } from './typeorm-user.repository.js';

function scopeOf(manager: EntityManager, pending: PendingAppends, writes: TransactionWrites): TransactionScope {
  return {
    tickets: new SqlTicketRepository(manager, writes),
    comments: new SqlCommentRepository(manager),
    activity: new SqlActivityLog(pending),
    outbox: new SqlOutbox(pending),
    idempotency: new SqlIdempotencyStore(manager),
    users: new TypeOrmUserRepository(manager),
    categories: new SqlCategoryRepository(manager, writes),
    groups: new SqlGroupRepository(manager),
    processed: new SqlProcessedEvents(manager),
    webhooks: new SqlWebhookRepository(manager),
    triage: new SqlTriageResultRepository(manager),
    slaPolicies: new SqlSlaPolicyRepository(manager),
    ticketSla: new SqlTicketSlaRepository(manager, writes),
  };
}

/** One PostgreSQL transaction (READ COMMITTED, row locks for changes) per unit of work. */
export class TypeOrmUnitOfWork extends UnitOfWork {
  private readonly eventListeners: (() => void)[] = [];
  private readonly writeListeners: ((writes: TransactionWrites) => Promise<void>)[] = [];

  constructor(private readonly dataSource: DataSource) {
    super();
  }

  /** `listener` runs after each transaction that wrote outbox events commits (the relay wakes up on it). */
  onEventsCommitted(listener: () => void): void {
    this.eventListeners.push(listener);
  }

  /**
   * `listener` runs after each transaction that changed cached data commits, and run() waits for it: the read
   * cache is invalidated before the change is reported done (so before the HTTP response). It must not throw.
   */
  onWritesCommitted(listener: (writes: TransactionWrites) => Promise<void>): void {
    this.writeListeners.push(listener);
  }

  async run<T>(work: (tx: TransactionScope) => Promise<T>): Promise<T> {
    let wroteEvents = false;
    const writes = new TransactionWrites();
    const result = await this.dataSource.transaction(async (manager) => {
      const pending = new PendingAppends();
      const value = await work(scopeOf(manager, pending, writes));
      wroteEvents = pending.hasEvents;
      await pending.flush(manager);
      return value;
    });
    if (!writes.isEmpty) await Promise.all(this.writeListeners.map((listener) => listener(writes)));
    if (wroteEvents) for (const listener of this.eventListeners) listener();
    return result;
  }
}
