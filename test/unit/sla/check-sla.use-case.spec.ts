import { describe, expect, it } from 'vitest';
import type { Group } from '../../../src/core/assignment/group.js';
import { aGroup } from '../../support/factories/group.factory.js';
import { roundTheClock } from './calendars.js';
import { slaWorld } from './sla-world.js';

const HIGH = { severity: 'high', urgency: 'medium' } as const;

/** A manual group stored in the world. */
async function storedGroup(w: ReturnType<typeof slaWorld>, name: string): Promise<Group> {
  const at = w.clock.now();
  const group = aGroup({ name, strategy: 'manual', createdAt: at, updatedAt: at });
  await w.db.autocommit.groups.insert(group);
  return group;
}

/** A high ticket opened Monday 2025-03-03 09:00 in `groupId`, assigned to the agent, its events handled. */
async function openedTicket(w: ReturnType<typeof slaWorld>, groupId: string): Promise<string> {
  w.clock.set('2025-03-03T09:00:00Z');
  const id = await w.open(HIGH);
  await w.patch(id, { groupId });
  await w.uow.run(async (tx) => {
    const t = (await tx.tickets.lockById(id))!;
    t.assignTo(w.agent, w.agent.id, w.clock.now());
    await tx.tickets.save(t);
  });
  await w.pump();
  return id;
}

const slaOutbox = (w: ReturnType<typeof slaWorld>) => w.db.outbox().filter((e) => e.type.startsWith('sla.'));

describe('CheckSlaClocks', () => {
  it('reports at risk once at the at-risk point: sla event, system activity entry and an sla.at_risk event naming the group', async () => {
    const w = slaWorld();
    await w.policy();
    const desk = await storedGroup(w, 'Desk');
    const id = await openedTicket(w, desk.id);

    w.clock.set('2025-03-03T10:35:59Z');
    expect(w.iso(await w.check.execute(id))).toBe('2025-03-03T10:36:00.000Z');
    expect(slaOutbox(w)).toEqual([]);

    w.clock.set('2025-03-03T10:36:00Z');
    expect(w.iso(await w.check.execute(id))).toBe('2025-03-03T11:00:00.000Z'); // next: the due date
    await w.check.execute(id); // a second timer for the same instant
    expect((await w.events(id)).filter((e) => e.endsWith(':at_risk'))).toEqual(['first_response:at_risk']);
    expect(w.db.activity(id).filter((a) => a.type === 'sla_at_risk')).toEqual([
      expect.objectContaining({ actorId: null, field: 'first_response', to: expect.objectContaining({ dueAt: '2025-03-03T11:00:00.000Z' }) }),
    ]);
    expect(slaOutbox(w)).toEqual([
      expect.objectContaining({
        type: 'sla.at_risk',
        aggregateId: id,
        actorId: null,
        payload: expect.objectContaining({
          ticket: expect.objectContaining({ id, groupId: desk.id, requesterId: w.alice.id }),
          clock: 'first_response',
          escalation: { notifyGroupId: desk.id, reassignedToGroupId: null },
        }),
      }),
    ]);
  });

  it('reports a breach once and moves the ticket, unassigned, to the escalation group as a system change', async () => {
    const w = slaWorld();
    const desk = await storedGroup(w, 'Desk');
    const seniors = await storedGroup(w, 'Seniors');
    await w.policy({ escalation: { notifyGroup: false, reassignToGroupId: seniors.id } });
    const id = await openedTicket(w, desk.id);

    w.clock.set('2025-03-03T11:00:00Z'); // the timer at 10:36 was lost: the breach alone is reported
    await w.check.execute(id);
    await w.check.execute(id);
    expect(slaOutbox(w).map((e) => [e.type, e.payload['clock'], e.payload['escalation']])).toEqual([
      ['sla.breached', 'first_response', { notifyGroupId: null, reassignedToGroupId: seniors.id }],
    ]);
    // The event's ticket is the escalated one; who had it when the clock breached is named apart (recognition).
    expect(slaOutbox(w)[0]!.payload).toMatchObject({ ticket: { assigneeId: null }, assigneeAtBreach: w.agent.id });
    expect(w.db.ticket(id)).toMatchObject({ groupId: seniors.id, assigneeId: null });
    const moved = w.db.outbox().filter((e) => e.type === 'ticket.updated' && e.actorId === null);
    expect(moved.at(-1)!.payload).toMatchObject({
      reason: 'sla escalation',
      changes: [
        { field: 'groupId', from: desk.id, to: seniors.id },
        { field: 'assigneeId', from: w.agent.id, to: null },
      ],
    });
    expect((await w.sla(id))!.breached).toBe(true);
    expect(w.db.activity(id).filter((a) => a.type === 'sla_breached')).toHaveLength(1);
  });

  it('does nothing for a stale timer: the priority went down and the due date moved', async () => {
    const w = slaWorld();
    await w.policy();
    const desk = await storedGroup(w, 'Desk');
    const id = await openedTicket(w, desk.id);
    w.clock.set('2025-03-03T09:30:00Z');
    await w.patch(id, { priority: 'low' });
    await w.pump();
    w.clock.set('2025-03-03T10:36:00Z'); // the old at-risk timer fires
    expect(w.iso(await w.check.execute(id))).toBe('2025-03-03T15:24:00.000Z'); // 80 % of low's 8 h
    expect(slaOutbox(w)).toEqual([]);
  });

  it('reports nothing while the clocks are paused', async () => {
    const w = slaWorld();
    await w.policy();
    const id = await openedTicket(w, (await storedGroup(w, 'Desk')).id);
    w.clock.set('2025-03-03T09:10:00Z');
    await w.move(id, 'pending');
    await w.pump();
    w.clock.set('2025-03-03T16:00:00Z');
    expect(await w.check.execute(id)).toBeNull();
    expect(slaOutbox(w)).toEqual([]);
  });

  it('counts targets divided by the configured divisor (the test knob): 2 h become 2 minutes', async () => {
    const w = slaWorld(60);
    await w.policy({ calendar: roundTheClock('UTC') });
    w.clock.set('2025-03-03T09:00:00Z');
    const id = await w.open(HIGH);
    await w.pump();
    expect(w.iso((await w.sla(id))!.firstResponseDueAt)).toBe('2025-03-03T09:02:00.000Z');
    w.clock.set('2025-03-03T09:02:00Z');
    await w.check.execute(id);
    expect(slaOutbox(w).map((e) => e.type)).toEqual(['sla.breached']);
  });
});

describe('SweepSlaClocks', () => {
  it('checks every ticket whose next check is overdue (the backstop for lost timers)', async () => {
    const w = slaWorld();
    await w.policy();
    const desk = await storedGroup(w, 'Desk');
    const first = await openedTicket(w, desk.id);
    const second = await openedTicket(w, desk.id);
    w.clock.set('2025-03-03T10:40:00Z');
    expect(await w.sweep.execute()).toBe(2);
    expect(slaOutbox(w).map((e) => [e.type, e.aggregateId]).sort()).toEqual(
      [
        ['sla.at_risk', first],
        ['sla.at_risk', second],
      ].sort(),
    );
    expect(await w.sweep.execute()).toBe(0);
  });
});
