import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EmailTakenError } from '../../../src/core/identity/identity.errors.js';
import { domainEvent } from '../../../src/core/shared/domain-event.js';
import { InvalidInputError } from '../../../src/core/shared/domain-error.js';
import { aCategory } from '../../support/factories/category.factory.js';
import { aUser } from '../../support/factories/identity.factory.js';
import { aTicket } from '../../support/factories/ticket.factory.js';
import { FixedClock } from '../../support/fakes/fixed-clock.js';
import { InMemoryDatabase } from '../../support/fakes/in-memory-database.js';
import { InMemoryUnitOfWork } from '../../support/fakes/in-memory-unit-of-work.js';
import { ForeignKeyViolation } from '../../support/fakes/tables.js';
import { describeUnitOfWorkContract } from '../../support/fakes/unit-of-work.contract.js';
import { describeSlaRepositoriesContract } from '../../support/fakes/sla-repositories.contract.js';

describeUnitOfWorkContract('InMemoryUnitOfWork', () => new InMemoryUnitOfWork());
describeSlaRepositoriesContract('InMemoryUnitOfWork', () => new InMemoryUnitOfWork());

const at = new Date('2025-02-03T10:00:00.000Z');

describe('InMemoryUnitOfWork beyond the contract', () => {
  it('rolls back comments, activity and outbox events with the rest', async () => {
    const uow = new InMemoryUnitOfWork();
    const requester = uow.db.addActor('requester');
    const ticket = uow.db.addTicket(aTicket({ requesterId: requester.id }));
    await expect(
      uow.run(async (tx) => {
        await tx.comments.insert({ id: randomUUID(), ticketId: ticket.id, authorId: requester.id, body: 'x', internal: false, createdAt: at });
        await tx.activity.append({
          id: randomUUID(),
          ticketId: ticket.id,
          actorId: requester.id,
          type: 'commented',
          field: null,
          from: null,
          to: null,
          internal: false,
          occurredAt: at,
        });
        await tx.outbox.append(domainEvent('comment.created', ticket.id, requester.id, at, {}));
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    expect([uow.db.comments(), uow.db.activity(), uow.db.outbox()]).toEqual([[], [], []]);
  });

  it('does not show uncommitted writes outside the transaction until it resolves', async () => {
    const uow = new InMemoryUnitOfWork();
    const user = aUser();
    let seenFromOutside: unknown = 'not checked';
    await uow.run(async (tx) => {
      await tx.users.insert(user, null);
      seenFromOutside = uow.db.user(user.id);
    });
    expect(seenFromOutside).toBeUndefined();
    expect(uow.db.user(user.id)).toMatchObject({ id: user.id });
  });

  it('runs units of work one at a time (the second sees the first one committed)', async () => {
    const uow = new InMemoryUnitOfWork();
    const requester = uow.db.addActor('requester');
    const ticket = uow.db.addTicket(aTicket({ requesterId: requester.id, status: 'open' }));
    const agent = { id: uow.db.addActor('agent').id, role: 'agent' as const };
    const bump = (minutes: number) =>
      uow.run(async (tx) => {
        const t = (await tx.tickets.lockById(ticket.id))!;
        await new Promise((resolve) => setTimeout(resolve, 1));
        t.assignTo(agent, minutes % 2 ? agent.id : null, new Date(at.getTime() + minutes * 60_000));
        await tx.tickets.save(t);
      });
    await Promise.all([bump(1), bump(2), bump(3)]);
    // Three serialised read-modify-writes: no lost update.
    expect(uow.db.ticket(ticket.id)!.version).toBe(4);
  });

  it('refuses a nested run instead of deadlocking', async () => {
    const uow = new InMemoryUnitOfWork();
    await expect(uow.run(() => uow.run(async () => 1))).rejects.toThrow(/inside another one/);
  });

  it('refuses to use a scope after its unit of work ended', async () => {
    const uow = new InMemoryUnitOfWork();
    const leaked = await uow.run(async (tx) => tx);
    await expect(leaked.users.findById(randomUUID())).rejects.toThrow(/already ended/);
  });

  it('enforces foreign keys like the schema (ticket requester, comment ticket)', async () => {
    const uow = new InMemoryUnitOfWork();
    await expect(uow.run((tx) => tx.tickets.insert(aTicket()))).rejects.toBeInstanceOf(ForeignKeyViolation);
    const author = uow.db.addActor('agent');
    await expect(
      uow.run((tx) =>
        tx.comments.insert({ id: randomUUID(), ticketId: randomUUID(), authorId: author.id, body: 'x', internal: false, createdAt: at }),
      ),
    ).rejects.toMatchObject({ code: '23503' });
  });

  it('stores activity values and outbox payloads as JSON, like jsonb columns', async () => {
    const uow = new InMemoryUnitOfWork();
    const requester = uow.db.addActor('requester');
    const ticket = uow.db.addTicket(aTicket({ requesterId: requester.id }));
    await uow.run(async (tx) => {
      await tx.activity.append({
        id: randomUUID(),
        ticketId: ticket.id,
        actorId: null,
        type: 'field_changed',
        field: 'dueAt',
        from: undefined,
        to: at,
        internal: false,
        occurredAt: at,
      });
      await tx.outbox.append(domainEvent('ticket.updated', ticket.id, null, at, { when: at }));
    });
    expect(uow.db.activity()[0]).toMatchObject({ from: null, to: at.toISOString() });
    expect(uow.db.outbox()[0]).toMatchObject({ payload: { when: at.toISOString() }, sentAt: null });
  });

  it('starts ticket numbers at 1000 and continues after seeded tickets', async () => {
    const db = new InMemoryDatabase();
    const uow = new InMemoryUnitOfWork(db);
    expect(await uow.run((tx) => tx.tickets.nextNumber())).toBe(1000);
    const requester = db.addActor('requester');
    db.addTicket(aTicket({ requesterId: requester.id, number: 2000 }));
    expect(await uow.run((tx) => tx.tickets.nextNumber())).toBe(2001);
  });

  it('deletes a category with subcategories only through the use case guard: the foreign key still refuses', async () => {
    const uow = new InMemoryUnitOfWork();
    const top = uow.db.addCategory(aCategory());
    uow.db.addCategory(aCategory({ parentId: top.id }));
    await expect(uow.run((tx) => tx.categories.delete(top.id))).rejects.toMatchObject({ code: 'CATEGORY_IN_USE' });
  });

  describe('autocommit repositories', () => {
    it('commit each call on its own, and roll back a failing one', async () => {
      const db = new InMemoryDatabase();
      const email = 'Ann@Example.test';
      await db.autocommit.users.insert(aUser({ email }), 'h');
      await expect(db.autocommit.users.insert(aUser({ email: 'ann@example.test' }), 'h')).rejects.toBeInstanceOf(EmailTakenError);
      expect(db.users().map((u) => u.email)).toEqual([email]);
    });

    it('cannot be used inside a unit of work', async () => {
      const db = new InMemoryDatabase();
      const uow = new InMemoryUnitOfWork(db);
      await expect(uow.run(() => db.autocommit.users.findById(randomUUID()))).rejects.toThrow(/inside another one/);
    });
  });

  describe('user list', () => {
    const seed = () => {
      const db = new InMemoryDatabase();
      for (const [name, role, active] of [
        ['Carol', 'agent', true],
        ['alice', 'requester', true],
        ['Bob', 'agent', false],
        ['Dave', 'admin', true],
      ] as const) {
        db.addUser(aUser({ name, role, active, email: `${name.toLowerCase()}@corp.test` }));
      }
      return db.autocommit.users;
    };

    it('orders by name and pages with a cursor', async () => {
      const users = seed();
      const first = await users.list({ limit: 3 });
      expect(first.items.map((u) => u.name)).toEqual(['Bob', 'Carol', 'Dave']);
      const second = await users.list({ limit: 3, cursor: first.nextCursor! });
      expect(second).toMatchObject({ items: [{ name: 'alice' }], nextCursor: null });
    });

    it('filters by role, active and a case-insensitive search over name and email', async () => {
      const users = seed();
      expect((await users.list({ limit: 10, role: 'agent', active: true })).items.map((u) => u.name)).toEqual(['Carol']);
      expect((await users.list({ limit: 10, q: 'ALI' })).items.map((u) => u.name)).toEqual(['alice']);
      expect((await users.list({ limit: 10, q: 'corp.test' })).items).toHaveLength(4);
    });

    it('rejects a cursor it did not issue', async () => {
      await expect(seed().list({ limit: 3, cursor: 'nonsense' })).rejects.toBeInstanceOf(InvalidInputError);
    });
  });
});

describe('FixedClock', () => {
  it('stands still, and moves only when set or advanced', () => {
    const clock = new FixedClock('2025-01-01T00:00:00.000Z');
    expect(clock.now()).toEqual(clock.now());
    expect(clock.advance({ hours: 1, minutes: 30 })).toEqual(new Date('2025-01-01T01:30:00.000Z'));
    expect(clock.advance(500).toISOString()).toBe('2025-01-01T01:30:00.500Z');
    expect(clock.set('2026-06-01T12:00:00.000Z')).toEqual(new Date('2026-06-01T12:00:00.000Z'));
  });

  it('hands out a fresh Date each time, so a caller mutating one does not move the clock', () => {
    const clock = new FixedClock();
    clock.now().setFullYear(1999);
    expect(clock.now()).toEqual(FixedClock.DEFAULT_START);
  });
});
