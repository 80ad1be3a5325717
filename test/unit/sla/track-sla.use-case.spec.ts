import { describe, expect, it } from 'vitest';
import { UnitOfWork, type TransactionScope } from '../../../src/core/shared/unit-of-work.port.js';
import { TrackSla } from '../../../src/core/sla/track-sla.use-case.js';
import { aCategory } from '../../support/factories/category.factory.js';
import { roundTheClock, office } from './calendars.js';
import { slaWorld } from './sla-world.js';

// 2025-03-03 is a Monday; office() is Mon–Fri 09:00–17:00 UTC. A high ticket (severity high, urgency medium) has
// 2 business hours to the first response and 8 to resolution under STANDARD_TARGETS.
const HIGH = { severity: 'high', urgency: 'medium' } as const;

/**
 * A high ticket opened Monday 09:00 with its clocks started, then pending from 10:00 to 12:00: the two status
 * events are returned, not yet handed to the SLA worker.
 */
async function pendingThenOpen() {
  const w = slaWorld();
  await w.policy();
  w.clock.set('2025-03-03T09:00:00Z');
  const id = await w.open(HIGH);
  await w.pump();
  w.clock.set('2025-03-03T10:00:00Z');
  await w.move(id, 'pending');
  w.clock.set('2025-03-03T12:00:00Z');
  await w.move(id, 'open');
  const [pending, open] = w.db.outbox().filter((e) => e.type === 'ticket.status_changed');
  return { w, id, pending: pending!, open: open! };
}

