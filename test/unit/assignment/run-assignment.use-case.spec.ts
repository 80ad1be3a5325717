import { describe, expect, it } from 'vitest';
import { ManageGroups, SetAvailability } from '../../../src/core/assignment/manage-groups.use-case.js';
import { RunAssignment } from '../../../src/core/assignment/run-assignment.use-case.js';
import { UnitOfWork, type TransactionScope } from '../../../src/core/shared/unit-of-work.port.js';
import { ChangeTicketStatus } from '../../../src/core/tickets/change-ticket-status.use-case.js';
import { UpdateTicket } from '../../../src/core/tickets/update-ticket.use-case.js';
import type { AssignmentStrategy } from '../../../src/core/assignment/group.js';
import type { Actor } from '../../../src/core/identity/actor.js';
import { aCategory } from '../../support/factories/category.factory.js';
import { ticketWorld } from '../tickets/ticket-world.js';

function assignmentWorld(strategy: AssignmentStrategy, maxOpenPerAgent: number | null = null) {
  const w = ticketWorld();
  const groups = new ManageGroups(w.uow, w.db.autocommit.groups, w.clock);
  const run = new RunAssignment(w.uow, w.clock);
  const availability = new SetAvailability(w.uow, w.clock);
  const third = w.db.addActor('agent');
  const category = w.db.addCategory(aCategory());
  let n = 0;
  /** A new ticket in the category, as the API would leave it, and the assignment job for its creation. */
  const newTicket = async () => {
    w.clock.advance(1000);
    const t = w.ticketOf(w.alice, { categoryId: category.id, createdAt: w.clock.now(), number: 5000 + ++n });
    return { id: t.id, assigned: await run.execute({ id: `e-${t.id}`, type: 'ticket.created', aggregateId: t.id, payload: {} }) };
  };
  const makeGroup = (members: Actor[]) =>
    groups.create(w.admin, {
      name: 'Service desk',
      strategy,
      maxOpenPerAgent,
      memberIds: members.map((m) => m.id),
      categoryIds: [category.id],
    });
  return { ...w, groups, run, availability, third, category, newTicket, makeGroup };
}

