import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import type { TransactionWrites } from '../../src/adapters/persistence/transaction-writes.js';
import { TypeOrmUnitOfWork } from '../../src/adapters/persistence/typeorm-unit-of-work.js';
import { Ticket } from '../../src/core/tickets/ticket.js';
import { createScratchDatabase } from '../support/database.js';
import { aCategory } from '../support/factories/category.factory.js';
import { aUser } from '../support/factories/identity.factory.js';
import { aTicketSnapshot } from '../support/factories/ticket.factory.js';

/** What the read cache's invalidation relies on: after commit, and only after commit, the changed keys. */
describe('TypeOrmUnitOfWork.onWritesCommitted', () => {
  // A database of its own: the factories' emails and ticket numbers repeat across test files.
  let db: { url: string; drop(): Promise<void> };
  let dataSource: DataSource;
  let uow: TypeOrmUnitOfWork;
  const seen: { tickets: string[]; categories: boolean; committed: boolean }[] = [];

  beforeAll(async () => {
    db = await createScratchDatabase();
    dataSource = await new DataSource({ type: 'postgres', url: db.url, extra: { max: 2 } }).initialize();
    uow = new TypeOrmUnitOfWork(dataSource);
    uow.onWritesCommitted(async (writes: TransactionWrites) => {
      // Runs after the commit: another connection already sees the change.
      const [first] = [...writes.tickets];
      const rows: { version: number }[] = first ? await dataSource.query(`SELECT version FROM tickets WHERE id = $1`, [first]) : [];
      seen.push({ tickets: [...writes.tickets], categories: writes.categories, committed: !first || rows[0]?.version === 2 });
    });
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  const seedTicket = async () => {
    const requester = aUser();
    const ticket = Ticket.restore(aTicketSnapshot({ requesterId: requester.id }));
    await uow.run(async (tx) => {
      await tx.users.insert(requester, null);
      await tx.tickets.insert(ticket);
    });
    return ticket;
  };

  it('hands over saved tickets and category changes once committed; new tickets and reads are not changes', async () => {
    const ticket = await seedTicket();
    expect(seen).toEqual([]);
    await uow.run((tx) => tx.tickets.findById(ticket.id));
    expect(seen).toEqual([]);

    await uow.run(async (tx) => {
      const locked = (await tx.tickets.lockById(ticket.id))!;
      locked.recordComment(new Date(), false);
      await tx.tickets.save(locked);
      await tx.categories.insert(aCategory());
    });
    expect(seen).toEqual([{ tickets: [ticket.id], categories: true, committed: true }]);
  });

  it('says nothing about a transaction that rolled back', async () => {
    const ticket = await seedTicket();
    seen.length = 0;
    await expect(
      uow.run(async (tx) => {
        const locked = (await tx.tickets.lockById(ticket.id))!;
        locked.recordComment(new Date(), false);
        await tx.tickets.save(locked);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(seen).toEqual([]);
  });
});
