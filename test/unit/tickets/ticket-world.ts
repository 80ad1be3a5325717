import type { Actor } from '../../../src/core/identity/actor.js';
import { PriorityMatrix } from '../../../src/core/tickets/priority-matrix.js';
import type { TicketSnapshot } from '../../../src/core/tickets/ticket.js';
import { aTicket } from '../../support/factories/ticket.factory.js';
import { FixedClock } from '../../support/fakes/fixed-clock.js';
import { InMemoryDatabase } from '../../support/fakes/in-memory-database.js';
import { InMemoryUnitOfWork } from '../../support/fakes/in-memory-unit-of-work.js';

/** A fresh in-memory world for one test: two requesters, two agents and an admin, all active users. */
export function ticketWorld() {
  const db = new InMemoryDatabase();
  const uow = new InMemoryUnitOfWork(db);
  const clock = new FixedClock('2025-06-02T09:30:00.000Z');
  const matrix = new PriorityMatrix();
  const alice = db.addActor('requester');
  const bob = db.addActor('requester');
  const agent = db.addActor('agent');
  const otherAgent = db.addActor('agent');
  const admin = db.addActor('admin');
  /** Seeds a committed ticket of `requester` and returns its snapshot. */
  const ticketOf = (requester: Actor, overrides: Partial<TicketSnapshot> = {}): TicketSnapshot =>
    db.addTicket(aTicket({ requesterId: requester.id, ...overrides })).snapshot();
  return { db, uow, clock, matrix, alice, bob, agent, otherAgent, admin, ticketOf };
}
