import { isStaff, type Actor } from '../identity/actor.js';
import { ForbiddenError, InvalidInputError } from '../shared/domain-error.js';
import { checkText, codePointLength, textProblem } from '../shared/text.js';
import { IllegalTransitionError, TicketClosedError } from './ticket.errors.js';
import { PriorityMatrix, type Priority, type Severity, type Urgency } from './priority-matrix.js';
import { canTransition, TRANSITIONS, type TicketStatus } from './ticket-status.js';

export interface PriorityOverride {
  by: string;
  at: Date;
}

export interface TicketSnapshot {
  id: string;
  number: number;
  title: string;
  description: string;
  status: TicketStatus;
  priority: Priority;
  priorityOverride: PriorityOverride | null;
  severity: Severity;
  urgency: Urgency;
  categoryId: string | null;
  subcategoryId: string | null;
  requesterId: string;
  assigneeId: string | null;
  groupId: string | null;
  tags: string[];
  createdAt: Date;
  updatedAt: Date;
  resolvedAt: Date | null;
  closedAt: Date | null;
  deletedAt: Date | null;
  version: number;
}

export type PriorityReason =
  | { source: 'matrix'; severity: Severity; urgency: Urgency }
  | { source: 'override'; by: string; at: Date };

/** One recorded change, written to the activity log by the use case in the same transaction. */
export interface TicketChange {
  type: 'created' | 'field_changed' | 'status_changed' | 'assigned' | 'deleted' | 'restored';
  field?: string;
  from?: unknown;
  to?: unknown;
}

export interface TicketFields {
  title: string;
  description: string;
  severity: Severity;
  urgency: Urgency;
  categoryId: string | null;
  subcategoryId: string | null;
  tags: string[];
}

/** Editable fields; `priority: null` clears an override; `groupId` is staff-only (null leaves every group). */
export type TicketPatch = Partial<TicketFields> & { priority?: Priority | null; groupId?: string | null };

export const TITLE_MAX = 200;
export const DESCRIPTION_MAX = 20_000;
export const TAGS_MAX = 20;
export const TAG_MAX_LENGTH = 50;

const REQUESTER_EDITABLE: ReadonlySet<keyof TicketPatch> = new Set(['title', 'description', 'tags']);

function normaliseTags(tags: string[]): string[] {
  const unique = [...new Set(tags.map((t) => t.trim()).filter((t) => t.length > 0))];
  if (unique.length > TAGS_MAX) throw new InvalidInputError('tags', `at most ${TAGS_MAX} tags`);
  for (const tag of unique) {
    const problem = textProblem(tag);
    if (problem) throw new InvalidInputError('tags', `each tag ${problem}`);
    if (codePointLength(tag) > TAG_MAX_LENGTH) throw new InvalidInputError('tags', `each tag is at most ${TAG_MAX_LENGTH} characters`);
  }
  return unique;
}

