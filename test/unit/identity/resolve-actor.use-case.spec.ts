import { describe, expect, it } from 'vitest';
import { AccountDeactivatedError } from '../../../src/core/identity/identity.errors.js';
import { ResolveExternalActor, ResolveLocalActor } from '../../../src/core/identity/resolve-actor.use-case.js';
import { roleFromClaims } from '../../../src/core/identity/role.js';
import { aUser } from '../../support/factories/identity.factory.js';
import { FixedClock } from '../../support/fakes/fixed-clock.js';
import { InMemoryDatabase } from '../../support/fakes/in-memory-database.js';
import { failureOf } from '../failure-of.js';

describe('ResolveExternalActor', () => {
  const identity = { externalId: 'kc-123', email: 'ann@example.test', name: 'Ann', role: 'agent' as const };

  it('provisions a user on first sight and returns the same actor afterwards', async () => {
    const db = new InMemoryDatabase();
    const clock = new FixedClock();
    const resolve = new ResolveExternalActor(db.autocommit.users, clock);
    const first = await resolve.execute(identity);
    const second = await resolve.execute(identity);
    expect(second).toEqual(first);
    expect(first.role).toBe('agent');
    expect(db.users()).toEqual([expect.objectContaining({ id: first.id, externalId: 'kc-123', createdAt: clock.now() })]);
  });

  it('follows a role change made in the identity provider', async () => {
    const db = new InMemoryDatabase();
    const resolve = new ResolveExternalActor(db.autocommit.users, new FixedClock());
    const before = await resolve.execute(identity);
    expect(await resolve.execute({ ...identity, role: 'admin' })).toEqual({ id: before.id, role: 'admin' });
  });

  it('refuses a deactivated user (AccountDeactivatedError)', async () => {
    const db = new InMemoryDatabase();
    const resolve = new ResolveExternalActor(db.autocommit.users, new FixedClock());
    const actor = await resolve.execute(identity);
    await db.autocommit.users.update({ ...db.user(actor.id)!, active: false });
    expect(await failureOf(() => resolve.execute(identity))).toBeInstanceOf(AccountDeactivatedError);
  });
});

describe('ResolveLocalActor', () => {
  it('returns the actor of an active user, null for an unknown one, and refuses a deactivated one', async () => {
    const db = new InMemoryDatabase();
    const resolve = new ResolveLocalActor(db.autocommit.users);
    const ann = db.addUser(aUser({ role: 'agent' }));
    const gone = db.addUser(aUser({ active: false }));
    expect(await resolve.execute(ann.id)).toEqual({ id: ann.id, role: 'agent' });
    expect(await resolve.execute('00000000-0000-4000-8000-0000000000aa')).toBeNull();
    expect(await failureOf(() => resolve.execute(gone.id))).toBeInstanceOf(AccountDeactivatedError);
  });
});

describe('roleFromClaims', () => {
  it.each([
    [['admin', 'agent'], 'admin'],
    [['agent', 'offline_access'], 'agent'],
    [['offline_access'], 'requester'],
    [[], 'requester'],
  ])('maps %j to %s', (roles, role) => {
    expect(roleFromClaims(roles)).toBe(role);
  });
});
