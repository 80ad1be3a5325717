import { describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/core/identity/actor.js';
import { ForbiddenError, InvalidInputError } from '../../../src/core/shared/domain-error.js';
import { PriorityMatrix } from '../../../src/core/tickets/priority-matrix.js';
import { IllegalTransitionError, TicketClosedError } from '../../../src/core/tickets/ticket.errors.js';
import { Ticket, type TicketFields, type TicketPatch } from '../../../src/core/tickets/ticket.js';
import { TICKET_STATUSES, type TicketStatus } from '../../../src/core/tickets/ticket-status.js';
import { anActor } from '../../support/factories/identity.factory.js';
import { aTicket } from '../../support/factories/ticket.factory.js';

const matrix = new PriorityMatrix();
const t0 = new Date('2025-05-05T08:00:00.000Z');
const t1 = new Date('2025-05-05T09:00:00.000Z');
const t2 = new Date('2025-05-05T10:00:00.000Z');
const t3 = new Date('2025-05-05T11:00:00.000Z');

const requester = anActor('requester');
const agent = anActor('agent');
const admin = anActor('admin');

const fields = (overrides: Partial<TicketFields & { priority: 'critical' | 'high' | 'medium' | 'low' }> = {}) => ({
  id: 'a2a6bd59-8f0e-4c2b-9a51-0d8c4d6e1f00',
  number: 1042,
  requesterId: requester.id,
  title: 'VPN drops',
  description: 'Every ten minutes',
  severity: 'medium' as const,
  urgency: 'medium' as const,
  categoryId: null,
  subcategoryId: null,
  tags: [],
  ...overrides,
});

const open = (overrides: Parameters<typeof fields>[0] = {}, actor: Actor = requester) =>
  Ticket.open(fields(overrides), actor, matrix, t0);

/** Runs `fn` and returns what it threw (fails the test when it did not throw). */
function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

const repeat = (n: number) => 'x'.repeat(n);

describe('Ticket.open', () => {
  it('opens a new ticket at version 1 with a matrix-derived priority', () => {
    const ticket = open({ severity: 'high', urgency: 'high' });
    expect(ticket.snapshot()).toMatchObject({
      status: 'new',
      priority: 'critical',
      priorityOverride: null,
      requesterId: requester.id,
      assigneeId: null,
      createdAt: t0,
      updatedAt: t0,
      resolvedAt: null,
      closedAt: null,
      deletedAt: null,
      version: 1,
    });
    expect(ticket.priorityReason()).toEqual({ source: 'matrix', severity: 'high', urgency: 'high' });
  });

  it('derives the priority from the matrix it is given', () => {
    const allLow = PriorityMatrix.fromJson(
      JSON.stringify(Object.fromEntries(['critical', 'high', 'medium', 'low'].map((s) => [s, { high: 'low', medium: 'low', low: 'low' }]))),
    );
    expect(Ticket.open(fields({ severity: 'critical', urgency: 'high' }), requester, allLow, t0).snapshot().priority).toBe('low');
  });

  it('trims title and description', () => {
    expect(open({ title: '  VPN drops \n', description: '\t details  ' }).snapshot()).toMatchObject({
      title: 'VPN drops',
      description: 'details',
    });
  });

  it.each([
    ['title', 'empty', '', false],
    ['title', 'blank', '   ', false],
    ['title', '1 character', repeat(1), true],
    ['title', '200 characters', repeat(200), true],
    ['title', '200 characters plus padding', `  ${repeat(200)}  `, true],
    ['title', '201 characters', repeat(201), false],
    ['description', 'empty', '', false],
    ['description', 'blank', ' \n ', false],
    ['description', '1 character', repeat(1), true],
    ['description', '20000 characters', repeat(20_000), true],
    ['description', '20001 characters', repeat(20_001), false],
  ] as const)('%s %s: accepted=%s', (field, _label, value, accepted) => {
    const attempt = () => open({ [field]: value });
    if (accepted) {
      expect(attempt().snapshot()[field]).toBe(value.trim());
    } else {
      const error = thrown(attempt);
      expect(error).toBeInstanceOf(InvalidInputError);
      expect((error as InvalidInputError).fieldErrors).toEqual([{ field, message: expect.stringMatching(/1–\d+ characters/) }]);
    }
  });

  it('trims tags, drops empty ones and removes duplicates, keeping first-seen order', () => {
    expect(open({ tags: [' vpn', 'network ', 'vpn', '', '   ', 'network', 'VPN'] }).snapshot().tags).toEqual([
      'vpn',
      'network',
      'VPN',
    ]);
  });

  it('accepts 20 distinct tags (and more entries that collapse to 20), refuses 21', () => {
    const twenty = Array.from({ length: 20 }, (_, i) => `t${i}`);
    expect(open({ tags: twenty }).snapshot().tags).toHaveLength(20);
    expect(open({ tags: [...twenty, 't0', ' t1 '] }).snapshot().tags).toHaveLength(20);
    const error = thrown(() => open({ tags: [...twenty, 't20'] }));
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).fieldErrors[0]!.field).toBe('tags');
  });

  it('accepts a 50-character tag and refuses a 51-character one', () => {
    expect(open({ tags: [repeat(50)] }).snapshot().tags).toEqual([repeat(50)]);
    expect(open({ tags: [`  ${repeat(50)}  `] }).snapshot().tags).toEqual([repeat(50)]);
    expect(thrown(() => open({ tags: [repeat(51)] }))).toBeInstanceOf(InvalidInputError);
  });

  it('does not let a requester set the priority', () => {
    const error = thrown(() => open({ priority: 'low' }, requester));
    expect(error).toBeInstanceOf(ForbiddenError);
    expect((error as ForbiddenError).code).toBe('PRIORITY_FORBIDDEN');
  });

  it.each([agent, admin])('records a $role priority as an override by them, at that time', (staff) => {
    const ticket = open({ severity: 'low', urgency: 'low', priority: 'critical' }, staff);
    expect(ticket.snapshot()).toMatchObject({ priority: 'critical', priorityOverride: { by: staff.id, at: t0 } });
    expect(ticket.priorityReason()).toEqual({ source: 'override', by: staff.id, at: t0 });
  });
});

