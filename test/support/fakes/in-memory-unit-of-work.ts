import { UnitOfWork, type TransactionScope } from '../../../src/core/shared/unit-of-work.port.js';
import { InMemoryDatabase } from './in-memory-database.js';
import {
  InMemoryActivityLog,
  InMemoryCategoryRepository,
  InMemoryCommentRepository,
  InMemoryIdempotencyStore,
  InMemoryOutbox,
  InMemoryTicketRepository,
  InMemoryUserRepository,
} from './in-memory-repositories.js';
import type { Tables } from './tables.js';
import { InMemoryGroupRepository, InMemoryProcessedEvents } from './in-memory-groups.js';
import { InMemoryWebhookRepository } from './in-memory-webhooks.js';
import { InMemoryTriageResultRepository } from './in-memory-triage.js';
import { InMemorySlaPolicyRepository, InMemoryTicketSlaRepository } from './in-memory-sla.js';

/**
 * The in-memory `UnitOfWork`: every `run` is one transaction of its `InMemoryDatabase`, so the work sees its own
 * writes, and they all become visible together when it resolves or vanish together when it throws.
 */
export class InMemoryUnitOfWork extends UnitOfWork {
  constructor(readonly db: InMemoryDatabase = new InMemoryDatabase()) {
    super();
  }

  run<T>(work: (tx: TransactionScope) => Promise<T>): Promise<T> {
    return this.db.transaction((tables) => work(this.scopeOf(tables)));
  }

  private scopeOf(tables: () => Tables): TransactionScope {
    return {
      tickets: new InMemoryTicketRepository(tables, () => this.db.nextTicketNumber()),
      comments: new InMemoryCommentRepository(tables),
      activity: new InMemoryActivityLog(tables),
      outbox: new InMemoryOutbox(tables),
      idempotency: new InMemoryIdempotencyStore(tables),
      users: new InMemoryUserRepository(tables),
      categories: new InMemoryCategoryRepository(tables),
      groups: new InMemoryGroupRepository(tables),
      processed: new InMemoryProcessedEvents(tables),
      webhooks: new InMemoryWebhookRepository(tables),
      triage: new InMemoryTriageResultRepository(tables),
      slaPolicies: new InMemorySlaPolicyRepository(tables),
      ticketSla: new InMemoryTicketSlaRepository(tables),
    };
  }
}
