import { randomUUID } from 'node:crypto';
import type { Category } from '../../../src/core/categories/category.js';
import { CategoryRepository, type CategoryUsage } from '../../../src/core/categories/category-repository.port.js';
import type { User } from '../../../src/core/identity/user.js';
import {
  UserRepository,
  type ExternalIdentity,
  type UserListQuery,
} from '../../../src/core/identity/user-repository.port.js';
import { Outbox, type DomainEvent } from '../../../src/core/shared/domain-event.js';
import { InvalidInputError } from '../../../src/core/shared/domain-error.js';
import type { Page } from '../../../src/core/shared/paging.js';
import type { ActivityEntry } from '../../../src/core/tickets/activity.js';
import type { Comment } from '../../../src/core/tickets/comment.js';
import { Ticket, type TicketSnapshot } from '../../../src/core/tickets/ticket.js';
import {
  ActivityLog,
  CommentRepository,
  IdempotencyStore,
  TicketRepository,
  type IdempotencyRecord,
} from '../../../src/core/tickets/ticket-repository.port.js';
import {
  categoryUsage,
  deleteCategoryRow,
  idempotencyKeyOf,
  insertActivityRow,
  insertCategoryRow,
  insertCommentRow,
  insertOutboxRow,
  insertTicketRow,
  insertUserRow,
  updateCategoryRow,
  updateTicketRow,
  type Tables,
} from './tables.js';
// The same opaque cursors as the SQL adapters.
import { decodeCursor, encodeCursor } from '../../../src/adapters/persistence/keyset-cursor.js';

/** Rows cross the repository boundary as copies, as they would through SQL. */
const copy = <T>(value: T): T => structuredClone(value);

/** Row order of `ORDER BY a, b` for text/uuid keys (byte order, as the C collation of the test databases). */
export const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export class InMemoryTicketRepository extends TicketRepository {
  constructor(
    private readonly tables: () => Tables,
    private readonly sequence: () => number,
  ) {
    super();
  }

  async nextNumber(): Promise<number> {
    return this.sequence();
  }

  /** Transactions run one at a time, so reading is locking. */
  lockById(id: string): Promise<Ticket | null> {
    return this.findById(id);
  }

  async findById(id: string): Promise<Ticket | null> {
    const row = this.tables().tickets.get(id);
    return row ? Ticket.restore(copy(row)) : null;
  }

  async insert(ticket: Ticket): Promise<void> {
    insertTicketRow(this.tables(), copy(ticket.snapshot()));
  }

  async save(ticket: Ticket): Promise<void> {
    updateTicketRow(this.tables(), copy(ticket.snapshot()));
  }
}

export class InMemoryCommentRepository extends CommentRepository {
  constructor(private readonly tables: () => Tables) {
    super();
  }

  async insert(comment: Comment): Promise<void> {
    insertCommentRow(this.tables(), copy(comment));
  }
}

export class InMemoryActivityLog extends ActivityLog {
  constructor(private readonly tables: () => Tables) {
    super();
  }

  async append(...entries: ActivityEntry[]): Promise<void> {
    for (const entry of entries) insertActivityRow(this.tables(), copy(entry));
  }
}

export class InMemoryOutbox extends Outbox {
  constructor(private readonly tables: () => Tables) {
    super();
  }

  async append(...events: DomainEvent[]): Promise<void> {
    for (const event of events) insertOutboxRow(this.tables(), copy(event));
  }
}

export class InMemoryIdempotencyStore extends IdempotencyStore {
  constructor(private readonly tables: () => Tables) {
    super();
  }

  /** INSERT … ON CONFLICT (actor_id, key) DO NOTHING; on conflict, the earlier row. */
  async claim(actorId: string, key: string, record: IdempotencyRecord, now: Date): Promise<IdempotencyRecord | null> {
    const rows = this.tables().idempotency;
    const earlier = rows.get(idempotencyKeyOf(actorId, key));
    if (earlier) {
      const { requestHash, ticketId, result } = earlier;
      return { requestHash, ticketId, ...(result ? { result: copy(result) } : {}) };
    }
    rows.set(idempotencyKeyOf(actorId, key), {
      actorId,
      key,
      requestHash: record.requestHash,
      ticketId: record.ticketId,
      createdAt: new Date(now),
    });
    return null;
  }

  async complete(actorId: string, key: string, result: TicketSnapshot): Promise<void> {
    const row = this.tables().idempotency.get(idempotencyKeyOf(actorId, key));
    if (row) row.result = copy(result);
  }
}

export class InMemoryUserRepository extends UserRepository {
  constructor(private readonly tables: () => Tables) {
    super();
  }

