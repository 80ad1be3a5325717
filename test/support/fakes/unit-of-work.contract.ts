import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CategoryInUseError, CategoryNameTakenError } from '../../../src/core/categories/category.errors.js';
import { EmailTakenError } from '../../../src/core/identity/identity.errors.js';
import { domainEvent } from '../../../src/core/shared/domain-event.js';
import type { UnitOfWork } from '../../../src/core/shared/unit-of-work.port.js';
import { aCategory } from '../factories/category.factory.js';
import { aGroup } from '../factories/group.factory.js';
import { aUser, anSsoUser } from '../factories/identity.factory.js';
import { aTicket } from '../factories/ticket.factory.js';
import { insertTicketsIn } from './contract-tickets.js';
import { describeTriageResultsContract } from './triage-results.contract.js';

/**
 * What the core expects of a UnitOfWork and the repositories in its TransactionScope, written against the ports
 * only, so the same suite can run against the in-memory fake (test/unit) and the TypeORM adapters
 * (test/integration) and keep the fake honest. Data is unique per test, so a shared database is fine.
 */
export function describeUnitOfWorkContract(name: string, makeUnitOfWork: () => UnitOfWork | Promise<UnitOfWork>): void {
  const at = new Date('2025-02-03T10:00:00.000Z');

  /** The `created` activity entry of a ticket. */
  const createdEntry = (ticketId: string, actorId: string) => ({
    id: randomUUID(),
    ticketId,
    actorId,
    type: 'created' as const,
    field: null,
    from: null,
    to: null,
    internal: false,
    occurredAt: at,
  });

  /** A user and a ticket of theirs, committed. */
  async function committedTicket(uow: UnitOfWork) {
    const requester = aUser();
    const ticket = await uow.run(async (tx) => {
      await tx.users.insert(requester, null);
      const t = aTicket({ requesterId: requester.id, number: await tx.tickets.nextNumber() });
      await tx.tickets.insert(t);
      return t;
    });
    return { requester, ticket };
  }

  describe(`${name}: UnitOfWork contract`, () => {
    describe('run', () => {
      it('commits every write when the work resolves, and returns its result', async () => {
        const uow = await makeUnitOfWork();
        const user = aUser();
        const category = aCategory();
        const result = await uow.run(async (tx) => {
          await tx.users.insert(user, 'hash');
          await tx.categories.insert(category);
          return 'done';
        });
        expect(result).toBe('done');
        const [foundUser, foundCategory] = await uow.run(async (tx) =>
          Promise.all([tx.users.findById(user.id), tx.categories.findById(category.id)]),
        );
        expect(foundUser).toMatchObject({ id: user.id, email: user.email });
        expect(foundCategory).toMatchObject({ id: category.id, name: category.name });
      });

      it('rolls back every write when the work throws, and rethrows the same error', async () => {
        const uow = await makeUnitOfWork();
        const user = aUser();
        const category = aCategory();
        const ticketId = randomUUID();
        const boom = new Error('boom');
        const run = uow.run(async (tx) => {
          await tx.users.insert(user, 'hash');
          await tx.categories.insert(category);
          const ticket = aTicket({ id: ticketId, requesterId: user.id, number: await tx.tickets.nextNumber() });
          await tx.tickets.insert(ticket);
          await tx.comments.insert({ id: randomUUID(), ticketId, authorId: user.id, body: 'hi', internal: false, createdAt: at });
          await tx.activity.append(createdEntry(ticketId, user.id));
          await tx.outbox.append(domainEvent('ticket.created', ticketId, user.id, at, {}));
          await tx.idempotency.claim(user.id, 'key-1', { requestHash: 'h1', ticketId }, at);
          // Inside the transaction its own writes are visible.
          expect(await tx.tickets.findById(ticketId)).not.toBeNull();
          throw boom;
        });
        await expect(run).rejects.toBe(boom);

        const after = await uow.run(async (tx) => ({
          user: await tx.users.findById(user.id),
          byEmail: await tx.users.findByEmail(user.email!),
          category: await tx.categories.findById(category.id),
          ticket: await tx.tickets.findById(ticketId),
          claim: await tx.idempotency.claim(user.id, 'key-1', { requestHash: 'h2', ticketId: randomUUID() }, at),
        }));
        expect(after).toEqual({ user: null, byEmail: null, category: null, ticket: null, claim: null });
      });

      it('rolls back the work when an append fails as the transaction ends, and rejects', async () => {
        const uow = await makeUnitOfWork();
        const user = aUser();
        const category = aCategory();
        const run = uow.run(async (tx) => {
          await tx.users.insert(user, 'hash');
          await tx.categories.insert(category);
          // Written with the commit: its ticket does not exist (foreign key).
          await tx.activity.append(createdEntry(randomUUID(), user.id));
          return 'written';
        });
        await expect(run).rejects.toThrow();
        const after = await uow.read(async (tx) => ({
          user: await tx.users.findById(user.id),
          category: await tx.categories.findById(category.id),
        }));
        expect(after).toEqual({ user: null, category: null });
      });

      it('rolls back changes to existing rows too', async () => {
        const uow = await makeUnitOfWork();
        const { ticket } = await committedTicket(uow);
        await expect(
          uow.run(async (tx) => {
            const t = (await tx.tickets.lockById(ticket.id))!;
            t.softDelete(at);
            await tx.tickets.save(t);
            throw new Error('after the save');
          }),
        ).rejects.toThrow('after the save');
        const reloaded = await uow.run((tx) => tx.tickets.findById(ticket.id));
        expect(reloaded!.snapshot()).toMatchObject({ deletedAt: null, version: 1 });
      });

      it('never hands out a ticket number twice, even after a rollback', async () => {
        const uow = await makeUnitOfWork();
        const first = await uow.run((tx) => tx.tickets.nextNumber());
        const rolledBack = await uow
          .run(async (tx) => {
            const n = await tx.tickets.nextNumber();
            throw Object.assign(new Error('rollback'), { n });
          })
          .catch((e: { n: number }) => e.n);
        const third = await uow.run((tx) => tx.tickets.nextNumber());
        expect(rolledBack).toBeGreaterThan(first);
        expect(third).toBeGreaterThan(rolledBack);
      });
    });

    describe('tickets', () => {
      it('returns null from lockById and findById for a missing ticket', async () => {
        const uow = await makeUnitOfWork();
        const found = await uow.run(async (tx) => [await tx.tickets.lockById(randomUUID()), await tx.tickets.findById(randomUUID())]);
        expect(found).toEqual([null, null]);
      });

      it('saves every mutable field and keeps number and createdAt', async () => {
        const uow = await makeUnitOfWork();
        const { ticket } = await committedTicket(uow);
        const agent = aUser({ role: 'agent' });
        const later = new Date(at.getTime() + 60_000);
        await uow.run(async (tx) => {
          await tx.users.insert(agent, null);
          const t = (await tx.tickets.lockById(ticket.id))!;
          t.assignTo({ id: agent.id, role: 'agent' }, agent.id, later);
          t.changeStatus({ id: agent.id, role: 'agent' }, 'resolved', later);
          await tx.tickets.save(t);
        });
        const saved = (await uow.run((tx) => tx.tickets.findById(ticket.id)))!.snapshot();
        expect(saved).toMatchObject({
          number: ticket.snapshot().number,
          createdAt: ticket.snapshot().createdAt,
          assigneeId: agent.id,
          status: 'resolved',
          resolvedAt: later,
          updatedAt: later,
          version: 3,
        });
      });

      it('hands out a detached copy: changing it without save changes nothing', async () => {
        const uow = await makeUnitOfWork();
        const { ticket } = await committedTicket(uow);
        await uow.run(async (tx) => {
          (await tx.tickets.findById(ticket.id))!.softDelete(at);
        });
        expect((await uow.run((tx) => tx.tickets.findById(ticket.id)))!.isDeleted).toBe(false);
      });
    });

    describe('idempotency', () => {
      it('claims a fresh key (null) and returns the earlier record for a second claim', async () => {
        const uow = await makeUnitOfWork();
        const actorId = randomUUID();
        const first = { requestHash: 'hash-a', ticketId: randomUUID() };
        expect(await uow.run((tx) => tx.idempotency.claim(actorId, 'k', first, at))).toBeNull();
        const second = await uow.run((tx) => tx.idempotency.claim(actorId, 'k', { requestHash: 'hash-b', ticketId: randomUUID() }, at));
        expect(second).toEqual(first);
      });

      it('keeps the first result with the claim and returns it to later claims', async () => {
        const uow = await makeUnitOfWork();
        const { requester, ticket } = await committedTicket(uow);
        const first = { requestHash: 'hash-r', ticketId: ticket.id };
        await uow.run(async (tx) => {
          expect(await tx.idempotency.claim(requester.id, 'k-result', first, at)).toBeNull();
          await tx.idempotency.complete(requester.id, 'k-result', ticket.snapshot());
        });
        const again = await uow.run((tx) => tx.idempotency.claim(requester.id, 'k-result', first, at));
        expect(again).toEqual({ ...first, result: ticket.snapshot() });
      });

      it('keeps keys per actor', async () => {
        const uow = await makeUnitOfWork();
        const record = { requestHash: 'h', ticketId: randomUUID() };
        expect(await uow.run((tx) => tx.idempotency.claim(randomUUID(), 'shared', record, at))).toBeNull();
        expect(await uow.run((tx) => tx.idempotency.claim(randomUUID(), 'shared', record, at))).toBeNull();
      });
    });

    describe('categories', () => {
      it('rejects a name taken at the same level, case-insensitively, with CategoryNameTakenError', async () => {
        const uow = await makeUnitOfWork();
        const top = aCategory({ name: `Hardware ${randomUUID()}` });
        await uow.run((tx) => tx.categories.insert(top));
        await expect(
          uow.run((tx) => tx.categories.insert(aCategory({ name: top.name.toUpperCase() }))),
        ).rejects.toBeInstanceOf(CategoryNameTakenError);
        const sub = aCategory({ name: 'Printers', parentId: top.id });
        await uow.run((tx) => tx.categories.insert(sub));
        await expect(
          uow.run((tx) => tx.categories.insert(aCategory({ name: 'printers', parentId: top.id }))),
        ).rejects.toBeInstanceOf(CategoryNameTakenError);
      });

      it('allows the same name under different parents and at the top level', async () => {
        const uow = await makeUnitOfWork();
        const a = aCategory();
        const b = aCategory();
        const name = `Other ${randomUUID()}`;
        await uow.run(async (tx) => {
          await tx.categories.insert(a);
          await tx.categories.insert(b);
          await tx.categories.insert(aCategory({ name, parentId: a.id }));
          await tx.categories.insert(aCategory({ name, parentId: b.id }));
          await tx.categories.insert(aCategory({ name }));
        });
        const names = (await uow.run((tx) => tx.categories.list())).filter((c) => c.name === name);
        expect(names).toHaveLength(3);
      });

      it('lets a category be renamed to its own name in another case, but not to a sibling name', async () => {
        const uow = await makeUnitOfWork();
        const sibling = aCategory({ name: `Network ${randomUUID()}` });
        const self = aCategory({ name: `Software ${randomUUID()}` });
        await uow.run(async (tx) => {
          await tx.categories.insert(sibling);
          await tx.categories.insert(self);
        });
        await uow.run((tx) => tx.categories.update({ ...self, name: self.name.toUpperCase() }));
        expect((await uow.run((tx) => tx.categories.findById(self.id)))!.name).toBe(self.name.toUpperCase());
        await expect(
          uow.run((tx) => tx.categories.update({ ...self, name: sibling.name.toLowerCase() })),
        ).rejects.toBeInstanceOf(CategoryNameTakenError);
      });

      it('returns null from lockById for a missing category', async () => {
        const uow = await makeUnitOfWork();
        expect(await uow.run((tx) => tx.categories.lockById(randomUUID()))).toBeNull();
      });

      it('counts usage by tickets (category or subcategory) and by subcategories', async () => {
        const uow = await makeUnitOfWork();
        const requester = aUser();
        const top = aCategory();
        const sub = aCategory({ parentId: top.id });
        await uow.run(async (tx) => {
          await tx.users.insert(requester, null);
          await tx.categories.insert(top);
          await tx.categories.insert(sub);
          const base = { requesterId: requester.id, categoryId: top.id };
          await tx.tickets.insert(aTicket({ ...base, number: await tx.tickets.nextNumber() }));
          await tx.tickets.insert(aTicket({ ...base, subcategoryId: sub.id, number: await tx.tickets.nextNumber() }));
        });
        const usage = await uow.run(async (tx) => [await tx.categories.usage(top.id), await tx.categories.usage(sub.id)]);
        expect(usage).toEqual([
          { tickets: 2, children: 1 },
          { tickets: 1, children: 0 },
        ]);
      });

      it('refuses to delete a category a ticket refers to with CategoryInUseError, and deletes an unused one', async () => {
        const uow = await makeUnitOfWork();
        const requester = aUser();
        const used = aCategory();
        const unused = aCategory();
        await uow.run(async (tx) => {
          await tx.users.insert(requester, null);
          await tx.categories.insert(used);
          await tx.categories.insert(unused);
          await tx.tickets.insert(aTicket({ requesterId: requester.id, categoryId: used.id, number: await tx.tickets.nextNumber() }));
        });
        await expect(uow.run((tx) => tx.categories.delete(used.id))).rejects.toBeInstanceOf(CategoryInUseError);
        await uow.run((tx) => tx.categories.delete(unused.id));
        expect(await uow.run((tx) => tx.categories.findById(unused.id))).toBeNull();
        expect(await uow.run((tx) => tx.categories.findById(used.id))).not.toBeNull();
      });
    });

    describe('users', () => {
      it('finds local users by email case-insensitively, and never SSO users', async () => {
        const uow = await makeUnitOfWork();
        const local = aUser({ email: `Mixed.${randomUUID()}@Example.test` });
        const sso = anSsoUser({ email: `sso.${randomUUID()}@example.test` });
        await uow.run(async (tx) => {
          await tx.users.insert(local, 'h');
          await tx.users.insert(sso, null);
        });
        const found = await uow.run(async (tx) => [
          (await tx.users.findByEmail(local.email!.toLowerCase()))?.id,
          await tx.users.findByEmail(sso.email!),
        ]);
        expect(found).toEqual([local.id, null]);
      });

      it('rejects a second local account with the same email in another case with EmailTakenError', async () => {
        const uow = await makeUnitOfWork();
        const email = `dup.${randomUUID()}@example.test`;
        await uow.run((tx) => tx.users.insert(aUser({ email }), 'h'));
        await expect(uow.run((tx) => tx.users.insert(aUser({ email: email.toUpperCase() }), 'h'))).rejects.toBeInstanceOf(
          EmailTakenError,
        );
      });

      it('updates only role, active and updatedAt', async () => {
        const uow = await makeUnitOfWork();
        const user = aUser();
        await uow.run((tx) => tx.users.insert(user, 'secret-hash'));
        const later = new Date(at.getTime() + 1000);
        await uow.run((tx) =>
          tx.users.update({ ...user, role: 'agent', active: false, name: 'Changed', email: 'changed@example.test', updatedAt: later }),
        );
        const [saved, hash] = await uow.run(async (tx) => [await tx.users.findById(user.id), await tx.users.passwordHashOf(user.id)]);
        expect(saved).toEqual({ ...user, role: 'agent', active: false, updatedAt: later });
        expect(hash).toBe('secret-hash');
      });

      it('upserts external identities by externalId: creates once, then follows the claims but keeps active', async () => {
        const uow = await makeUnitOfWork();
        const externalId = `kc-${randomUUID()}`;
        const created = await uow.run((tx) =>
          tx.users.upsertExternal({ externalId, email: 'a@example.test', name: 'Ann', role: 'requester' }, at),
        );
        expect(created).toMatchObject({ externalId, name: 'Ann', role: 'requester', active: true, createdAt: at });
        await uow.run((tx) => tx.users.update({ ...created, active: false, updatedAt: at }));
        const later = new Date(at.getTime() + 5000);
        const unchanged = await uow.run((tx) =>
          tx.users.upsertExternal({ externalId, email: 'a@example.test', name: 'Ann', role: 'requester' }, later),
        );
        expect(unchanged).toMatchObject({ id: created.id, updatedAt: at, active: false });
        const changed = await uow.run((tx) =>
          tx.users.upsertExternal({ externalId, email: 'a@example.test', name: 'Ann B', role: 'agent' }, later),
        );
        expect(changed).toMatchObject({ id: created.id, name: 'Ann B', role: 'agent', active: false, updatedAt: later });
      });
    });

    describe('groups', () => {
      it('says a group has tickets waiting only when it hands them out (not manual) and one is unassigned and open', async () => {
        const uow = await makeUnitOfWork();
        const [handing, manual, empty] = [aGroup(), aGroup({ strategy: 'manual' }), aGroup()];
        const requester = aUser();
        await uow.run(async (tx) => {
          await tx.users.insert(requester, null);
          for (const g of [handing, manual, empty]) await tx.groups.insert(g);
          for (const g of [handing, manual]) {
            await tx.tickets.insert(aTicket({ requesterId: requester.id, number: await tx.tickets.nextNumber(), groupId: g.id }));
          }
        });
        const waiting = await uow.read((tx) =>
          Promise.all([tx.groups.hasWaiting(handing.id), tx.groups.hasWaiting(manual.id), tx.groups.hasWaiting(empty.id)]),
        );
        expect(waiting).toEqual([true, false, false]);
      });

      it('finds the default group of a ticket’s current category; null without a category, a default or a ticket', async () => {
        const uow = await makeUnitOfWork();
        const [routed, unrouted] = [aCategory(), aCategory()];
        const group = aGroup({ categoryIds: [routed.id] });
        const ids = await uow.run(async (tx) => {
          for (const c of [routed, unrouted]) await tx.categories.insert(c);
          await tx.groups.insert(group);
          return insertTicketsIn(tx, [routed.id, unrouted.id, null]);
        });
        const found = await uow.read((tx) => Promise.all([...ids, randomUUID()].map((id) => tx.groups.defaultGroupOfTicket(id))));
        expect(found).toEqual([group.id, null, null, null]);
      });
    });

    describeTriageResultsContract(makeUnitOfWork);
  });
}