describe('Ticket.restore and snapshot', () => {
  it('hands out copies: changing a snapshot does not change the ticket', () => {
    const ticket = aTicket({ tags: ['a'] });
    const snapshot = ticket.snapshot();
    snapshot.tags.push('b');
    snapshot.title = 'changed';
    expect(ticket.snapshot()).toMatchObject({ tags: ['a'], title: 'Printer offline' });
  });

  it('does not share the tags of the snapshot it was restored from', () => {
    const source = aTicket({ tags: ['a'] }).snapshot();
    const ticket = Ticket.restore(source);
    source.tags.push('b');
    expect(ticket.snapshot().tags).toEqual(['a']);
  });
});

describe('Ticket.update', () => {
  it('lets a requester change title, description and tags, listing each change old → new', () => {
    const ticket = aTicket({ requesterId: requester.id, tags: ['old'], version: 3 });
    const changes = ticket.update(requester, { title: ' New title ', description: 'New text', tags: ['new', 'new'] }, matrix, t1);
    expect(changes).toEqual([
      { type: 'field_changed', field: 'title', from: 'Printer offline', to: 'New title' },
      { type: 'field_changed', field: 'description', from: 'The printer on floor 3 shows offline since this morning', to: 'New text' },
      { type: 'field_changed', field: 'tags', from: ['old'], to: ['new'] },
    ]);
    expect(ticket.snapshot()).toMatchObject({ title: 'New title', tags: ['new'], version: 4, updatedAt: t1 });
  });

  it.each<[string, TicketPatch]>([
    ['severity', { severity: 'high' }],
    ['urgency', { urgency: 'low' }],
    ['categoryId', { categoryId: 'c0d2e0b4-5c0e-4a55-9d3b-0f5b3a1f9e11' }],
    ['subcategoryId', { subcategoryId: null }],
    ['severity', { title: 'fine', severity: 'low' }],
  ])('refuses a requester changing %s, and changes nothing', (field, patch) => {
    const ticket = aTicket({ requesterId: requester.id });
    const before = ticket.snapshot();
    const error = thrown(() => ticket.update(requester, patch, matrix, t1));
    expect(error).toBeInstanceOf(ForbiddenError);
    expect(error.message).toContain(field);
    expect(ticket.snapshot()).toEqual(before);
  });

  it.each<TicketPatch>([{ priority: 'low' }, { priority: null }])('refuses a requester sending priority %j', (patch) => {
    const error = thrown(() => aTicket({ requesterId: requester.id }).update(requester, patch, matrix, t1));
    expect((error as ForbiddenError).code).toBe('PRIORITY_FORBIDDEN');
  });

  it('ignores keys whose value is undefined, so a requester may send them', () => {
    const ticket = aTicket({ requesterId: requester.id });
    const changes = ticket.update(requester, { title: 'Renamed', severity: undefined, priority: undefined }, matrix, t1);
    expect(changes.map((c) => c.field)).toEqual(['title']);
  });

  it('recomputes the priority when severity or urgency change and there is no override', () => {
    const ticket = aTicket({ severity: 'medium', urgency: 'medium', priority: 'medium' });
    const changes = ticket.update(agent, { severity: 'critical', urgency: 'high' }, matrix, t1);
    expect(changes).toEqual([
      { type: 'field_changed', field: 'severity', from: 'medium', to: 'critical' },
      { type: 'field_changed', field: 'urgency', from: 'medium', to: 'high' },
      { type: 'field_changed', field: 'priority', from: 'medium', to: 'critical' },
    ]);
    expect(ticket.priorityReason()).toEqual({ source: 'matrix', severity: 'critical', urgency: 'high' });
  });

  it('keeps a priority override across severity and urgency changes until it is cleared with null', () => {
    const ticket = aTicket({ severity: 'medium', urgency: 'medium', priority: 'medium' });

    expect(ticket.update(agent, { priority: 'low' }, matrix, t1)).toEqual([
      { type: 'field_changed', field: 'priority', from: 'medium', to: 'low' },
      { type: 'field_changed', field: 'priorityOverride', from: false, to: true },
    ]);
    expect(ticket.priorityReason()).toEqual({ source: 'override', by: agent.id, at: t1 });

    expect(ticket.update(admin, { severity: 'critical', urgency: 'high' }, matrix, t2)).toEqual([
      { type: 'field_changed', field: 'severity', from: 'medium', to: 'critical' },
      { type: 'field_changed', field: 'urgency', from: 'medium', to: 'high' },
    ]);
    expect(ticket.snapshot()).toMatchObject({ priority: 'low', priorityOverride: { by: agent.id, at: t1 } });

    expect(ticket.update(admin, { priority: null }, matrix, t3)).toEqual([
      { type: 'field_changed', field: 'priority', from: 'low', to: 'critical' },
      { type: 'field_changed', field: 'priorityOverride', from: true, to: false },
    ]);
    expect(ticket.snapshot()).toMatchObject({ priority: 'critical', priorityOverride: null, version: 4 });
  });

  it('records an override even when it equals the matrix priority', () => {
    const ticket = aTicket({ severity: 'medium', urgency: 'medium', priority: 'medium' });
    expect(ticket.update(agent, { priority: 'medium' }, matrix, t1)).toEqual([
      { type: 'field_changed', field: 'priorityOverride', from: false, to: true },
    ]);
    // …and then a severity change no longer moves it.
    ticket.update(agent, { severity: 'critical' }, matrix, t2);
    expect(ticket.snapshot().priority).toBe('medium');
  });

  it.each<[string, TicketPatch]>([
    ['an empty patch', {}],
    ['only undefined values', { title: undefined, tags: undefined }],
    ['the current values', { title: 'Printer offline', severity: 'medium', urgency: 'medium', categoryId: null, tags: ['a', 'b'] }],
    ['values equal after trimming and dedupe', { title: '  Printer offline  ', tags: [' a', 'a', 'b'] }],
    ['clearing an override that is not there', { priority: null }],
  ])('returns [] for %s and bumps neither version nor updatedAt', (_, patch) => {
    const ticket = aTicket({ tags: ['a', 'b'] });
    const before = ticket.snapshot();
    expect(ticket.update(agent, patch, matrix, t3)).toEqual([]);
    expect(ticket.snapshot()).toEqual(before);
  });

  it('bumps the version once for a patch changing several fields', () => {
    const ticket = aTicket({ version: 7 });
    ticket.update(agent, { title: 'A', description: 'B', tags: ['c'], urgency: 'high' }, matrix, t1);
    expect(ticket.snapshot()).toMatchObject({ version: 8, updatedAt: t1 });
  });

  it('validates like open() and changes nothing when a field is invalid', () => {
    const ticket = aTicket();
    const before = ticket.snapshot();
    expect(thrown(() => ticket.update(agent, { title: 'ok', description: '  ' }, matrix, t1))).toBeInstanceOf(InvalidInputError);
    expect(thrown(() => ticket.update(agent, { tags: [repeat(51)] }, matrix, t1))).toBeInstanceOf(InvalidInputError);
    expect(ticket.snapshot()).toEqual(before);
  });
});

