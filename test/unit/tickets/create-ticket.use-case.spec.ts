import { describe, expect, it } from 'vitest';
import { ForbiddenError } from '../../../src/core/shared/domain-error.js';
import { Outbox } from '../../../src/core/shared/domain-event.js';
import { UnitOfWork, type TransactionScope } from '../../../src/core/shared/unit-of-work.port.js';
import { CreateTicket, type CreateTicketInput } from '../../../src/core/tickets/create-ticket.use-case.js';
import { PriorityMatrix } from '../../../src/core/tickets/priority-matrix.js';
import { DeleteTicket } from '../../../src/core/tickets/delete-ticket.use-case.js';
import {
  IdempotencyKeyReusedError,
  InvalidReferenceError,
  TicketNotFoundError,
} from '../../../src/core/tickets/ticket.errors.js';
import { aCategory } from '../../support/factories/category.factory.js';
import { failureOf } from '../failure-of.js';
import { FixedClock } from '../../support/fakes/fixed-clock.js';
import { InMemoryDatabase } from '../../support/fakes/in-memory-database.js';
import { InMemoryUnitOfWork } from '../../support/fakes/in-memory-unit-of-work.js';

function setup() {
  const db = new InMemoryDatabase();
  const clock = new FixedClock('2025-06-02T09:30:00.000Z');
  const uow = new InMemoryUnitOfWork(db);
  const createTicket = new CreateTicket(uow, new PriorityMatrix(), clock);
  const alice = db.addActor('requester');
  const bob = db.addActor('requester');
  const agent = db.addActor('agent');
  const admin = db.addActor('admin');
  return { db, clock, uow, createTicket, alice, bob, agent, admin };
}

const body = (overrides: Partial<CreateTicketInput> = {}): CreateTicketInput => ({
  title: 'VPN drops',
  description: 'Every ten minutes the VPN disconnects',
  ...overrides,
});

/** A UnitOfWork whose outbox fails, to show that the ticket and its records commit together or not at all. */
class FailingOutboxUnitOfWork extends UnitOfWork {
  constructor(private readonly inner: UnitOfWork) {
    super();
  }

  run<T>(work: (tx: TransactionScope) => Promise<T>): Promise<T> {
    return this.inner.run((tx) =>
      work({
        ...tx,
        outbox: new (class extends Outbox {
          async append(): Promise<void> {
            throw new Error('outbox unavailable');
          }
        })(),
      }),
    );
  }
}

