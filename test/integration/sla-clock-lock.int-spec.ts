import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TickBatchingClient } from '../../src/adapters/persistence/tick-batching-client.js';
import { TypeOrmUnitOfWork } from '../../src/adapters/persistence/typeorm-unit-of-work.js';
import { SlaClock } from '../../src/core/sla/sla-clock.js';
import type { TicketSla } from '../../src/core/sla/ticket-sla.js';
import { Ticket } from '../../src/core/tickets/ticket.js';
import { createScratchDatabase } from '../support/database.js';
import { until } from '../support/until.js';
import { aUser } from '../support/factories/identity.factory.js';
import { aTicketSnapshot } from '../support/factories/ticket.factory.js';
import { aPolicy } from '../unit/sla/policies.js';

/**
 * TicketSlaRepository.lock sends the advisory lock and the read of the clocks together (pipelined): the read must
 * still run under the lock, with a snapshot taken after it was granted, or a worker would miss clocks another one
 * just committed and start them a second time.
 */
describe('SQL ticket SLA lock (PostgreSQL, pipelined connections)', () => {
  let db: { url: string; drop(): Promise<void> };
  let dataSource: DataSource;
  let uow: TypeOrmUnitOfWork;

  beforeAll(async () => {
    db = await createScratchDatabase();
    dataSource = await new DataSource({
      type: 'postgres',
      url: db.url,
      extra: { max: 4, pipeline: true, Client: TickBatchingClient },
    }).initialize();
    uow = new TypeOrmUnitOfWork(dataSource);
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('a second transaction waits for the first and reads the clocks it committed', async () => {
    const requester = aUser();
    const ticket = Ticket.restore(aTicketSnapshot({ requesterId: requester.id }));
    const policy = { ...aPolicy({ id: randomUUID() }), categoryIds: [], isDefault: false, createdAt: new Date(), updatedAt: new Date() };
    await uow.run(async (tx) => {
      await tx.users.insert(requester, null);
      await tx.tickets.insert(ticket);
      await tx.slaPolicies.save(policy);
    });
    const started = SlaClock.start(policy, 'medium', new Date('2025-03-10T10:00:00Z')).state;
    const clocks: TicketSla = { ticketId: ticket.id, state: started, lastEventAt: new Date('2025-03-10T10:00:00Z'), nextCheckAt: null };

    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let firstHasLock!: () => void;
    const locked = new Promise<void>((resolve) => (firstHasLock = resolve));
    const first = uow.run(async (tx) => {
      expect(await tx.ticketSla.lock(ticket.id)).toBeNull();
      firstHasLock();
      await held;
      await tx.ticketSla.save(clocks);
    });
    await locked;
    let secondRead: TicketSla | null | 'pending' = 'pending';
    const second = uow.run(async (tx) => {
      secondRead = await tx.ticketSla.lock(ticket.id);
    });
    // The second waits on the lock while the first holds it: PostgreSQL shows a session of this database waiting
    // on an advisory lock, and the second has read nothing.
    const waiting = async () =>
      Number(
        (
          await dataSource.query(
            `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
             WHERE NOT l.granted AND l.locktype = 'advisory' AND a.datname = current_database()`,
          )
        )[0].n,
      );
    await until(waiting, (n) => n === 1);
    expect(secondRead).toBe('pending');
    release();
    await Promise.all([first, second]);
    expect(secondRead).not.toBeNull();
    expect((secondRead as unknown as TicketSla).state.policyId).toBe(policy.id);
  });
});
