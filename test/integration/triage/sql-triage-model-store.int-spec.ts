import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { SqlTriageModelStore } from '../../../src/adapters/persistence/sql-triage-models.js';
import { TypeOrmUnitOfWork } from '../../../src/adapters/persistence/typeorm-unit-of-work.js';
import type { NewTriageModel } from '../../../src/core/triage/triage-model-store.port.js';
import { TriageModel } from '../../../src/core/triage/triage-model.js';
import { aUser } from '../../support/factories/identity.factory.js';
import { aTicket } from '../../support/factories/ticket.factory.js';
import { createScratchDatabase } from '../../support/database.js';

// A database of its own: the store reads every finished ticket and the newest model of the whole table.
let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
let db: DataSource;
let store: SqlTriageModelStore;

beforeAll(async () => {
  scratch = await createScratchDatabase();
  db = new DataSource({ type: 'postgres', url: scratch.url, extra: { max: 2 } });
  await db.initialize();
  store = new SqlTriageModelStore(db);
});
afterAll(async () => {
  await db?.destroy();
  await scratch?.drop();
});

const at = (s: number) => new Date(Date.UTC(2025, 0, 1, 0, 0, s));
const model = (examples: number): NewTriageModel => ({
  trainedAt: at(examples),
  examples,
  heldOut: 1,
  accuracy: [{ field: 'categoryId', accuracy: 0.5, tested: 2 }],
  model: TriageModel.train([]).toJSON(),
});

describe('SqlTriageModelStore', () => {
  it('has no active model at first', async () => {
    expect(await store.activeStats()).toBeNull();
    expect(await store.activeVersion()).toBeNull();
  });

  it('numbers models, keeps the newest ones and loads a model back as it was stored', async () => {
    const saved = [];
    for (const n of [1, 2, 3]) saved.push(await store.save(model(n), 2));
    expect(saved.map((s) => s.version)).toEqual([saved[0]!.version, saved[0]!.version + 1, saved[0]!.version + 2]);
    expect(saved[2]).toEqual({ version: saved[2]!.version, trainedAt: at(3), examples: 3, heldOut: 1, accuracy: model(3).accuracy });
    expect(await store.activeStats()).toEqual(saved[2]);
    expect(await store.activeVersion()).toBe(saved[2]!.version);
    expect(await store.load(saved[0]!.version)).toBeNull();
    expect(await store.load(saved[1]!.version)).toEqual(model(2).model);
  });

  it('reads finished live tickets, the most recently finished first, up to the limit, descriptions cut', async () => {
    const uow = new TypeOrmUnitOfWork(db);
    const requester = aUser();
    const ids = await uow.run(async (tx) => {
      await tx.users.insert(requester, null);
      const add = async (overrides: Parameters<typeof aTicket>[0]) => {
        const t = aTicket({ requesterId: requester.id, number: await tx.tickets.nextNumber(), ...overrides });
        await tx.tickets.insert(t);
        return t.id;
      };
      return {
        resolvedEarly: await add({ status: 'resolved', updatedAt: at(10), description: 'x'.repeat(1500), severity: 'high' }),
        closedLate: await add({ status: 'closed', updatedAt: at(30) }),
        resolvedMiddle: await add({ status: 'resolved', updatedAt: at(20), urgency: 'low' }),
        open: await add({ status: 'open' }),
        deleted: await add({ status: 'resolved', updatedAt: at(40), deletedAt: at(41) }),
      };
    });

    const all = await store.trainingTickets(10);
    expect(all.map((t) => t.id)).toEqual([ids.closedLate, ids.resolvedMiddle, ids.resolvedEarly]);
    expect(all[2]).toMatchObject({ severity: 'high', urgency: 'medium', categoryId: null, subcategoryId: null });
    expect(all[2]!.description).toBe('x'.repeat(1000));
    expect((await store.trainingTickets(2)).map((t) => t.id)).toEqual([ids.closedLate, ids.resolvedMiddle]);
    expect(await store.countTrainingTickets(10)).toBe(3);
    expect(await store.countTrainingTickets(2)).toBe(2);
  });
});
