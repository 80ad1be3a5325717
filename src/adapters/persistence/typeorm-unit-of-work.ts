import type { DataSource, EntityManager } from 'typeorm';
import type { DomainEvent } from '../../core/shared/domain-event.js';
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

/** The `pg` client under a connected query runner: statements sent through it leave in the order of the calls. */
export interface PgClient {
  query(statement: string | { name: string; text: string }, values?: unknown[]): Promise<unknown>;
}

/** What a scope's repositories are built from: the transaction's manager, its pending appends and its writes. */
export interface ScopeParts {
  manager: EntityManager;
  pending: PendingAppends;
  writes: TransactionWrites;
}

function scopeOf({ manager, pending, writes }: ScopeParts): TransactionScope {
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
  private readonly eventListeners: ((events: readonly DomainEvent[]) => void)[] = [];
  private readonly writeListeners: ((writes: TransactionWrites) => Promise<void>)[] = [];

  constructor(private readonly dataSource: DataSource) {
    super();
  }

  /**
   * `listener` runs after each transaction that wrote outbox events commits, with those events (the relay wakes up
   * on it; the metrics count them). It must not throw.
   */
  onEventsCommitted(listener: (events: readonly DomainEvent[]) => void): void {
    this.eventListeners.push(listener);
  }

  /**
   * `listener` runs after each transaction that changed cached data commits, and run() waits for it: the read
   * cache is invalidated before the change is reported done (so before the HTTP response). It must not throw.
   */
  onWritesCommitted(listener: (writes: TransactionWrites) => Promise<void>): void {
    this.writeListeners.push(listener);
  }

  /**
   * BEGIN is sent without waiting for its answer, and the appends leave with COMMIT: the pool's connections are in
   * pipeline mode, so the work's first statement follows BEGIN at once and the transaction ends in one round trip
   * (two round trips fewer per transaction; on these machines each one costs ~100 µs of CPU in this process).
   */
  run<T>(work: (tx: TransactionScope) => Promise<T>): Promise<T> {
    return this.runScoped(scopeOf, work);
  }

  /**
   * The same transaction with a scope of another area's repositories (built by `makeScope`), so an area keeps its
   * own transaction port instead of growing TransactionScope; its appends, writes and listeners work as in run().
   */
  async runScoped<S, T>(makeScope: (parts: ScopeParts) => S, work: (tx: S) => Promise<T>): Promise<T> {
    const writes = new TransactionWrites();
    const pending = new PendingAppends();
    const runner = this.dataSource.createQueryRunner();
    const client = (await runner.connect()) as PgClient;
    let result: T;
    let events: readonly DomainEvent[] = [];
    try {
      const begun = client.query('START TRANSACTION');
      // Seen by the await below; until then a failure must not count as unhandled (the work fails with it anyway).
      begun.catch(() => undefined);
      try {
        result = await work(makeScope({ manager: runner.manager, pending, writes }));
        events = pending.appendedEvents();
        const flushed = pending.flush(client);
        // Sent right behind the appends; after a failed append PostgreSQL answers it with a rollback.
        const committed = client.query('COMMIT');
        // Each is awaited below in order; whichever is not reached (an earlier one failed) must not count as unhandled.
        flushed.catch(() => undefined);
        committed.catch(() => undefined);
        await begun;
        await flushed;
        await committed;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    } finally {
      await runner.release();
    }
    if (!writes.isEmpty) await Promise.all(this.writeListeners.map((listener) => listener(writes)));
    if (events.length) for (const listener of this.eventListeners) listener(events);
    return result;
  }

  /** Statements on the pool, each on its own (autocommit). Appends or cache-visible writes made through it throw. */
  override async read<T>(work: (tx: TransactionScope) => Promise<T>): Promise<T> {
    const pending = new PendingAppends();
    const writes = new TransactionWrites();
    const value = await work(scopeOf({ manager: this.dataSource.manager, pending, writes }));
    if (!pending.isEmpty || !writes.isEmpty) throw new Error('UnitOfWork.read: work wrote through a read-only scope');
    return value;
  }
}
