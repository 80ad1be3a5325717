import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { UnitOfWork } from '../../../src/core/shared/unit-of-work.port.js';
import { SlaClock } from '../../../src/core/sla/sla-clock.js';
import { validateSlaPolicy } from '../../../src/core/sla/sla-policy.js';
import type { SlaPolicy } from '../../../src/core/sla/sla-policy-repository.port.js';
import { ALWAYS_OPEN } from '../../../src/core/sla/business-calendar.js';
import { aCategory } from '../factories/category.factory.js';
import { insertTicketsIn } from './contract-tickets.js';

const at = new Date('2025-03-03T09:00:00.000Z');
const target = { firstResponseMinutes: 60, resolutionMinutes: 240 };

const aPolicy = (overrides: Partial<SlaPolicy> = {}): SlaPolicy => ({
  ...validateSlaPolicy({
    id: randomUUID(),
    name: 'Contract',
    targets: { critical: target, high: target, medium: target, low: target },
    calendar: ALWAYS_OPEN,
  }),
  categoryIds: [],
  isDefault: false,
  createdAt: at,
  updatedAt: at,
  ...overrides,
});

/** The SLA repositories of the TransactionScope, run against the in-memory fake and PostgreSQL alike. */
export function describeSlaRepositoriesContract(name: string, makeUnitOfWork: () => UnitOfWork | Promise<UnitOfWork>): void {
  async function committedTicket(uow: UnitOfWork) {
    const [id] = await uow.run((tx) => insertTicketsIn(tx, [null]));
    return id!;
  }

  describe(`${name}: SLA repositories contract`, () => {
    it('saves a policy with its categories and reads it back; a category moves to the policy that takes it', async () => {
      const uow = await makeUnitOfWork();
      const category = aCategory();
      const first = aPolicy({ categoryIds: [category.id] });
      const second = aPolicy({ name: 'Second' });
      await uow.run(async (tx) => {
        await tx.categories.insert(category);
        await tx.slaPolicies.save(first);
        await tx.slaPolicies.save(second);
      });
      expect(await uow.run((tx) => tx.slaPolicies.findById(first.id))).toEqual(first);
      expect((await uow.run((tx) => tx.slaPolicies.policyFor(category.id)))!.id).toBe(first.id);
      await uow.run((tx) => tx.slaPolicies.save({ ...second, categoryIds: [category.id] }));
      expect((await uow.run((tx) => tx.slaPolicies.findById(first.id)))!.categoryIds).toEqual([]);
      expect((await uow.run((tx) => tx.slaPolicies.policyFor(category.id)))!.id).toBe(second.id);
    });

    it('keeps one default policy, which applies to categories without a policy of their own', async () => {
      const uow = await makeUnitOfWork();
      const a = aPolicy({ isDefault: true });
      const b = aPolicy({ isDefault: true });
      await uow.run((tx) => tx.slaPolicies.save(a));
      await uow.run((tx) => tx.slaPolicies.save(b));
      expect((await uow.run((tx) => tx.slaPolicies.findById(a.id)))!.isDefault).toBe(false);
      expect((await uow.run((tx) => tx.slaPolicies.policyFor(null)))!.id).toBe(b.id);
      expect((await uow.run((tx) => tx.slaPolicies.policyFor(randomUUID())))!.id).toBe(b.id);
    });

    it('finds the policy of a ticket’s category as the ticket is now, with that category; null without the ticket', async () => {
      const uow = await makeUnitOfWork();
      const [covered, uncovered] = [aCategory(), aCategory()];
      const own = aPolicy({ categoryIds: [covered.id] });
      const ids = await uow.run(async (tx) => {
        for (const c of [covered, uncovered]) await tx.categories.insert(c);
        await tx.slaPolicies.save(own);
        return insertTicketsIn(tx, [covered.id, uncovered.id, null]);
      });
      // The default policy is the one saved last (other tests of a shared database may have saved one before).
      const fallback = aPolicy({ name: 'Default', isDefault: true });
      await uow.run((tx) => tx.slaPolicies.save(fallback));
      const found = await uow.read((tx) => Promise.all([...ids, randomUUID()].map((id) => tx.slaPolicies.policyForTicket(id))));
      expect(found).toEqual([
        { categoryId: covered.id, policy: own },
        { categoryId: uncovered.id, policy: fallback },
        { categoryId: null, policy: fallback },
        null,
      ]);
    });

    it('stores a ticket’s clocks, finds them for the sweep and by policy, and counts the policy as used', async () => {
      const uow = await makeUnitOfWork();
      const policy = aPolicy();
      const ticketId = await committedTicket(uow);
      const { state } = SlaClock.start(policy, 'high', at);
      const record = { ticketId, state: { ...state, pausedBusinessMinutes: 12.5 }, lastEventAt: at, nextCheckAt: new Date(at.getTime() + 48 * 60_000) };
      await uow.run(async (tx) => {
        await tx.slaPolicies.save(policy);
        expect(await tx.ticketSla.lock(ticketId)).toBeNull();
        await tx.ticketSla.save(record);
      });
      expect(await uow.run((tx) => tx.ticketSla.lock(ticketId))).toEqual(record);
      const due = (when: number) => uow.run((tx) => tx.ticketSla.dueForCheck(new Date(at.getTime() + when * 60_000), 10_000));
      expect(await due(47)).not.toContain(ticketId);
      expect(await due(48)).toContain(ticketId);
      expect(await uow.run((tx) => tx.ticketSla.runningOn(policy.id))).toEqual([ticketId]);
      expect(await uow.run((tx) => tx.slaPolicies.ticketCount(policy.id))).toBe(1);
      const resolved = { ...record, state: { ...record.state, resolvedAt: at }, nextCheckAt: null };
      await uow.run((tx) => tx.ticketSla.save(resolved));
      expect(await uow.run((tx) => tx.ticketSla.runningOn(policy.id))).toEqual([]);
      expect(await due(10_000)).not.toContain(ticketId);
    });

    it('rolls the clocks back with the rest of the transaction', async () => {
      const uow = await makeUnitOfWork();
      const policy = aPolicy();
      const ticketId = await committedTicket(uow);
      await uow.run((tx) => tx.slaPolicies.save(policy));
      const { state } = SlaClock.start(policy, 'low', at);
      await expect(
        uow.run(async (tx) => {
          await tx.ticketSla.save({ ticketId, state, lastEventAt: at, nextCheckAt: null });
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await uow.run((tx) => tx.ticketSla.lock(ticketId))).toBeNull();
    });
  });
}