describe('Ticket.changeStatus', () => {
  const allowedForRequester = (from: TicketStatus, to: TicketStatus) =>
    to === 'closed' || (from === 'resolved' && to === 'open');
  const requesterPairs = TICKET_STATUSES.flatMap((from) => TICKET_STATUSES.map((to) => ({ from, to })));

  it.each(requesterPairs.filter((p) => !allowedForRequester(p.from, p.to)))(
    'refuses a requester moving their ticket $from → $to',
    ({ from, to }) => {
      const ticket = aTicket({ requesterId: requester.id, status: from });
      expect(thrown(() => ticket.changeStatus(requester, to, t1))).toBeInstanceOf(ForbiddenError);
      expect(ticket.status).toBe(from);
    },
  );

  it.each(TICKET_STATUSES.filter((s) => s !== 'closed'))('lets a requester close their %s ticket', (from) => {
    const ticket = aTicket({ requesterId: requester.id, status: from });
    ticket.changeStatus(requester, 'closed', t1);
    expect(ticket.snapshot()).toMatchObject({ status: 'closed', closedAt: t1 });
  });

  it('lets a requester reopen a resolved ticket, which clears resolvedAt', () => {
    const ticket = aTicket({ requesterId: requester.id, status: 'resolved', resolvedAt: t0 });
    ticket.changeStatus(requester, 'open', t1);
    expect(ticket.snapshot()).toMatchObject({ status: 'open', resolvedAt: null, closedAt: null });
  });

  it('applies the workflow to a requester too: closing a closed ticket is an illegal transition', () => {
    expect(thrown(() => aTicket({ status: 'closed' }).changeStatus(requester, 'closed', t1))).toBeInstanceOf(
      IllegalTransitionError,
    );
  });

  it('sets resolvedAt on resolve, clears it on reopen, keeps it on close, and sets closedAt on close', () => {
    const ticket = aTicket({ status: 'new' });
    ticket.changeStatus(agent, 'resolved', t0);
    expect(ticket.snapshot()).toMatchObject({ resolvedAt: t0, closedAt: null });
    ticket.changeStatus(agent, 'open', t1);
    expect(ticket.snapshot()).toMatchObject({ resolvedAt: null, closedAt: null });
    ticket.changeStatus(agent, 'resolved', t2);
    ticket.changeStatus(agent, 'closed', t3);
    expect(ticket.snapshot()).toMatchObject({ status: 'closed', resolvedAt: t2, closedAt: t3 });
  });

  it('closes without a resolvedAt when the ticket was never resolved', () => {
    const ticket = aTicket({ status: 'in_progress' });
    ticket.changeStatus(agent, 'closed', t1);
    expect(ticket.snapshot()).toMatchObject({ resolvedAt: null, closedAt: t1 });
  });

  it('increments the version and moves updatedAt on every change', () => {
    const ticket = aTicket({ status: 'new', version: 1 });
    ticket.changeStatus(agent, 'open', t1);
    ticket.changeStatus(agent, 'pending', t2);
    expect(ticket.snapshot()).toMatchObject({ version: 3, updatedAt: t2 });
  });

  it('names the allowed next states in IllegalTransitionError', () => {
    const error = thrown(() => aTicket({ status: 'resolved' }).changeStatus(agent, 'pending', t1)) as IllegalTransitionError;
    expect(error).toBeInstanceOf(IllegalTransitionError);
    expect(error.details).toEqual({ from: 'resolved', to: 'pending', allowed: ['open', 'closed'] });
    expect(error.message).toContain('allowed next states: open, closed');
    expect(error.kind).toBe('conflict');
  });
});

