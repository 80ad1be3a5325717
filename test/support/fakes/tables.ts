import { CategoryInUseError, CategoryNameTakenError } from '../../../src/core/categories/category.errors.js';
import type { Group } from '../../../src/core/assignment/group.js';
import type { DeliveryAttempt, Webhook, WebhookDelivery } from '../../../src/core/webhooks/webhook.js';
import type { Category } from '../../../src/core/categories/category.js';
import { EmailTakenError } from '../../../src/core/identity/identity.errors.js';
import type { User } from '../../../src/core/identity/user.js';
import type { DomainEvent } from '../../../src/core/shared/domain-event.js';
import type { ActivityEntry } from '../../../src/core/tickets/activity.js';
import type { Comment } from '../../../src/core/tickets/comment.js';
import type { TicketSnapshot } from '../../../src/core/tickets/ticket.js';
import type { TriageResult } from '../../../src/core/triage/triage-result.js';
import type { TriageModelRow } from './in-memory-triage.js';
import type { SlaPolicy } from '../../../src/core/sla/sla-policy-repository.port.js';
import type { RecordedSlaEvent, TicketSla } from '../../../src/core/sla/ticket-sla.js';

/** The rows of the schema in migrations/, one Map per table (insertion-ordered, keyed by primary key). */
export interface Tables {
  users: Map<string, UserRow>;
  categories: Map<string, Category>;
  tickets: Map<string, TicketSnapshot>;
  comments: Map<string, Comment>;
  activity: Map<string, ActivityEntry>;
  outbox: Map<string, OutboxRow>;
  /** Keyed by `idempotencyKeyOf(actorId, key)`. */
  idempotency: Map<string, IdempotencyRow>;
  groups: Map<string, Group>;
  /** categories.default_group_id: category id → group id. */
  defaultGroups: Map<string, string>;
  /** users.available = false. */
  unavailable: Set<string>;
  /** processed_events, as `consumer/eventId`. */
  processed: Set<string>;
  webhooks: Map<string, Webhook>;
  deliveries: Map<string, WebhookDelivery>;
  attempts: DeliveryAttempt[];
  /** triage_results, by ticket id. */
  triageResults: Map<string, TriageResult>;
  /** triage_models, oldest first, and the last version handed out (the identity column). */
  triageModels: TriageModelRow[];
  triageModelVersion: number;
  slaPolicies: Map<string, SlaPolicy>;
  /** ticket_sla, keyed by ticket id. */
  ticketSla: Map<string, TicketSla>;
  slaEvents: RecordedSlaEvent[];
}

export interface UserRow {
  user: User;
  passwordHash: string | null;
}

export interface OutboxRow extends DomainEvent {
  sentAt: Date | null;
}

export interface IdempotencyRow {
  actorId: string;
  key: string;
  requestHash: string;
  ticketId: string;
  createdAt: Date;
  result?: TicketSnapshot;
}

/** What PostgreSQL raises (SQLSTATE in `code`, as `pgCode()` in the adapters reads it). */
export class UniqueViolation extends Error {
  readonly code = '23505';
  constructor(constraint: string) {
    super(`duplicate key value violates unique constraint "${constraint}"`);
    this.name = 'UniqueViolation';
  }
}

export class ForeignKeyViolation extends Error {
  readonly code = '23503';
  constructor(column: string, value: string) {
    super(`insert or update violates foreign key constraint on ${column}: ${value} does not exist`);
    this.name = 'ForeignKeyViolation';
  }
}

export const idempotencyKeyOf = (actorId: string, key: string) => JSON.stringify([actorId, key]);

/** jsonb round trip: what a reader gets back for a value written to a jsonb column (`undefined` stores NULL). */
export const asJsonb = (value: unknown): unknown =>
  value === null || value === undefined ? null : JSON.parse(JSON.stringify(value));

function references(table: Map<string, unknown>, id: string | null, column: string): void {
  if (id !== null && !table.has(id)) throw new ForeignKeyViolation(column, id);
}

// --- users ----------------------------------------------------------------------------------------------------------

/** users_local_email_uq: `lower(email)` unique among local users (external_id IS NULL). */
function localEmailTaken(t: Tables, user: User): boolean {
  if (user.externalId !== null || user.email === null) return false;
  const email = user.email.toLowerCase();
  return [...t.users.values()].some(
    (r) => r.user.id !== user.id && r.user.externalId === null && r.user.email?.toLowerCase() === email,
  );
}

/** As TypeOrmUserRepository.insert: any unique violation (id, external_id, local email) is EmailTakenError. */
export function insertUserRow(t: Tables, user: User, passwordHash: string | null): void {
  const externalTaken =
    user.externalId !== null && [...t.users.values()].some((r) => r.user.externalId === user.externalId);
  if (t.users.has(user.id) || externalTaken || localEmailTaken(t, user)) throw new EmailTakenError();
  t.users.set(user.id, { user, passwordHash });
}