describe('RunAssignment', () => {
  it('round_robin: a new ticket joins its category default group and members take turns in join order', async () => {
    const w = assignmentWorld('round_robin');
    const group = await w.makeGroup([w.agent, w.otherAgent, w.third]);
    const owners = [];
    for (let i = 0; i < 5; i++) {
      const { id } = await w.newTicket();
      const t = w.db.ticket(id)!;
      expect(t.groupId).toBe(group.id);
      owners.push(t.assigneeId);
    }
    expect(owners).toEqual([w.agent.id, w.otherAgent.id, w.third.id, w.agent.id, w.otherAgent.id]);
  });

  it('concurrent jobs share drains: every new ticket is handed out, in turn, with far fewer group locks than tickets', async () => {
    const w = assignmentWorld('round_robin');
    const group = await w.makeGroup([w.agent, w.otherAgent]);
    let groupLocks = 0;
    const counting = new (class extends UnitOfWork {
      run<T>(work: (tx: TransactionScope) => Promise<T>): Promise<T> {
        return w.uow.run((tx) => {
          const lockById = tx.groups.lockById.bind(tx.groups);
          tx.groups.lockById = (id: string) => {
            groupLocks++;
            return lockById(id);
          };
          return work(tx);
        });
      }
    })();
    const run = new RunAssignment(counting, w.clock);
    const tickets = Array.from({ length: 8 }, (_, i) => {
      w.clock.advance(1000);
      return w.ticketOf(w.alice, { categoryId: w.category.id, createdAt: w.clock.now(), number: 7000 + i });
    });

    const results = await Promise.all(
      tickets.map((t) => run.execute({ id: `e-${t.id}`, type: 'ticket.created', aggregateId: t.id, payload: {} })),
    );

    const owners = tickets.map((t) => w.db.ticket(t.id)!.assigneeId);
    expect(owners).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((i) => (i % 2 ? w.otherAgent.id : w.agent.id)));
    expect(tickets.every((t) => w.db.ticket(t.id)!.groupId === group.id)).toBe(true);
    expect(groupLocks).toBeLessThanOrEqual(2);
    // Each job reports what the drain it waited for handed out (a later drain may find its ticket taken already).
    expect(results.flat().map((a) => a.ticketId).sort()).toEqual(tickets.map((t) => t.id).sort());
    expect(w.db.activity(tickets[0]!.id).filter((a) => a.type === 'assigned')).toHaveLength(1);
  });

  it('records the system as the actor of routing and assignment, and writes the events', async () => {
    const w = assignmentWorld('round_robin');
    await w.makeGroup([w.agent]);
    const { id } = await w.newTicket();
    const activity = w.db.activity(id);
    expect(activity.map((a) => [a.type, a.field, a.actorId])).toEqual([
      ['field_changed', 'groupId', null],
      ['assigned', 'assigneeId', null],
    ]);
    expect(w.db.outbox().filter((e) => e.aggregateId === id).map((e) => e.type)).toEqual(['ticket.updated', 'ticket.assigned']);
  });

  it('the same event handled twice assigns once (claimed by event id)', async () => {
    const w = assignmentWorld('round_robin');
    await w.makeGroup([w.agent, w.otherAgent]);
    const t = w.ticketOf(w.alice, { categoryId: w.category.id });
    const event = { id: 'same-event', type: 'ticket.created', aggregateId: t.id, payload: {} };
    expect(await w.run.execute(event)).toHaveLength(1);
    expect(await w.run.execute(event)).toEqual([]);
    expect(w.db.ticket(t.id)!.assigneeId).toBe(w.agent.id);
    expect(w.db.activity(t.id).filter((a) => a.type === 'assigned')).toHaveLength(1);
  });

  it('a ticket an agent takes out of its group stays out: only its creation or a new category routes it', async () => {
    const w = assignmentWorld('manual');
    const group = await w.makeGroup([w.agent]);
    const { id } = await w.newTicket();
    expect(w.db.ticket(id)!.groupId).toBe(group.id);
    const update = new UpdateTicket(w.uow, w.matrix, w.clock);
    const lastEvent = () => w.db.outbox().filter((e) => e.aggregateId === id).at(-1)!;

    await update.execute(w.agent, { id, patch: { groupId: null } });
    await w.run.execute(lastEvent());
    expect(w.db.ticket(id)!.groupId).toBeNull();

    await update.execute(w.agent, { id, patch: { tags: ['printer'], severity: 'high' } });
    await w.run.execute(lastEvent());
    await new ChangeTicketStatus(w.uow, w.clock).execute(w.agent, { id, status: 'in_progress' });
    await w.run.execute(lastEvent());
    expect(w.db.ticket(id)!.groupId).toBeNull();

    // A category change brings the new category's default group.
    const other = w.db.addCategory(aCategory({ name: 'Other' }));
    await w.groups.update(w.admin, group.id, { categoryIds: [w.category.id, other.id] });
    await update.execute(w.agent, { id, patch: { categoryId: other.id } });
    await w.run.execute(lastEvent());
    expect(w.db.ticket(id)!.groupId).toBe(group.id);
  });

  it('least_open: the fewest open tickets wins; over the cap the ticket waits and is picked up when capacity frees', async () => {
    const w = assignmentWorld('least_open', 1);
    await w.makeGroup([w.agent, w.otherAgent]);
    w.ticketOf(w.bob, { assigneeId: w.agent.id, status: 'open' });
    const first = await w.newTicket();
    expect(w.db.ticket(first.id)!.assigneeId).toBe(w.otherAgent.id);
    const waiting = await w.newTicket();
    expect(waiting.assigned).toEqual([]);
    expect(w.db.ticket(waiting.id)!.assigneeId).toBeNull();

    // otherAgent resolves their ticket: the status event frees capacity and the waiting ticket goes to them.
    const resolvedAt = w.clock.now();
    await w.uow.run(async (tx) => {
      const t = (await tx.tickets.lockById(first.id))!;
      t.changeStatus(w.otherAgent, 'resolved', resolvedAt);
      await tx.tickets.save(t);
    });
    const picked = await w.run.execute({ id: 'e-resolved', type: 'ticket.status_changed', aggregateId: first.id, payload: {} });
    expect(picked).toEqual([{ ticketId: waiting.id, assigneeId: w.otherAgent.id, groupId: expect.any(String) }]);
  });

  it('skips unavailable agents, and coming back hands them the tickets that waited', async () => {
    const w = assignmentWorld('round_robin');
    await w.makeGroup([w.agent]);
    await w.availability.execute(w.agent, false);
    const { id } = await w.newTicket();
    expect(w.db.ticket(id)!.assigneeId).toBeNull();
    await w.availability.execute(w.agent, true);
    const event = w.db.outbox().find((e) => e.type === 'agent.availability_changed' && e.payload['available'] === true)!;
    expect(await w.run.execute(event)).toEqual([{ ticketId: id, assigneeId: w.agent.id, groupId: expect.any(String) }]);
  });

  it('skips deactivated users', async () => {
    const w = assignmentWorld('round_robin');
    await w.makeGroup([w.agent, w.otherAgent]);
    await w.uow.run(async (tx) => {
      const u = (await tx.users.findById(w.agent.id))!;
      await tx.users.update({ ...u, active: false });
    });
    const { id } = await w.newTicket();
    expect(w.db.ticket(id)!.assigneeId).toBe(w.otherAgent.id);
  });

  it('manual groups route the ticket but leave it unassigned', async () => {
    const w = assignmentWorld('manual');
    const group = await w.makeGroup([w.agent]);
    const { id, assigned } = await w.newTicket();
    expect(assigned).toEqual([]);
    expect(w.db.ticket(id)).toMatchObject({ groupId: group.id, assigneeId: null });
  });
});