describe('Ticket.assignTo', () => {
  const other = anActor('agent');

  it('refuses a requester', () => {
    const error = thrown(() => aTicket({ requesterId: requester.id }).assignTo(requester, agent.id, t1));
    expect((error as ForbiddenError).code).toBe('ASSIGN_FORBIDDEN');
  });

  it('assigns, reassigns and unassigns, returning each change and bumping the version', () => {
    const ticket = aTicket({ version: 1 });
    expect(ticket.assignTo(agent, agent.id, t1)).toEqual({ type: 'assigned', field: 'assigneeId', from: null, to: agent.id });
    expect(ticket.assignTo(admin, other.id, t2)).toEqual({ type: 'assigned', field: 'assigneeId', from: agent.id, to: other.id });
    expect(ticket.assignTo(admin, null, t3)).toEqual({ type: 'assigned', field: 'assigneeId', from: other.id, to: null });
    expect(ticket.snapshot()).toMatchObject({ assigneeId: null, version: 4, updatedAt: t3 });
  });

  it('treats unassigning an unassigned ticket as a no-op', () => {
    const ticket = aTicket({ assigneeId: null });
    const before = ticket.snapshot();
    expect(ticket.assignTo(admin, null, t3)).toBeNull();
    expect(ticket.snapshot()).toEqual(before);
  });

  it('treats assigning the current assignee as a no-op: null, same version and updatedAt', () => {
    const ticket = aTicket({ assigneeId: agent.id, version: 5 });
    const before = ticket.snapshot();
    expect(ticket.assignTo(admin, agent.id, t3)).toBeNull();
    expect(ticket.snapshot()).toEqual(before);
  });
});

