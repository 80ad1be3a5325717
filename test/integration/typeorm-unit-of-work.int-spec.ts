import { afterAll } from 'vitest';
import { DataSource } from 'typeorm';
import { TypeOrmUnitOfWork } from '../../src/adapters/persistence/typeorm-unit-of-work.js';
import { testDatabaseUrl } from '../support/database.js';
import { describeUnitOfWorkContract } from '../support/fakes/unit-of-work.contract.js';
import { describeSlaRepositoriesContract } from '../support/fakes/sla-repositories.contract.js';

// The same contract the in-memory fake passes (test/unit/fakes), here against PostgreSQL: keeps the fake honest.
let dataSource: DataSource | undefined;

async function typeOrmUnitOfWork(): Promise<TypeOrmUnitOfWork> {
  if (!dataSource) {
    dataSource = new DataSource({ type: 'postgres', url: testDatabaseUrl(), extra: { max: 4 } });
    await dataSource.initialize();
  }
  return new TypeOrmUnitOfWork(dataSource);
}

describeUnitOfWorkContract('TypeOrmUnitOfWork', typeOrmUnitOfWork);
describeSlaRepositoriesContract('TypeOrmUnitOfWork', typeOrmUnitOfWork);

afterAll(async () => {
  await dataSource?.destroy();
});