describe('ManageGroups', () => {
  it('only admins change groups; requesters cannot even read them', async () => {
    const w = assignmentWorld('round_robin');
    await expect(w.groups.create(w.agent, { name: 'X', strategy: 'manual', maxOpenPerAgent: null })).rejects.toMatchObject({
      code: 'GROUPS_ADMIN_ONLY',
    });
    await expect(w.groups.list(w.alice)).rejects.toMatchObject({ kind: 'forbidden' });
  });

  it('refuses requesters as members, unknown categories, and bad settings, naming the field', async () => {
    const w = assignmentWorld('round_robin');
    await expect(w.makeGroup([w.alice])).rejects.toMatchObject({ code: 'NOT_AN_AGENT' });
    await expect(
      w.groups.create(w.admin, { name: 'X', strategy: 'manual', maxOpenPerAgent: null, categoryIds: [w.agent.id] }),
    ).rejects.toMatchObject({ fieldErrors: [{ field: 'categoryIds[0]' }] });
    await expect(w.groups.create(w.admin, { name: ' ', strategy: 'manual', maxOpenPerAgent: 0 })).rejects.toMatchObject({
      fieldErrors: [{ field: 'name' }],
    });
  });

  it('a group with tickets cannot be deleted; an empty one can', async () => {
    const w = assignmentWorld('manual');
    const group = await w.makeGroup([w.agent]);
    await w.newTicket();
    await expect(w.groups.delete(w.admin, group.id)).rejects.toMatchObject({ code: 'GROUP_IN_USE' });
    const empty = await w.groups.create(w.admin, { name: 'Empty', strategy: 'manual', maxOpenPerAgent: null });
    await w.groups.delete(w.admin, empty.id);
    await expect(w.groups.get(w.admin, empty.id)).rejects.toMatchObject({ code: 'GROUP_NOT_FOUND' });
  });

  it('a group referenced only by deleted tickets is still in use (restoring them would need it)', async () => {
    const w = assignmentWorld('manual');
    const group = await w.groups.create(w.admin, { name: 'Old', strategy: 'manual', maxOpenPerAgent: null });
    w.ticketOf(w.alice, { groupId: group.id, deletedAt: w.clock.now() });
    await expect(w.groups.delete(w.admin, group.id)).rejects.toMatchObject({ code: 'GROUP_IN_USE' });
  });

  it('members keep their join order; removing and re-adding puts a member last', async () => {
    const w = assignmentWorld('round_robin');
    const group = await w.makeGroup([w.agent, w.otherAgent]);
    w.clock.advance(5000);
    await w.groups.removeMember(w.admin, group.id, w.agent.id);
    w.clock.advance(5000);
    const after = await w.groups.addMember(w.admin, group.id, w.agent.id);
    expect(after.members.map((m) => m.userId)).toEqual([w.otherAgent.id, w.agent.id]);
    expect(w.db.outbox().filter((e) => e.type === 'group.changed')).toHaveLength(3);
  });
  it('a backlog is handed out in batches: round-robin order and the cap hold across and within them', async () => {
    const w = assignmentWorld('round_robin', 40);
    const group = await w.makeGroup([w.agent, w.otherAgent]);
    // The group is manual while 90 tickets arrive: they are routed to it and wait.
    await w.groups.update(w.admin, group.id, { strategy: 'manual' });
    const backlog: string[] = [];
    for (let i = 0; i < 90; i++) backlog.push((await w.newTicket()).id);
    expect(backlog.every((id) => w.db.ticket(id)!.groupId === group.id && w.db.ticket(id)!.assigneeId === null)).toBe(true);

    await w.groups.update(w.admin, group.id, { strategy: 'round_robin' });
    const assigned = await w.run.execute({ id: 'group-back', type: 'group.changed', aggregateId: group.id, payload: {} });
    // 2 agents × cap 40: the 80 oldest alternate agent, otherAgent…; the 10 newest wait.
    const owners = backlog.map((id) => w.db.ticket(id)!.assigneeId);
    expect(owners.slice(0, 80)).toEqual(Array.from({ length: 80 }, (_, i) => (i % 2 ? w.otherAgent.id : w.agent.id)));
    expect(owners.slice(80)).toEqual(Array(10).fill(null));
    expect(assigned.map((a) => a.ticketId)).toEqual(backlog.slice(0, 80));
    for (const id of backlog.slice(0, 80)) expect(w.db.activity(id).filter((a) => a.type === 'assigned')).toHaveLength(1);
  });
});
