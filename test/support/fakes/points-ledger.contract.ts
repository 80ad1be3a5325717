import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { PointsEntry, RecognitionUnitOfWork } from '../../../src/core/recognition/recognition.ports.js';

export interface LedgerWorld {
  uow: RecognitionUnitOfWork;
  /** An agent id the ledger may credit. */
  agent(): Promise<string>;
  /** A ticket id entries may name. */
  ticket(): Promise<string>;
  /** The agent's running total as the read side sees it. */
  total(agentId: string): Promise<number>;
}

/** The PointsLedger port's contract, run against the in-memory fake and PostgreSQL. */
export function describePointsLedgerContract(name: string, makeWorld: () => Promise<LedgerWorld>): void {
  const T0 = Date.parse('2026-11-02T10:00:00.000Z');
  const entry = (agentId: string, ticketId: string, overrides: Partial<PointsEntry> = {}): PointsEntry => ({
    id: randomUUID(),
    agentId,
    eventId: randomUUID(),
    rule: 'resolved_within_sla',
    points: 10,
    reason: 'Resolved #1 within its SLA',
    ticketId,
    at: new Date(T0),
    reverses: null,
    ...overrides,
  });

  describe(`PointsLedger contract: ${name}`, () => {
    it('records an entry once per (event, rule, agent) and keeps the total with it', async () => {
      const w = await makeWorld();
      const [ana, ben, ticket] = await Promise.all([w.agent(), w.agent(), w.ticket()]);
      const first = entry(ana, ticket);
      expect(await w.uow.run(({ ledger }) => ledger.record(first))).toBe(true);
      expect(await w.uow.run(({ ledger }) => ledger.record({ ...first, id: randomUUID(), points: 99 }))).toBe(false);
      expect(await w.uow.run(({ ledger }) => ledger.record({ ...first, id: randomUUID(), rule: 'rating_5', points: 5 }))).toBe(true);
      expect(await w.uow.run(({ ledger }) => ledger.record({ ...first, id: randomUUID(), agentId: ben, points: -8 }))).toBe(true);
      expect(await w.total(ana)).toBe(15);
      expect(await w.total(ben)).toBe(-8);
    });

    it('a rolled-back transaction leaves neither the entry nor the total', async () => {
      const w = await makeWorld();
      const [ana, ticket] = await Promise.all([w.agent(), w.ticket()]);
      const e = entry(ana, ticket);
      await expect(
        w.uow.run(async ({ ledger }) => {
          await ledger.record(e);
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await w.total(ana)).toBe(0);
      expect(await w.uow.run(({ ledger }) => ledger.record(e))).toBe(true);
    });

    it('lists the uncancelled entries of a ticket and rule before an instant; an entry is cancelled once', async () => {
      const w = await makeWorld();
      const [ana, ticket, other] = await Promise.all([w.agent(), w.ticket(), w.ticket()]);
      const early = entry(ana, ticket, { at: new Date(T0) });
      const late = entry(ana, ticket, { at: new Date(T0 + 60_000) });
      await w.uow.run(async ({ ledger }) => {
        for (const e of [early, late, entry(ana, other), entry(ana, ticket, { rule: 'rating_5', points: 5 })]) await ledger.record(e);
      });
      const ids = async (before: number) =>
        (await w.uow.run(({ ledger }) => ledger.uncancelled(ticket, 'resolved_within_sla', new Date(before)))).map((e) => e.id);
      expect(await ids(T0)).toEqual([]);
      expect(await ids(T0 + 60_000)).toEqual([early.id]);
      expect(await ids(T0 + 120_000)).toEqual([early.id, late.id]);
      const takeBack = entry(ana, ticket, { rule: 'resolution_taken_back', points: -10, reverses: early.id, at: new Date(T0 + 90_000) });
      expect(await w.uow.run(({ ledger }) => ledger.record(takeBack))).toBe(true);
      const again = { ...takeBack, id: randomUUID(), eventId: randomUUID() };
      expect(await w.uow.run(({ ledger }) => ledger.record(again))).toBe(false);
      expect(await ids(T0 + 120_000)).toEqual([late.id]);
      expect(await w.total(ana)).toBe(10 + 10 + 10 + 5 - 10);
    });

    it('remembers reopens per ticket, once per event, and answers whether one came after an instant', async () => {
      const w = await makeWorld();
      const [ticket, other] = await Promise.all([w.ticket(), w.ticket()]);
      const eventId = randomUUID();
      await w.uow.run(async ({ ledger }) => {
        await ledger.recordReopen(ticket, eventId, new Date(T0));
        await ledger.recordReopen(ticket, eventId, new Date(T0));
      });
      const after = (id: string, at: number) => w.uow.run(({ ledger }) => ledger.reopenedAfter(id, new Date(at)));
      expect(await after(ticket, T0 - 1)).toBe(true);
      expect(await after(ticket, T0)).toBe(false);
      expect(await after(other, T0 - 1)).toBe(false);
    });
  });
}
