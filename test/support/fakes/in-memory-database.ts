import { AsyncLocalStorage } from 'node:async_hooks';
import type { Category } from '../../../src/core/categories/category.js';
import type { Actor } from '../../../src/core/identity/actor.js';
import type { Role } from '../../../src/core/identity/role.js';
import type { User } from '../../../src/core/identity/user.js';
import type { DomainEvent } from '../../../src/core/shared/domain-event.js';
import type { ActivityEntry } from '../../../src/core/tickets/activity.js';
import type { Comment } from '../../../src/core/tickets/comment.js';
import { Ticket, type TicketSnapshot } from '../../../src/core/tickets/ticket.js';
import { actorOf, aUser } from '../factories/identity.factory.js';
import { InMemoryGroupRepository } from './in-memory-groups.js';
import { InMemoryWebhookRepository } from './in-memory-webhooks.js';
import { InMemoryTriageModelStore, InMemoryTriageResultRepository } from './in-memory-triage.js';
import { InMemorySlaPolicyRepository } from './in-memory-sla.js';
import { InMemoryCategoryRepository, InMemoryUserRepository } from './in-memory-repositories.js';
import { insertCategoryRow, insertTicketRow, insertUserRow } from './tables.js';
import type { IdempotencyRow, OutboxRow, Tables } from './tables.js';

const emptyTables = (): Tables => ({
  users: new Map(),
  categories: new Map(),
  tickets: new Map(),
  comments: new Map(),
  activity: new Map(),
  outbox: new Map(),
  idempotency: new Map(),
  groups: new Map(),
  defaultGroups: new Map(),
  unavailable: new Set(),
  processed: new Set(),
  webhooks: new Map(),
  deliveries: new Map(),
  attempts: [],
  triageResults: new Map(),
  triageModels: [],
  triageModelVersion: 0,
  slaPolicies: new Map(),
  ticketSla: new Map(),
  slaEvents: [],
});

const copy = <T>(value: T): T => structuredClone(value);

/**
 * The state behind the in-memory adapters, standing in for the PostgreSQL database.
 *
 * - `transaction` works on a copy of the committed tables and swaps it in only when the work resolves, so a thrown
 *   error rolls everything back. Transactions run one at a time, which also gives `lockById` its meaning.
 * - Constraints follow the schema in migrations/: primary keys, the unique indexes (local email, category name per
 *   parent, idempotency key per actor) and foreign keys, raising what the SQL adapters raise.
 * - The ticket-number sequence is not transactional, like `nextval`: a rolled-back number is never handed out again.
 * - The seeding helpers (`addUser`, …) write committed rows directly, checking the same constraints; the inspection
 *   helpers (`ticket(id)`, `outbox()`, …) return copies of committed rows.
 */
export class InMemoryDatabase {
  private committed: Tables = emptyTables();
  private lastTicketNumber = 999;
  private queue: Promise<void> = Promise.resolve();
  private readonly inTransaction = new AsyncLocalStorage<true>();

  /** Repositories outside any unit of work: each call is its own transaction (autocommit), as on a DataSource. */
  readonly autocommit = {
    users: this.autocommitted((tables) => new InMemoryUserRepository(tables)),
    categories: this.autocommitted((tables) => new InMemoryCategoryRepository(tables)),
    groups: this.autocommitted((tables) => new InMemoryGroupRepository(tables)),
    webhooks: this.autocommitted((tables) => new InMemoryWebhookRepository(tables)),
    triage: this.autocommitted((tables) => new InMemoryTriageResultRepository(tables)),
    triageModels: this.autocommitted((tables) => new InMemoryTriageModelStore(tables)),
    slaPolicies: this.autocommitted((tables) => new InMemorySlaPolicyRepository(tables)),
  };

