import type { DataSource, EntityManager } from 'typeorm';
import { UnitOfWork, type TransactionScope } from '../../core/shared/unit-of-work.port.js';
import { SqlCategoryRepository } from './sql-category.repository.js';
import { SqlActivityLog, SqlCommentRepository, SqlIdempotencyStore, SqlOutbox } from './sql-ticket-records.js';
import { SqlTicketRepository } from './sql-ticket.repository.js';
import { TypeOrmUserRepository } from './typeorm-user.repository.js';

function scopeOf(manager: EntityManager): TransactionScope {
  return {
    tickets: new SqlTicketRepository(manager),
    comments: new SqlCommentRepository(manager),
    activity: new SqlActivityLog(manager),
    outbox: new SqlOutbox(manager),
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
    return this.dataSource.transaction((manager) => work(scopeOf(manager)));
  }
}
