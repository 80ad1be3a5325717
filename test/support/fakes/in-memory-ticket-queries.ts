import { InvalidInputError } from '../../../src/core/shared/domain-error.js';
import type { Page } from '../../../src/core/shared/paging.js';
import type { ActivityEntry } from '../../../src/core/tickets/activity.js';
import type { Comment } from '../../../src/core/tickets/comment.js';
import type { Priority } from '../../../src/core/tickets/priority-matrix.js';
import type { TicketSnapshot } from '../../../src/core/tickets/ticket.js';
import { TicketQueries, type TicketListQuery, type TicketSortField } from '../../../src/core/tickets/ticket-queries.port.js';
import type { InMemoryDatabase } from './in-memory-database.js';
import { decodeCursor, encodeCursor } from '../../../src/adapters/persistence/keyset-cursor.js';
import { compareText } from './in-memory-repositories.js';

/** The generated `priority_rank` column: critical sorts first ascending. */
const PRIORITY_RANK: Record<Priority, number> = { critical: 0, high: 1, medium: 2, low: 3 };

const sortKey: Record<TicketSortField, (t: TicketSnapshot) => number> = {
  createdAt: (t) => t.createdAt.getTime(),
  updatedAt: (t) => t.updatedAt.getTime(),
  priority: (t) => PRIORITY_RANK[t.priority],
};

/** `to_tsvector('simple', unaccent(…))` approximated: lower-cased, accents stripped, split into words. */
const words = (text: string): string[] =>
  text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);

/**
 * The read side over the committed rows of an InMemoryDatabase, with SqlTicketQueries' semantics: lists leave out
 * soft-deleted tickets, keyset pages over (sort key, id), cursors bound to the sort order. Full-text `q` is
 * approximated as "every word of q occurs as a word of title + description" (no websearch operators).
 */
export class InMemoryTicketQueries extends TicketQueries {
  constructor(private readonly db: InMemoryDatabase) {
    super();
  }

  async getById(id: string): Promise<TicketSnapshot | null> {
    return this.db.ticket(id) ?? null;
  }

  async list(q: TicketListQuery): Promise<Page<TicketSnapshot>> {
    const signature = `${q.sort.field}:${q.sort.direction}`;
    const key = sortKey[q.sort.field];
    const matching = this.db.tickets().filter((t) => matches(t, q));
    const sign = q.sort.direction === 'desc' ? -1 : 1;
    matching.sort((a, b) => sign * (key(a) - key(b) || compareText(a.id, b.id)));
    let rest = matching;
    if (q.cursor) {
      const after = decodeCursor(q.cursor, 3);
      if (!after || after[0] !== signature) throw new InvalidInputError('cursor', 'is not a cursor for this sort order');
      const [, afterKey, afterId] = after as [string, number, string];
      rest = matching.filter((t) => sign * (key(t) - afterKey || compareText(t.id, afterId)) > 0);
    }
    const items = rest.slice(0, q.limit);
    const last = items.at(-1);
    const page: Page<TicketSnapshot> = {
      items,
      nextCursor: rest.length > q.limit && last ? encodeCursor([signature, key(last), last.id]) : null,
    };
    if (q.includeTotal) page.total = matching.length;
    return page;
  }

  async comments(ticketId: string, includeInternal: boolean): Promise<Comment[]> {
    return this.db
      .comments(ticketId)
      .filter((c) => includeInternal || !c.internal)
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || compareText(a.id, b.id));
  }

  async activity(ticketId: string, includeInternal: boolean): Promise<ActivityEntry[]> {
    return this.db
      .activity(ticketId)
      .filter((a) => includeInternal || !a.internal)
      // Stable sort: entries of the same instant stay in the order they were recorded (the SQL adapter's seq).
      .sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  }
}

function matches(t: TicketSnapshot, q: TicketListQuery): boolean {
  if (t.deletedAt !== null) return false;
  if (q.status?.length && !q.status.includes(t.status)) return false;
  if (q.priority?.length && !q.priority.includes(t.priority)) return false;
  if (q.severity?.length && !q.severity.includes(t.severity)) return false;
  if (q.categoryId && t.categoryId !== q.categoryId && t.subcategoryId !== q.categoryId) return false;
  if (q.assigneeId === null && t.assigneeId !== null) return false;
  if (q.assigneeId && t.assigneeId !== q.assigneeId) return false;
  if (q.requesterId && t.requesterId !== q.requesterId) return false;
  if (q.tag && !t.tags.includes(q.tag)) return false;
  if (q.q) {
    const text = new Set(words(`${t.title} ${t.description}`));
    if (!words(q.q).every((w) => text.has(w))) return false;
  }
  if (q.createdFrom && t.createdAt < q.createdFrom) return false;
  if (q.createdTo && t.createdAt >= q.createdTo) return false;
  return true;
}