  /** Runs `work` on a private copy of the tables; commits when it resolves, discards the copy when it throws. */
  async transaction<T>(work: (tables: () => Tables) => Promise<T>): Promise<T> {
    if (this.inTransaction.getStore()) {
      throw new Error(
        'InMemoryDatabase: a transaction was started inside another one (nested UnitOfWork.run, or an autocommit ' +
          'repository used inside a unit of work); use the TransactionScope you were given',
      );
    }
    const previous = this.queue;
    let release!: () => void;
    this.queue = new Promise<void>((resolve) => (release = resolve));
    await previous;
    const draft = copy(this.committed);
    let open = true;
    const tables = () => {
      if (!open) throw new Error('InMemoryDatabase: this transaction has already ended');
      return draft;
    };
    try {
      const result = await this.inTransaction.run(true, () => work(tables));
      this.committed = draft;
      return result;
    } finally {
      open = false;
      release();
    }
  }

  /** `nextval('ticket_number_seq')`: starts at 1000, never rolled back. */
  nextTicketNumber(): number {
    return ++this.lastTicketNumber;
  }

  // --- seeding (committed immediately) ------------------------------------------------------------------------------

  addUser(user: User, passwordHash: string | null = null): User {
    this.assertIdle();
    insertUserRow(this.committed, copy(user), passwordHash);
    return user;
  }

  /** Seeds an active user with this role and returns the actor for it. */
  addActor(role: Role, overrides: Partial<User> = {}): Actor {
    return actorOf(this.addUser(aUser({ role, ...overrides })));
  }

  addCategory(category: Category): Category {
    this.assertIdle();
    insertCategoryRow(this.committed, copy(category));
    return category;
  }

  addTicket(ticket: Ticket | TicketSnapshot): Ticket {
    this.assertIdle();
    const snapshot = ticket instanceof Ticket ? ticket.snapshot() : ticket;
    insertTicketRow(this.committed, copy(snapshot));
    this.lastTicketNumber = Math.max(this.lastTicketNumber, snapshot.number);
    return Ticket.restore(copy(snapshot));
  }

  // --- inspection (copies of committed rows) ------------------------------------------------------------------------

  ticket(id: string): TicketSnapshot | undefined {
    return copy(this.committed.tickets.get(id));
  }

  tickets(): TicketSnapshot[] {
    return copy([...this.committed.tickets.values()]);
  }

  comments(ticketId?: string): Comment[] {
    return copy([...this.committed.comments.values()].filter((c) => ticketId === undefined || c.ticketId === ticketId));
  }

  /** Activity entries as stored: `from`/`to` went through JSON, like the jsonb columns. */
  activity(ticketId?: string): ActivityEntry[] {
    return copy([...this.committed.activity.values()].filter((a) => ticketId === undefined || a.ticketId === ticketId));
  }

  /** Outbox events as stored: the payload went through JSON, like the jsonb column. */
  outbox(): (DomainEvent & Pick<OutboxRow, 'sentAt'>)[] {
    return copy([...this.committed.outbox.values()]);
  }

  user(id: string): User | undefined {
    return copy(this.committed.users.get(id)?.user);
  }

  users(): User[] {
    return copy([...this.committed.users.values()].map((r) => r.user));
  }

  passwordHash(userId: string): string | null | undefined {
    return this.committed.users.get(userId)?.passwordHash;
  }

  category(id: string): Category | undefined {
    return copy(this.committed.categories.get(id));
  }

  categories(): Category[] {
    return copy([...this.committed.categories.values()]);
  }

  idempotencyKeys(): IdempotencyRow[] {
    return copy([...this.committed.idempotency.values()]);
  }

  /** Committed tables for read-only adapters (the ticket queries); callers must not mutate them. */
  readCommitted(): Tables {
    return this.committed;
  }

  private assertIdle(): void {
    if (this.inTransaction.getStore()) throw new Error('InMemoryDatabase: seed data before or after a unit of work');
  }

  private autocommitted<R extends object>(make: (tables: () => Tables) => R): R {
    const prototype = make(() => {
      throw new Error('InMemoryDatabase: autocommit repository used without a transaction');
    });
    return new Proxy(prototype, {
      get: (target, property, receiver) => {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) =>
          this.transaction((tables) => {
            const repository = make(tables) as Record<PropertyKey, (...a: unknown[]) => Promise<unknown>>;
            return repository[property]!(...args);
          });
      },
    });
  }
}