  async findById(id: string): Promise<User | null> {
    return copy(this.tables().users.get(id)?.user ?? null);
  }

  /** Local accounts only, case-insensitively (`lower(email) = lower($1) AND external_id IS NULL`). */
  async findByEmail(email: string): Promise<User | null> {
    const wanted = email.toLowerCase();
    const row = [...this.tables().users.values()].find(
      (r) => r.user.externalId === null && r.user.email?.toLowerCase() === wanted,
    );
    return copy(row?.user ?? null);
  }

  /** Inserts, or updates email/name/role (and updated_at) only when a claim changed; `active` stays ours. */
  async upsertExternal(identity: ExternalIdentity, now: Date): Promise<User> {
    const t = this.tables();
    const row = [...t.users.values()].find((r) => r.user.externalId === identity.externalId);
    if (!row) {
      const user: User = {
        id: randomUUID(),
        externalId: identity.externalId,
        email: identity.email,
        name: identity.name,
        role: identity.role,
        active: true,
        createdAt: new Date(now),
        updatedAt: new Date(now),
      };
      insertUserRow(t, user, null);
      return copy(user);
    }
    const { user } = row;
    if (user.email !== identity.email || user.name !== identity.name || user.role !== identity.role) {
      row.user = { ...user, email: identity.email, name: identity.name, role: identity.role, updatedAt: new Date(now) };
    }
    return copy(row.user);
  }

  async insert(user: User, passwordHash: string | null): Promise<void> {
    insertUserRow(this.tables(), copy(user), passwordHash);
  }

  /** `UPDATE users SET role, active, updated_at`: nothing else changes; a missing row changes nothing. */
  async update(user: User): Promise<void> {
    const row = this.tables().users.get(user.id);
    if (row) row.user = { ...row.user, role: user.role, active: user.active, updatedAt: new Date(user.updatedAt) };
  }

  async passwordHashOf(userId: string): Promise<string | null> {
    return this.tables().users.get(userId)?.passwordHash ?? null;
  }

  /** Filters as the SQL adapter; keyset pages ordered by (name, id). */
  async list(query: UserListQuery): Promise<Page<User>> {
    let users = [...this.tables().users.values()].map((r) => r.user);
    if (query.role) users = users.filter((u) => u.role === query.role);
    if (query.active !== undefined) users = users.filter((u) => u.active === query.active);
    if (query.q) {
      const q = query.q.toLowerCase();
      users = users.filter((u) => u.name.toLowerCase().includes(q) || (u.email ?? '').toLowerCase().includes(q));
    }
    users.sort((a, b) => compareText(a.name, b.name) || compareText(a.id, b.id));
    if (query.cursor) {
      const after = decodeCursor(query.cursor, 2);
      if (!after) throw new InvalidInputError('cursor', 'is not a cursor this API issued');
      const [name, id] = after as [string, string];
      users = users.filter((u) => compareText(u.name, name) > 0 || (u.name === name && compareText(u.id, id) > 0));
    }
    const items = users.slice(0, query.limit);
    const last = items.at(-1);
    return {
      items: copy(items),
      nextCursor: users.length > query.limit && last ? encodeCursor([last.name, last.id]) : null,
    };
  }
}

export class InMemoryCategoryRepository extends CategoryRepository {
  constructor(private readonly tables: () => Tables) {
    super();
  }

  async findById(id: string): Promise<Category | null> {
    return copy(this.tables().categories.get(id) ?? null);
  }

  /** Transactions run one at a time, so reading is locking. */
  lockById(id: string): Promise<Category | null> {
    return this.findById(id);
  }

  /** `ORDER BY parent_id NULLS FIRST, lower(name), id`. */
  async list(): Promise<Category[]> {
    const categories = [...this.tables().categories.values()];
    categories.sort(
      (a, b) =>
        (a.parentId === null ? 0 : 1) - (b.parentId === null ? 0 : 1) ||
        compareText(a.parentId ?? '', b.parentId ?? '') ||
        compareText(a.name.toLowerCase(), b.name.toLowerCase()) ||
        compareText(a.id, b.id),
    );
    return copy(categories);
  }

  async insert(category: Category): Promise<void> {
    insertCategoryRow(this.tables(), copy(category));
  }

  async update(category: Category): Promise<void> {
    updateCategoryRow(this.tables(), copy(category));
  }

  async usage(id: string): Promise<CategoryUsage> {
    return categoryUsage(this.tables(), id);
  }

  async delete(id: string): Promise<void> {
    deleteCategoryRow(this.tables(), id);
  }
}