describe('a closed ticket', () => {
  const closed = () => aTicket({ status: 'closed', assigneeId: agent.id });

  it.each<[string, (t: Ticket) => unknown]>([
    ['update (title)', (t) => t.update(agent, { title: 'New' }, matrix, t1)],
    ['update (no-op patch)', (t) => t.update(agent, {}, matrix, t1)],
    ['update by its requester', (t) => t.update(requester, { title: 'New' }, matrix, t1)],
    ['assign', (t) => t.assignTo(admin, anActor('agent').id, t1)],
    ['assign to the current assignee', (t) => t.assignTo(admin, agent.id, t1)],
    ['unassign', (t) => t.assignTo(admin, null, t1)],
    ['comment', (t) => t.recordComment(t1, false)],
    ['internal note', (t) => t.recordComment(t1, true)],
  ])('rejects %s with TicketClosedError and stays unchanged', (_, act) => {
    const ticket = closed();
    const before = ticket.snapshot();
    expect(thrown(() => act(ticket))).toBeInstanceOf(TicketClosedError);
    expect(ticket.snapshot()).toEqual(before);
  });
});

describe('Ticket.recordComment', () => {
  it('moves updatedAt and the version for a public reply', () => {
    const ticket = aTicket({ version: 2 });
    ticket.recordComment(t2, false);
    expect(ticket.snapshot()).toMatchObject({ version: 3, updatedAt: t2 });
  });

  it('leaves both alone for an internal note, which the requester must not be able to detect', () => {
    const ticket = aTicket({ version: 2 });
    const before = ticket.snapshot();
    ticket.recordComment(t2, true);
    expect(ticket.snapshot()).toEqual(before);
  });
});

describe('Ticket.softDelete and restoreDeleted', () => {
  it('deletes once: a second delete is a no-op returning null', () => {
    const ticket = aTicket({ version: 1 });
    expect(ticket.softDelete(t1)).toEqual({ type: 'deleted' });
    expect(ticket.softDelete(t2)).toBeNull();
    expect(ticket.snapshot()).toMatchObject({ deletedAt: t1, version: 2, updatedAt: t1 });
    expect(ticket.isDeleted).toBe(true);
  });

  it('restores once: restoring a live ticket is a no-op returning null', () => {
    const ticket = aTicket({ deletedAt: t0, version: 4 });
    expect(ticket.restoreDeleted(t1)).toEqual({ type: 'restored' });
    expect(ticket.restoreDeleted(t2)).toBeNull();
    expect(ticket.snapshot()).toMatchObject({ deletedAt: null, version: 5, updatedAt: t1 });
  });

  it('can delete a closed ticket', () => {
    const ticket = aTicket({ status: 'closed' });
    expect(ticket.softDelete(t1)).toEqual({ type: 'deleted' });
  });
});