describe('CreateTicket', () => {
  it('opens a ticket for the actor with defaults, and commits it', async () => {
    const { db, clock, createTicket, alice } = setup();
    const { ticket, replayed } = await createTicket.execute(alice, body());
    expect(replayed).toBe(false);
    expect(db.ticket(ticket.id)).toEqual(ticket.snapshot());
    expect(db.ticket(ticket.id)).toMatchObject({
      number: 1000,
      title: 'VPN drops',
      status: 'new',
      severity: 'medium',
      urgency: 'medium',
      priority: 'medium',
      requesterId: alice.id,
      categoryId: null,
      subcategoryId: null,
      tags: [],
      createdAt: clock.now(),
      version: 1,
    });
  });

  it("writes the 'created' activity entry and the 'ticket.created' outbox event with the ticket", async () => {
    const { db, clock, createTicket, alice } = setup();
    const { ticket } = await createTicket.execute(alice, body({ severity: 'critical', urgency: 'high' }));
    expect(db.activity(ticket.id)).toEqual([
      expect.objectContaining({ type: 'created', actorId: alice.id, internal: false, occurredAt: clock.now() }),
    ]);
    expect(db.outbox()).toEqual([
      expect.objectContaining({
        type: 'ticket.created',
        aggregateId: ticket.id,
        actorId: alice.id,
        occurredAt: clock.now(),
        payload: expect.objectContaining({
          ticket: expect.objectContaining({ id: ticket.id, number: 1000, status: 'new', priority: 'critical', version: 1 }),
          changes: [{ type: 'created' }],
        }),
      }),
    ]);
  });

  it('commits nothing when a write of the same unit of work fails (here: the outbox)', async () => {
    const { db, alice } = setup();
    const failing = new CreateTicket(new FailingOutboxUnitOfWork(new InMemoryUnitOfWork(db)), new PriorityMatrix(), new FixedClock());
    await expect(failing.execute(alice, body({ idempotencyKey: 'k1' }))).rejects.toThrow('outbox unavailable');
    expect([db.tickets(), db.activity(), db.outbox(), db.idempotencyKeys()]).toEqual([[], [], [], []]);
  });

  describe('Idempotency-Key', () => {
    it('replays the first ticket (replayed=true) for the same key and body, creating nothing new', async () => {
      const { db, clock, createTicket, alice } = setup();
      const first = await createTicket.execute(alice, body({ idempotencyKey: 'key-1', tags: ['vpn'] }));
      clock.advance({ minutes: 5 });
      // Same body with the keys in another order.
      const again = await createTicket.execute(alice, { tags: ['vpn'], idempotencyKey: 'key-1', description: body().description, title: 'VPN drops' });
      expect(again.replayed).toBe(true);
      expect(again.ticket.snapshot()).toEqual(first.ticket.snapshot());
      expect(db.tickets()).toHaveLength(1);
      expect(db.outbox()).toHaveLength(1);
    });

    it('refuses the same key with a different body (IdempotencyKeyReusedError) and creates nothing', async () => {
      const { db, createTicket, alice } = setup();
      await createTicket.execute(alice, body({ idempotencyKey: 'key-1' }));
      await expect(createTicket.execute(alice, body({ idempotencyKey: 'key-1', title: 'Other' }))).rejects.toBeInstanceOf(
        IdempotencyKeyReusedError,
      );
      expect(db.tickets()).toHaveLength(1);
    });

    it('keeps keys per actor: another actor with the same key and body gets a ticket of their own', async () => {
      const { db, createTicket, alice, bob } = setup();
      const a = await createTicket.execute(alice, body({ idempotencyKey: 'shared' }));
      const b = await createTicket.execute(bob, body({ idempotencyKey: 'shared' }));
      expect(b.replayed).toBe(false);
      expect(b.ticket.id).not.toBe(a.ticket.id);
      expect(db.tickets().map((t) => t.requesterId).sort()).toEqual([alice.id, bob.id].sort());
    });

    it('does not use up a key when the request fails: the claim rolls back with it', async () => {
      const { db, createTicket, agent } = setup();
      await expect(
        createTicket.execute(agent, body({ idempotencyKey: 'key-2', requesterId: '00000000-0000-4000-8000-000000000000' })),
      ).rejects.toBeInstanceOf(InvalidReferenceError);
      const retry = await createTicket.execute(agent, body({ idempotencyKey: 'key-2', title: 'Fixed request' }));
      expect(retry.replayed).toBe(false);
      expect(db.ticket(retry.ticket.id)!.title).toBe('Fixed request');
    });

    it('does not show a requester their ticket through a replay once an admin deleted it', async () => {
      // Deleted tickets are visible to admins only (ticket-access.ts); the replay path must not bypass that.
      const { db, createTicket, alice, admin } = setup();
      const { ticket } = await createTicket.execute(alice, body({ idempotencyKey: 'key-3' }));
      await new DeleteTicket(new InMemoryUnitOfWork(db), new FixedClock()).execute(admin, { id: ticket.id, restore: false });
      const replay = await createTicket.execute(alice, body({ idempotencyKey: 'key-3' })).then(
        (created) => ({ replayed: created.replayed, deletedAt: created.ticket.snapshot().deletedAt }),
        (error: unknown) => error,
      );
      expect(replay).toBeInstanceOf(TicketNotFoundError);
    });

    it('creates a new ticket for every request without a key', async () => {
      const { db, createTicket, alice } = setup();
      await createTicket.execute(alice, body());
      await createTicket.execute(alice, body());
      expect(db.tickets().map((t) => t.number)).toEqual([1000, 1001]);
    });
  });

  describe('requester', () => {
    it('does not let a requester open a ticket for someone else', async () => {
      const { db, createTicket, alice, bob } = setup();
      const error = await failureOf(() => createTicket.execute(alice, body({ requesterId: bob.id })));
      expect(error).toBeInstanceOf(ForbiddenError);
      expect((error as ForbiddenError).code).toBe('REQUESTER_FORBIDDEN');
      expect(db.tickets()).toEqual([]);
    });

    it('lets a requester name themselves', async () => {
      const { createTicket, alice } = setup();
      const { ticket } = await createTicket.execute(alice, body({ requesterId: alice.id }));
      expect(ticket.requesterId).toBe(alice.id);
    });

    it.each(['agent', 'admin'] as const)('lets an %s open a ticket for an active user, logged as their action', async (role) => {
      const w = setup();
      const staff = w[role];
      const { ticket } = await w.createTicket.execute(staff, body({ requesterId: w.bob.id }));
      expect(w.db.ticket(ticket.id)!.requesterId).toBe(w.bob.id);
      expect(w.db.activity(ticket.id)[0]!.actorId).toBe(staff.id);
    });

    it.each([
      ['an inactive user', (db: InMemoryDatabase) => db.addActor('requester', { active: false }).id],
      ['an unknown user', () => '3f1d6c1e-0b8a-4d35-b1f4-9b4a1c0f2e77'],
    ])('refuses an agent opening a ticket for %s (InvalidReferenceError on requesterId)', async (_, requesterOf) => {
      const { db, createTicket, agent } = setup();
      const error = await failureOf(() => createTicket.execute(agent, body({ requesterId: requesterOf(db) })));
      expect(error).toBeInstanceOf(InvalidReferenceError);
      expect((error as InvalidReferenceError).fieldErrors).toEqual([{ field: 'requesterId', message: 'must be an active user' }]);
      expect(db.tickets()).toEqual([]);
    });
  });

  describe('priority', () => {
    it('refuses a requester-set priority and creates nothing', async () => {
      const { db, createTicket, alice } = setup();
      await expect(createTicket.execute(alice, body({ priority: 'critical' }))).rejects.toMatchObject({ code: 'PRIORITY_FORBIDDEN' });
      expect(db.tickets()).toEqual([]);
    });

    it("records an agent's priority as an override", async () => {
      const { db, clock, createTicket, agent } = setup();
      const { ticket } = await createTicket.execute(agent, body({ priority: 'low', severity: 'critical', urgency: 'high' }));
      expect(db.ticket(ticket.id)).toMatchObject({ priority: 'low', priorityOverride: { by: agent.id, at: clock.now() } });
    });
  });

  describe('classification', () => {
    function withCategories() {
      const w = setup();
      const hardware = w.db.addCategory(aCategory({ name: 'Hardware' }));
      const printers = w.db.addCategory(aCategory({ name: 'Printers', parentId: hardware.id }));
      const software = w.db.addCategory(aCategory({ name: 'Software' }));
      return { ...w, hardware, printers, software };
    }

    it('accepts a category with one of its subcategories', async () => {
      const { db, createTicket, alice, hardware, printers } = withCategories();
      const { ticket } = await createTicket.execute(alice, body({ categoryId: hardware.id, subcategoryId: printers.id }));
      expect(db.ticket(ticket.id)).toMatchObject({ categoryId: hardware.id, subcategoryId: printers.id });
    });

    it('takes the category from a subcategory given alone', async () => {
      const { db, createTicket, alice, hardware, printers } = withCategories();
      const { ticket } = await createTicket.execute(alice, body({ subcategoryId: printers.id }));
      expect(db.ticket(ticket.id)).toMatchObject({ categoryId: hardware.id, subcategoryId: printers.id });
    });

    it.each([
      ['a subcategory of another category', (c: ReturnType<typeof withCategories>) => ({ categoryId: c.software.id, subcategoryId: c.printers.id }), 'subcategoryId', 'does not belong to categoryId'],
      ['a top-level category as subcategory', (c: ReturnType<typeof withCategories>) => ({ subcategoryId: c.software.id }), 'subcategoryId', 'is not a subcategory'],
      ['an unknown subcategory', () => ({ subcategoryId: '9b0b5f3e-2f4a-4c1d-8e7f-6a5b4c3d2e1f' }), 'subcategoryId', 'is not a subcategory'],
      ['a subcategory as category', (c: ReturnType<typeof withCategories>) => ({ categoryId: c.printers.id }), 'categoryId', 'is not a top-level category'],
      ['an unknown category', () => ({ categoryId: '9b0b5f3e-2f4a-4c1d-8e7f-6a5b4c3d2e1f' }), 'categoryId', 'is not a top-level category'],
    ])('refuses %s (InvalidReferenceError) and creates nothing', async (_, input, field, message) => {
      const c = withCategories();
      const error = await failureOf(() => c.createTicket.execute(c.alice, body(input(c))));
      expect(error).toBeInstanceOf(InvalidReferenceError);
      expect((error as InvalidReferenceError).fieldErrors).toEqual([{ field, message }]);
      expect(c.db.tickets()).toEqual([]);
    });
  });
});
