import { randomUUID } from 'node:crypto';
import { InMemoryRecognition } from '../../support/fakes/in-memory-recognition.js';
import { describePointsLedgerContract } from '../../support/fakes/points-ledger.contract.js';

describePointsLedgerContract('InMemoryRecognition', async () => {
  const uow = new InMemoryRecognition();
  return { uow, agent: async () => randomUUID(), ticket: async () => randomUUID(), total: async (id) => uow.totalOf(id) };
});