describe('TrackSla', () => {
  it('starts both clocks at creation, due across a weekend and a holiday, with a timer at the at-risk point', async () => {
    const w = slaWorld();
    await w.policy({ calendar: office('UTC', ['2025-03-10']) });
    w.clock.set('2025-03-07T16:00:00Z'); // Friday
    const id = await w.open(HIGH);
    await w.pump();
    const sla = await w.sla(id);
    expect(w.iso(sla!.firstResponseDueAt)).toBe('2025-03-11T10:00:00.000Z'); // Fri 16–17, Monday off, Tue 09–10
    expect(w.iso(sla!.resolutionDueAt)).toBe('2025-03-11T16:00:00.000Z');
    expect(sla).toMatchObject({ firstRespondedAt: null, pausedAt: null, breached: false });
    expect(w.iso(w.timers.last(id))).toBe('2025-03-11T09:36:00.000Z'); // 80 % of 2 h
    expect(await w.events(id)).toEqual(['first_response:started', 'resolution:started']);
  });

  it('shows no sla and sets no timer when no policy applies', async () => {
    const w = slaWorld();
    const id = await w.open(HIGH);
    await w.pump();
    expect(await w.sla(id)).toBeNull();
    expect(w.timers.scheduled).toEqual([]);
  });

  it('pauses in a pause status and moves the due dates by the business minutes paused', async () => {
    const w = slaWorld();
    await w.policy();
    w.clock.set('2025-03-03T09:00:00Z');
    const id = await w.open(HIGH);
    w.clock.set('2025-03-03T10:00:00Z');
    await w.move(id, 'pending');
    w.clock.set('2025-03-03T12:00:00Z');
    await w.move(id, 'open');
    w.clock.set('2025-03-05T08:00:00Z'); // the jobs run two days late: the changes' own times count
    await w.pump();
    const sla = await w.sla(id);
    expect([w.iso(sla!.firstResponseDueAt), w.iso(sla!.resolutionDueAt)]).toEqual([
      '2025-03-03T13:00:00.000Z',
      '2025-03-04T11:00:00.000Z',
    ]);
    expect(await w.events(id)).toEqual([
      'first_response:started',
      'resolution:started',
      'first_response:paused',
      'resolution:paused',
      'first_response:resumed',
      'resolution:resumed',
    ]);
  });

  it('applies a ticket\'s events in the order they arrive even when the first one\'s transaction starts late', async () => {
    const { w, id, pending, open } = await pendingThenOpen();
    // The first transaction is slow to start, as when another worker slot gets the clocks' lock first.
    let calls = 0;
    const slowFirst = new (class extends UnitOfWork {
      async run<T>(work: (tx: TransactionScope) => Promise<T>): Promise<T> {
        if (calls++ === 0) await new Promise((r) => setTimeout(r, 20));
        return w.uow.run(work);
      }
    })();
    const track = new TrackSla(slowFirst, w.timers, w.clock, { targetDivisor: 1 });

    await Promise.all([track.execute(pending), track.execute(open)]);

    const sla = await w.sla(id);
    expect(sla!.pausedAt).toBeNull();
    expect(w.iso(sla!.firstResponseDueAt)).toBe('2025-03-03T13:00:00.000Z'); // 2 h + the 2 h paused
    expect((await w.events(id)).slice(2)).toEqual([
      'first_response:paused',
      'resolution:paused',
      'first_response:resumed',
      'resolution:resumed',
    ]);
  });

  it('takes the ticket as it stands for an event applied after a later one (another process went first)', async () => {
    const { w, id, pending, open } = await pendingThenOpen();

    await w.track.execute(open);
    await w.track.execute(pending);

    // The pending event came too late to pause anything: the ticket is open, so the clocks run.
    const sla = await w.sla(id);
    expect(sla!.pausedAt).toBeNull();
    expect(w.iso(sla!.firstResponseDueAt)).toBe('2025-03-03T11:00:00.000Z');
  });

  it('keeps the paused time when the priority changes during a pause (lossless recomputation)', async () => {
    const w = slaWorld();
    await w.policy();
    w.clock.set('2025-03-03T09:00:00Z');
    const id = await w.open(HIGH);
    await w.move(id, 'pending', w.agent);
    w.clock.set('2025-03-03T10:00:00Z');
    await w.move(id, 'open'); // 60 paused
    w.clock.set('2025-03-03T12:00:00Z');
    await w.move(id, 'pending');
    w.clock.set('2025-03-03T13:00:00Z');
    await w.patch(id, { priority: 'medium' }); // 4 h / 16 h, while paused since 12:00
    w.clock.set('2025-03-03T14:00:00Z');
    await w.move(id, 'open'); // 120 more paused: 180 in all
    await w.pump();
    const sla = await w.sla(id);
    // 09:00 + 4 h + 3 h paused; a recomputation that dropped the paused time would say 13:00.
    expect(w.iso(sla!.firstResponseDueAt)).toBe('2025-03-03T16:00:00.000Z');
    expect(w.iso(sla!.resolutionDueAt)).toBe('2025-03-05T12:00:00.000Z'); // 16 h + 3 h from Mon 09:00
    expect(await w.events(id)).toContain('resolution:target_changed');
  });

  it('switches to the policy of a new category, keeping the paused time', async () => {
    const w = slaWorld();
    const network = w.db.addCategory(aCategory());
    await w.policy();
    const allDay = await w.policy({ name: 'Network 24x7', calendar: roundTheClock('UTC'), isDefault: false, categoryIds: [network.id] });
    w.clock.set('2025-03-03T09:00:00Z');
    const id = await w.open(HIGH);
    await w.move(id, 'pending');
    w.clock.set('2025-03-03T10:00:00Z');
    await w.move(id, 'open');
    w.clock.set('2025-03-03T10:30:00Z');
    await w.patch(id, { categoryId: network.id });
    await w.pump();
    const sla = await w.sla(id);
    expect(sla!.policyId).toBe(allDay.id);
    // From Monday 09:00 on the 24×7 calendar: 8 h + 1 h paused (the office calendar would say Tuesday 10:00).
    expect(w.iso(sla!.resolutionDueAt)).toBe('2025-03-03T18:00:00.000Z');
    expect(w.iso(sla!.firstResponseDueAt)).toBe('2025-03-03T12:00:00.000Z');
  });

  describe('a new ticket’s policy, looked up with the ticket in one round trip', () => {
    /** TrackSla over a unit of work whose policyForTicket answers `lookup` and which counts calls of policyFor. */
    function trackWith(w: ReturnType<typeof slaWorld>, lookup?: (id: string) => Promise<unknown>) {
      const calls = { policyFor: 0 };
      const uow = new (class extends UnitOfWork {
        run<T>(work: (tx: TransactionScope) => Promise<T>): Promise<T> {
          return w.uow.run((tx) => {
            const policies = tx.slaPolicies;
            const slaPolicies = Object.assign(Object.create(policies) as typeof policies, {
              policyFor: (categoryId: string | null) => (calls.policyFor++, policies.policyFor(categoryId)),
              policyForTicket: lookup ?? ((ticketId: string) => policies.policyForTicket(ticketId)),
            });
            return work({ ...tx, slaPolicies });
          });
        }
      })();
      return { track: new TrackSla(uow, w.timers, w.clock, { targetDivisor: 1 }), calls };
    }

    it('starts the clocks under the policy looked up with the ticket, without asking again', async () => {
      const w = slaWorld();
      const network = w.db.addCategory(aCategory());
      await w.policy();
      const allDay = await w.policy({ name: 'Network 24x7', calendar: roundTheClock('UTC'), isDefault: false, categoryIds: [network.id] });
      const id = await w.open({ ...HIGH, categoryId: network.id });
      const created = w.db.outbox().find((e) => e.type === 'ticket.created')!;
      const { track, calls } = trackWith(w);

      await track.execute(created);

      expect((await w.sla(id))!.policyId).toBe(allDay.id);
      expect(calls.policyFor).toBe(0);
    });

    it('asks again when the ticket read shows another category than the look-up saw (a change between the two)', async () => {
      const w = slaWorld();
      const network = w.db.addCategory(aCategory());
      const standard = await w.policy();
      const allDay = await w.policy({ name: 'Network 24x7', calendar: roundTheClock('UTC'), isDefault: false, categoryIds: [network.id] });
      const id = await w.open({ ...HIGH, categoryId: network.id });
      const created = w.db.outbox().find((e) => e.type === 'ticket.created')!;
      const standardPolicy = await w.db.autocommit.slaPolicies.findById(standard.id);
      const stale = async () => ({ categoryId: null, policy: standardPolicy });
      const { track, calls } = trackWith(w, stale);

      await track.execute(created);

      expect((await w.sla(id))!.policyId).toBe(allDay.id);
      expect(calls.policyFor).toBe(1);
    });
  });

  it('stops the first-response clock at the first public reply of an agent, not at an internal note or the requester', async () => {
    const w = slaWorld();
    await w.policy();
    w.clock.set('2025-03-03T09:00:00Z');
    const id = await w.open(HIGH);
    w.clock.set('2025-03-03T09:10:00Z');
    await w.reply(id, w.agent, true);
    w.clock.set('2025-03-03T09:20:00Z');
    await w.reply(id, w.alice);
    await w.pump();
    expect((await w.sla(id))!.firstRespondedAt).toBeNull();
    w.clock.set('2025-03-03T09:30:00Z');
    await w.reply(id, w.agent);
    w.clock.set('2025-03-03T09:40:00Z');
    await w.reply(id, w.otherAgent);
    await w.pump();
    expect(w.iso((await w.sla(id))!.firstRespondedAt)).toBe('2025-03-03T09:30:00.000Z');
    expect((await w.events(id)).filter((e) => e === 'first_response:fulfilled')).toHaveLength(1);
  });

  it('counts a status change with a public comment by an agent as the first response, not a staff requester’s own reply', async () => {
    const w = slaWorld();
    await w.policy();
    w.clock.set('2025-03-03T09:00:00Z');
    const own = await w.open(HIGH, w.agent);
    await w.reply(own, w.agent);
    const id = await w.open(HIGH);
    w.clock.set('2025-03-03T09:15:00Z');
    await w.move(id, 'in_progress', w.agent, 'Looking into it');
    await w.pump();
    expect((await w.sla(own))!.firstRespondedAt).toBeNull();
    expect(w.iso((await w.sla(id))!.firstRespondedAt)).toBe('2025-03-03T09:15:00.000Z');
  });

  it('announces each stopped clock once as an sla.fulfilled event: on time, late after a breach, or by the resolution', async () => {
    const w = slaWorld();
    await w.policy();
    w.clock.set('2025-03-03T09:00:00Z');
    const id = await w.open(HIGH);
    w.clock.set('2025-03-03T11:30:00Z'); // the first response was due at 11:00
    await w.reply(id, w.agent);
    await w.reply(id, w.otherAgent);
    w.clock.set('2025-03-03T12:00:00Z');
    await w.move(id, 'resolved');
    await w.pump();
    await w.pump();
    const fulfilled = w.db.outbox().filter((e) => e.type === 'sla.fulfilled');
    expect(fulfilled.map((e) => [e.payload['clock'], e.payload['late'], e.payload['byResolution'], e.occurredAt.toISOString()])).toEqual([
      ['first_response', true, false, '2025-03-03T11:30:00.000Z'],
      ['resolution', false, false, '2025-03-03T12:00:00.000Z'],
    ]);
    expect(fulfilled[0]!.payload['ticket']).toMatchObject({ id, priority: 'high', severity: 'high' });

    const direct = await w.open(HIGH);
    w.clock.set('2025-03-03T12:10:00Z');
    await w.move(direct, 'resolved');
    await w.pump();
    const byResolution = w.db.outbox().filter((e) => e.type === 'sla.fulfilled' && e.aggregateId === direct);
    expect(byResolution.map((e) => [e.payload['clock'], e.payload['byResolution']])).toEqual([
      ['first_response', true],
      ['resolution', false],
    ]);
  });

  it('handles each event once, however often it is delivered', async () => {
    const w = slaWorld();
    await w.policy();
    const id = await w.open(HIGH);
    await w.pump();
    const created = w.db.outbox().find((e) => e.type === 'ticket.created')!;
    await w.track.execute(created);
    await w.track.execute(created);
    expect(await w.events(id)).toEqual(['first_response:started', 'resolution:started']);
  });

  it('stops the clocks on resolution and resumes the resolution clock on reopening without counting the resolved time', async () => {
    const w = slaWorld();
    await w.policy();
    w.clock.set('2025-03-03T09:00:00Z');
    const id = await w.open(HIGH);
    w.clock.set('2025-03-03T10:00:00Z');
    await w.move(id, 'resolved');
    await w.pump();
    expect(w.iso((await w.sla(id))!.firstRespondedAt)).toBe('2025-03-03T10:00:00.000Z'); // resolved = responded
    w.clock.set('2025-03-03T11:00:00Z');
    await w.move(id, 'open', w.alice);
    await w.pump();
    expect(w.iso((await w.sla(id))!.resolutionDueAt)).toBe('2025-03-04T10:00:00.000Z'); // 17:00 + 1 h resolved
    expect((await w.events(id)).slice(-3)).toEqual(['first_response:fulfilled', 'resolution:fulfilled', 'resolution:resumed']);
  });

  it('pauses the clocks of a deleted ticket and resumes them when it is restored', async () => {
    const w = slaWorld();
    await w.policy();
    w.clock.set('2025-03-03T09:00:00Z');
    const id = await w.open(HIGH);
    w.clock.set('2025-03-03T10:00:00Z');
    await w.remove(id);
    await w.pump();
    expect(w.iso((await w.sla(id))!.pausedAt)).toBe('2025-03-03T10:00:00.000Z');
    w.clock.set('2025-03-03T12:00:00Z');
    await w.remove(id, true);
    await w.pump();
    expect(w.iso((await w.sla(id))!.firstResponseDueAt)).toBe('2025-03-03T13:00:00.000Z');
  });

  it('recomputes the running clocks of a policy an admin edited', async () => {
    const w = slaWorld();
    const policy = await w.policy();
    w.clock.set('2025-03-03T09:00:00Z');
    const id = await w.open(HIGH);
    await w.pump();
    w.clock.set('2025-03-03T09:30:00Z');
    await w.policies.update(w.admin, policy.id, {
      targets: { ...policy.targets, high: { firstResponseMinutes: 180, resolutionMinutes: 480 } },
    });
    await w.pump();
    expect(w.iso((await w.sla(id))!.firstResponseDueAt)).toBe('2025-03-03T12:00:00.000Z');
    expect(w.iso(w.timers.last(id))).toBe('2025-03-03T11:24:00.000Z'); // 80 % of 3 h
  });
});
