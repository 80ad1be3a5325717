import type { DataSource, EntityManager } from 'typeorm';
import { UnitOfWork, type TransactionScope } from '../../core/shared/unit-of-work.port.js';
import { SqlCategoryRepository } from './sql-category.repository.js';
import {
  PendingAppends,
  SqlActivityLog,
  SqlCommentRepository,
  SqlIdempotencyStore,
  SqlOutbox,
} from './sql-ticket-records.js';
import { SqlTicketRepository } from './sql-ticket.repository.js';
import { TypeOrmUserRepository } from './typeorm-user.repository.js';

function scopeOf(manager: EntityManager, pending: PendingAppends): TransactionScope {
  return {
    tickets: new SqlTicketRepository(manager),
    comments: new SqlCommentRepository(manager),
    activity: new SqlActivityLog(pending),
    outbox: new SqlOutbox(pending),
    idempotency: new SqlIdempotencyStore(manager),
    users: new TypeOrmUserRepository(manager),
    categories: new SqlCategoryRepository(manager),
  };
}

/** One PostgreSQL transaction (READ COMMITTED, row locks for changes) per unit of work. */
export class TypeOrmUnitOfWork extends UnitOfWork {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  run<T>(work: (tx: TransactionScope) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      const pending = new PendingAppends();
      const result = await work(scopeOf(manager, pending));
      await pending.flush(manager);
      return result;
    });
  }
}
