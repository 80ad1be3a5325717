import { randomUUID } from 'node:crypto';
import { afterAll } from 'vitest';
import { DataSource } from 'typeorm';
import { SqlRecognitionQueries, TypeOrmRecognitionUnitOfWork } from '../../../src/adapters/persistence/sql-recognition.js';
import { TypeOrmUnitOfWork } from '../../../src/adapters/persistence/typeorm-unit-of-work.js';
import { testDatabaseUrl } from '../../support/database.js';
import { aUser } from '../../support/factories/identity.factory.js';
import { aTicket } from '../../support/factories/ticket.factory.js';
import { describePointsLedgerContract } from '../../support/fakes/points-ledger.contract.js';

// The contract the in-memory fake passes (test/unit/fakes), here against PostgreSQL.
let dataSource: DataSource | undefined;

describePointsLedgerContract('SqlPointsLedger', async () => {
  if (!dataSource) {
    dataSource = new DataSource({ type: 'postgres', url: testDatabaseUrl(), extra: { max: 4 } });
    await dataSource.initialize();
  }
  const base = new TypeOrmUnitOfWork(dataSource);
  const queries = new SqlRecognitionQueries(dataSource);
  const agent = async () => {
    // Other test files share this database: the factory's numbered emails are only unique within one process.
    const user = aUser({ role: 'agent', email: `agent-${randomUUID()}@example.test` });
    await base.run((tx) => tx.users.insert(user, null));
    return user.id;
  };
  return {
    uow: new TypeOrmRecognitionUnitOfWork(base),
    agent,
    ticket: async () => {
      const requester = await agent();
      return base.run(async (tx) => {
        const ticket = aTicket({ requesterId: requester, number: await tx.tickets.nextNumber() });
        await tx.tickets.insert(ticket);
        return ticket.id;
      });
    },
    total: async (id) => (await queries.totals([id])).get(id) ?? 0,
  };
});

afterAll(async () => {
  await dataSource?.destroy();
});
