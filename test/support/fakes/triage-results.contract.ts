import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { UnitOfWork } from '../../../src/core/shared/unit-of-work.port.js';
import type { TriageResult } from '../../../src/core/triage/triage-result.js';
import { aUser } from '../factories/identity.factory.js';
import { aTicket } from '../factories/ticket.factory.js';

/** The `tx.triage` part of the UnitOfWork contract (run by describeUnitOfWorkContract for the fake and SQL). */
export function describeTriageResultsContract(makeUnitOfWork: () => UnitOfWork | Promise<UnitOfWork>): void {
  const at = new Date('2025-02-03T10:00:00.000Z');

  /** A requester and their tickets (overrides per ticket), committed. */
  async function seed(uow: UnitOfWork, ...tickets: Parameters<typeof aTicket>[0][]) {
    const requester = aUser();
    const saved = await uow.run(async (tx) => {
      await tx.users.insert(requester, null);
      const out = [];
      for (const overrides of tickets) {
        const t = aTicket({ requesterId: requester.id, number: await tx.tickets.nextNumber(), ...overrides });
        await tx.tickets.insert(t);
        out.push(t.snapshot());
      }
      return out;
    });
    return { requester, tickets: saved };
  }

  const resultFor = (ticketId: string, overrides: Partial<TriageResult> = {}): TriageResult => ({
    ticketId,
    suggestions: {
      categoryId: { value: randomUUID(), confidence: 0.91 },
      subcategoryId: null,
      severity: { value: 'high', confidence: 0.5 },
      urgency: null,
    },
    applied: [{ field: 'categoryId', value: randomUUID(), confidence: 0.91, appliedAt: at }],
    duplicates: [{ ticketId: randomUUID(), number: 1234, score: 0.8 }],
    modelVersion: 7,
    triagedAt: at,
    creatorSet: ['severity'],
    ...overrides,
  });

  describe('triage results', () => {
    it('stores a result and replaces it with the next run', async () => {
      const uow = await makeUnitOfWork();
      const { tickets: [t] } = await seed(uow, {});
      expect(await uow.run((tx) => tx.triage.find(t!.id))).toBeNull();
      const first = resultFor(t!.id);
      await uow.run((tx) => tx.triage.save(first));
      expect(await uow.run((tx) => tx.triage.find(t!.id))).toEqual(first);
      const second = resultFor(t!.id, { modelVersion: null, applied: [], duplicates: [], creatorSet: null });
      await uow.run((tx) => tx.triage.save(second));
      expect(await uow.run((tx) => tx.triage.find(t!.id))).toEqual(second);
    });

    it('lists the classification fields people changed, not the system nor other fields', async () => {
      const uow = await makeUnitOfWork();
      const { requester, tickets: [t] } = await seed(uow, {});
      const entry = (actorId: string | null, field: string, type: 'field_changed' | 'assigned' = 'field_changed') => ({
        id: randomUUID(),
        ticketId: t!.id,
        actorId,
        type,
        field,
        from: null,
        to: 'x',
        internal: false,
        occurredAt: at,
      });
      await uow.run((tx) =>
        tx.activity.append(
          entry(requester.id, 'severity'),
          entry(null, 'categoryId'),
          entry(requester.id, 'title'),
          entry(requester.id, 'urgency'),
          entry(requester.id, 'urgency'),
        ),
      );
      expect(await uow.run((tx) => tx.triage.fieldsChangedByPeople(t!.id))).toEqual(new Set(['severity', 'urgency']));
    });

    it("lists the requester's other open tickets, newest first, up to the limit", async () => {
      const uow = await makeUnitOfWork();
      const later = (s: number) => new Date(at.getTime() + s * 1000);
      const { requester, tickets } = await seed(
        uow,
        { createdAt: later(1) },
        { createdAt: later(2), status: 'open' },
        { createdAt: later(3), status: 'resolved' },
        { createdAt: later(4), status: 'closed' },
        { createdAt: later(5), deletedAt: later(6) },
        { createdAt: later(7), status: 'pending', description: 'é'.repeat(2500) },
        { createdAt: later(8) },
      );
      await seed(uow, {});
      const [a, b, , , , f, self] = tickets;
      const open = await uow.run((tx) => tx.triage.openTicketsOf(requester.id, self!.id, 10));
      expect(open.map((x) => x.id)).toEqual([f!.id, b!.id, a!.id]);
      expect(open[0]).toEqual({ id: f!.id, number: f!.number, title: f!.title, description: 'é'.repeat(2000) });
      expect(await uow.run((tx) => tx.triage.openTicketsOf(requester.id, self!.id, 2))).toHaveLength(2);
    });
  });
}