const sameValue = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export class Ticket {
  private constructor(private state: TicketSnapshot) {}

  static open(
    input: TicketFields & { id: string; number: number; requesterId: string; priority?: Priority },
    actor: Actor,
    matrix: PriorityMatrix,
    now: Date,
  ): Ticket {
    if (input.priority !== undefined && !isStaff(actor)) {
      throw new ForbiddenError('Only agents and admins can set a priority', 'PRIORITY_FORBIDDEN');
    }
    const override = input.priority !== undefined ? { by: actor.id, at: now } : null;
    return new Ticket({
      id: input.id,
      number: input.number,
      title: checkText('title', input.title, { max: TITLE_MAX }),
      description: checkText('description', input.description, { max: DESCRIPTION_MAX, multiline: true }),
      status: 'new',
      priority: input.priority ?? matrix.derive(input.severity, input.urgency),
      priorityOverride: override,
      severity: input.severity,
      urgency: input.urgency,
      categoryId: input.categoryId,
      subcategoryId: input.subcategoryId,
      requesterId: input.requesterId,
      assigneeId: null,
      groupId: null,
      tags: normaliseTags(input.tags),
      createdAt: now,
      updatedAt: now,
      resolvedAt: null,
      closedAt: null,
      deletedAt: null,
      version: 1,
    });
  }

  static restore(snapshot: TicketSnapshot): Ticket {
    return new Ticket({ ...snapshot, tags: [...snapshot.tags] });
  }

  snapshot(): TicketSnapshot {
    return { ...this.state, tags: [...this.state.tags] };
  }

  get id(): string {
    return this.state.id;
  }
  get requesterId(): string {
    return this.state.requesterId;
  }
  get status(): TicketStatus {
    return this.state.status;
  }
  get version(): number {
    return this.state.version;
  }
  get isDeleted(): boolean {
    return this.state.deletedAt !== null;
  }

  priorityReason(): PriorityReason {
    const { priorityOverride: o, severity, urgency } = this.state;
    return o ? { source: 'override', by: o.by, at: o.at } : { source: 'matrix', severity, urgency };
  }

  /** Applies a patch under the edit rules; returns the field changes (empty when nothing changed). */
  update(actor: Actor, patch: TicketPatch, matrix: PriorityMatrix, now: Date): TicketChange[] {
    this.assertOpenForChange();
    const keys = (Object.keys(patch) as (keyof TicketPatch)[]).filter((k) => patch[k] !== undefined);
    if (!isStaff(actor)) {
      if (keys.includes('priority')) {
        throw new ForbiddenError('Only agents and admins can set a priority', 'PRIORITY_FORBIDDEN');
      }
      const denied = keys.filter((k) => !REQUESTER_EDITABLE.has(k));
      if (denied.length) {
        throw new ForbiddenError(`Requesters can change only title, description and tags (not ${denied.join(', ')})`);
      }
    }
    const next: TicketSnapshot = { ...this.state };
    if (patch.title !== undefined) next.title = checkText('title', patch.title, { max: TITLE_MAX });
    if (patch.description !== undefined) {
      next.description = checkText('description', patch.description, { max: DESCRIPTION_MAX, multiline: true });
    }
    if (patch.tags !== undefined) next.tags = normaliseTags(patch.tags);
    if (patch.severity !== undefined) next.severity = patch.severity;
    if (patch.urgency !== undefined) next.urgency = patch.urgency;
    if (patch.categoryId !== undefined) next.categoryId = patch.categoryId;
    if (patch.subcategoryId !== undefined) next.subcategoryId = patch.subcategoryId;
    if (patch.groupId !== undefined) next.groupId = patch.groupId;
    if (patch.priority === null) next.priorityOverride = null;
    else if (patch.priority !== undefined) {
      next.priority = patch.priority;
      next.priorityOverride = { by: actor.id, at: now };
    }
    if (!next.priorityOverride) next.priority = matrix.derive(next.severity, next.urgency);

    const fields = [
      'title',
      'description',
      'tags',
      'severity',
      'urgency',
      'categoryId',
      'subcategoryId',
      'groupId',
      'priority',
    ] as const;
    const changes: TicketChange[] = fields
      .filter((f) => !sameValue(this.state[f], next[f]))
      .map((f) => ({ type: 'field_changed', field: f, from: this.state[f], to: next[f] }));
    const overrideChanged = (this.state.priorityOverride === null) !== (next.priorityOverride === null);
    if (overrideChanged) {
      changes.push({
        type: 'field_changed',
        field: 'priorityOverride',
        from: this.state.priorityOverride !== null,
        to: next.priorityOverride !== null,
      });
    }
    if (changes.length) this.state = this.touched(next, now);
    return changes;
  }

  changeStatus(actor: Actor, to: TicketStatus, now: Date): TicketChange {
    const from = this.state.status;
    if (!isStaff(actor)) {
      const reopen = from === 'resolved' && to === 'open';
      if (!reopen && to !== 'closed') {
        throw new ForbiddenError('Requesters can only reopen a resolved ticket or close their own ticket');
      }
    }
    if (!canTransition(from, to)) throw new IllegalTransitionError(from, to, TRANSITIONS[from]);
    this.state = this.touched(
      {
        ...this.state,
        status: to,
        resolvedAt: to === 'resolved' ? now : to === 'closed' ? this.state.resolvedAt : null,
        closedAt: to === 'closed' ? now : null,
      },
      now,
    );
    return { type: 'status_changed', field: 'status', from, to };
  }

  /** Staff only; the use case has checked that the assignee is an active agent or admin. */
  assignTo(actor: Actor, assigneeId: string | null, now: Date): TicketChange | null {
    if (!isStaff(actor)) throw new ForbiddenError('Only agents and admins can assign tickets', 'ASSIGN_FORBIDDEN');
    this.assertOpenForChange();
    if (this.state.assigneeId === assigneeId) return null;
    const from = this.state.assigneeId;
    this.state = this.touched({ ...this.state, assigneeId }, now);
    return { type: 'assigned', field: 'assigneeId', from, to: assigneeId };
  }

  /** Routing by the pipeline (a category's default group); agents move tickets with `update`. */
  moveToGroup(groupId: string, now: Date): TicketChange | null {
    this.assertOpenForChange();
    if (this.state.groupId === groupId) return null;
    const from = this.state.groupId;
    this.state = this.touched({ ...this.state, groupId }, now);
    return { type: 'field_changed', field: 'groupId', from, to: groupId };
  }

  /**
   * A public reply changes the conversation: the ticket's `updatedAt` and version move with it. An internal note
   * leaves both alone: the requester sees them, and must not learn that a hidden note was written.
   */
  recordComment(now: Date, internal: boolean): void {
    this.assertOpenForChange();
    if (!internal) this.state = this.touched({ ...this.state }, now);
  }

  softDelete(now: Date): TicketChange | null {
    if (this.state.deletedAt) return null;
    this.state = this.touched({ ...this.state, deletedAt: now }, now);
    return { type: 'deleted' };
  }

  restoreDeleted(now: Date): TicketChange | null {
    if (!this.state.deletedAt) return null;
    this.state = this.touched({ ...this.state, deletedAt: null }, now);
    return { type: 'restored' };
  }

  private assertOpenForChange(): void {
    if (this.state.status === 'closed') throw new TicketClosedError();
  }

  private touched(next: TicketSnapshot, now: Date): TicketSnapshot {
    return { ...next, updatedAt: now, version: this.state.version + 1 };
  }
}