// --- categories -----------------------------------------------------------------------------------------------------

/** categories_name_uq: `(coalesce(parent_id, zero uuid), lower(name))`. */
function categoryNameTaken(t: Tables, category: Category): boolean {
  const name = category.name.toLowerCase();
  return [...t.categories.values()].some(
    (c) => c.id !== category.id && c.parentId === category.parentId && c.name.toLowerCase() === name,
  );
}

/** As SqlCategoryRepository: a unique violation (name at this level, or the id) is CategoryNameTakenError. */
export function insertCategoryRow(t: Tables, category: Category): void {
  if (t.categories.has(category.id) || categoryNameTaken(t, category)) throw new CategoryNameTakenError(category.name);
  references(t.categories, category.parentId, 'categories.parent_id');
  t.categories.set(category.id, category);
}

/** UPDATE … SET name, parent_id, updated_at WHERE id: a missing row changes nothing. */
export function updateCategoryRow(t: Tables, category: Category): void {
  const current = t.categories.get(category.id);
  if (!current) return;
  const next: Category = { ...current, name: category.name, parentId: category.parentId, updatedAt: category.updatedAt };
  if (categoryNameTaken(t, next)) throw new CategoryNameTakenError(category.name);
  references(t.categories, next.parentId, 'categories.parent_id');
  t.categories.set(next.id, next);
}

export function categoryUsage(t: Tables, id: string): { tickets: number; children: number } {
  // Counts soft-deleted tickets too: they still hold the foreign key.
  const tickets = [...t.tickets.values()].filter((x) => x.categoryId === id || x.subcategoryId === id).length;
  const children = [...t.categories.values()].filter((c) => c.parentId === id).length;
  return { tickets, children };
}

/** As SqlCategoryRepository.delete: a foreign-key violation (tickets or subcategories refer to it) is CategoryInUseError. */
export function deleteCategoryRow(t: Tables, id: string): void {
  const usage = categoryUsage(t, id);
  if (usage.tickets > 0 || usage.children > 0) throw new CategoryInUseError('tickets use it');
  t.categories.delete(id);
}

// --- tickets --------------------------------------------------------------------------------------------------------

function checkTicketReferences(t: Tables, s: TicketSnapshot): void {
  references(t.users, s.requesterId, 'tickets.requester_id');
  references(t.users, s.assigneeId, 'tickets.assignee_id');
  references(t.users, s.priorityOverride?.by ?? null, 'tickets.priority_override_by');
  references(t.categories, s.categoryId, 'tickets.category_id');
  references(t.categories, s.subcategoryId, 'tickets.subcategory_id');
}

export function insertTicketRow(t: Tables, snapshot: TicketSnapshot): void {
  if (t.tickets.has(snapshot.id)) throw new UniqueViolation('tickets_pkey');
  if ([...t.tickets.values()].some((x) => x.number === snapshot.number)) throw new UniqueViolation('tickets_number_key');
  checkTicketReferences(t, snapshot);
  t.tickets.set(snapshot.id, snapshot);
}

/** As SqlTicketRepository.save: everything but id, number and created_at; a missing row changes nothing. */
export function updateTicketRow(t: Tables, snapshot: TicketSnapshot): void {
  const current = t.tickets.get(snapshot.id);
  if (!current) return;
  const next: TicketSnapshot = { ...snapshot, id: current.id, number: current.number, createdAt: current.createdAt };
  checkTicketReferences(t, next);
  t.tickets.set(next.id, next);
}

// --- ticket records -------------------------------------------------------------------------------------------------

export function insertCommentRow(t: Tables, comment: Comment): void {
  if (t.comments.has(comment.id)) throw new UniqueViolation('ticket_comments_pkey');
  references(t.tickets, comment.ticketId, 'ticket_comments.ticket_id');
  references(t.users, comment.authorId, 'ticket_comments.author_id');
  t.comments.set(comment.id, comment);
}

export function insertActivityRow(t: Tables, entry: ActivityEntry): void {
  if (t.activity.has(entry.id)) throw new UniqueViolation('ticket_activity_pkey');
  references(t.tickets, entry.ticketId, 'ticket_activity.ticket_id');
  references(t.users, entry.actorId, 'ticket_activity.actor_id');
  t.activity.set(entry.id, { ...entry, from: asJsonb(entry.from), to: asJsonb(entry.to) });
}

export function insertOutboxRow(t: Tables, event: DomainEvent): void {
  if (t.outbox.has(event.id)) throw new UniqueViolation('outbox_pkey');
  t.outbox.set(event.id, { ...event, payload: asJsonb(event.payload) as Record<string, unknown>, sentAt: null });
}
