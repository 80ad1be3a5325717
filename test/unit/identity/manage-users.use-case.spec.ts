import { describe, expect, it } from 'vitest';
import {
  CannotChangeOwnAccessError,
  RoleManagedByIdentityProviderError,
  UserNotFoundError,
} from '../../../src/core/identity/identity.errors.js';
import { AccessChanges } from '../../../src/core/identity/access-changes.port.js';
import { UpdateUser, UserDirectory } from '../../../src/core/identity/manage-users.use-case.js';
import type { Role } from '../../../src/core/identity/role.js';
import { ForbiddenError } from '../../../src/core/shared/domain-error.js';
import { actorOf, aUser, anSsoUser } from '../../support/factories/identity.factory.js';
import { FixedClock } from '../../support/fakes/fixed-clock.js';
import { InMemoryDatabase } from '../../support/fakes/in-memory-database.js';
import { failureOf } from '../failure-of.js';

const MISSING = '4b3a2918-0706-4f5e-8d4c-3b2a19080706';

function setup() {
  const db = new InMemoryDatabase();
  const clock = new FixedClock('2025-09-01T10:00:00.000Z');
  const announced: string[] = [];
  const admin = db.addActor('admin');
  const agent = db.addActor('agent');
  const ann = db.addActor('requester');
  const carl = db.addActor('requester');
  const sso = actorOf(db.addUser(anSsoUser({ role: 'agent' })));
  return {
    db,
    clock,
    admin,
    agent,
    ann,
    carl,
    sso,
    announced,
    updateUser: new UpdateUser(db.autocommit.users, clock, new (class extends AccessChanges {
      async announce(userId: string) {
        announced.push(userId);
      }
    })()),
    directory: new UserDirectory(db.autocommit.users),
  };
}

describe('UpdateUser', () => {
  it.each(['agent', 'ann'] as const)('refuses a non-admin (%s) with ForbiddenError', async (who) => {
    const w = setup();
    const before = w.db.user(w.carl.id);
    expect(await failureOf(() => w.updateUser.execute(w[who], { id: w.carl.id, role: 'agent' }))).toBeInstanceOf(ForbiddenError);
    expect(w.db.user(w.carl.id)).toEqual(before);
  });

  it("changes another user's role and active flag, moving updatedAt", async () => {
    const { db, clock, updateUser, admin, carl } = setup();
    const updated = await updateUser.execute(admin, { id: carl.id, role: 'agent', active: false });
    expect(db.user(carl.id)).toEqual(updated);
    expect(updated).toMatchObject({ role: 'agent', active: false, updatedAt: clock.now() });
  });

  it.each([
    ['deactivating', { active: false }],
    ['demoting', { role: 'requester' as const }],
  ])('announces the access change of %s a user, so their open streams end everywhere', async (_name, change) => {
    const { updateUser, admin, agent, announced } = setup();
    await updateUser.execute(admin, { id: agent.id, ...change });
    expect(announced).toEqual([agent.id]);
  });

  it('writes nothing for an update that changes nothing (updatedAt stays)', async () => {
    const { db, clock, updateUser, admin, carl, announced } = setup();
    const before = db.user(carl.id)!;
    clock.advance({ days: 1 });
    expect(await updateUser.execute(admin, { id: carl.id, role: 'requester', active: true })).toEqual(before);
    expect(db.user(carl.id)).toEqual(before);
    expect(announced).toEqual([]);
  });

  it('keeps what the input leaves out', async () => {
    const { db, updateUser, admin, agent } = setup();
    await updateUser.execute(admin, { id: agent.id, active: false });
    expect(db.user(agent.id)).toMatchObject({ role: 'agent', active: false });
  });

  it.each<[string, { role?: Role; active?: boolean }]>([
    ['deactivate', { active: false }],
    ['demote to agent', { role: 'agent' }],
    ['demote to requester', { role: 'requester', active: true }],
  ])('does not let an admin %s themselves (CannotChangeOwnAccessError)', async (_, change) => {
    const { db, updateUser, admin } = setup();
    const before = db.user(admin.id);
    expect(await failureOf(() => updateUser.execute(admin, { id: admin.id, ...change }))).toBeInstanceOf(CannotChangeOwnAccessError);
    expect(db.user(admin.id)).toEqual(before);
  });

  it('lets an admin send their own unchanged access (role admin, active)', async () => {
    const { db, updateUser, admin } = setup();
    await updateUser.execute(admin, { id: admin.id, role: 'admin', active: true });
    expect(db.user(admin.id)).toMatchObject({ role: 'admin', active: true });
  });

  it('lets an admin demote another admin', async () => {
    const { db, updateUser, admin } = setup();
    const other = db.addActor('admin');
    await updateUser.execute(admin, { id: other.id, role: 'agent' });
    expect(db.user(other.id)!.role).toBe('agent');
  });

  it("refuses to change a single-sign-on user's role (RoleManagedByIdentityProviderError)", async () => {
    const { db, updateUser, admin, sso } = setup();
    expect(await failureOf(() => updateUser.execute(admin, { id: sso.id, role: 'admin' }))).toBeInstanceOf(
      RoleManagedByIdentityProviderError,
    );
    expect(db.user(sso.id)!.role).toBe('agent');
  });

  it('still deactivates a single-sign-on user, and accepts their current role unchanged', async () => {
    const { db, updateUser, admin, sso } = setup();
    await updateUser.execute(admin, { id: sso.id, role: 'agent', active: false });
    expect(db.user(sso.id)).toMatchObject({ role: 'agent', active: false });
  });

  it('answers UserNotFoundError for a missing user', async () => {
    const { updateUser, admin } = setup();
    expect(await failureOf(() => updateUser.execute(admin, { id: MISSING, active: false }))).toBeInstanceOf(UserNotFoundError);
  });
});

describe('UserDirectory', () => {
  it('refuses to list users to a requester (ForbiddenError)', async () => {
    const { directory, ann } = setup();
    expect(await failureOf(() => directory.list(ann, { limit: 10 }))).toBeInstanceOf(ForbiddenError);
  });

  it.each(['agent', 'admin'] as const)('lists everyone to an %s, with filters', async (role) => {
    const w = setup();
    expect((await w.directory.list(w[role], { limit: 10 })).items).toHaveLength(5);
    expect((await w.directory.list(w[role], { limit: 10, role: 'requester' })).items.map((u) => u.id).sort()).toEqual(
      [w.ann.id, w.carl.id].sort(),
    );
  });

  it('shows a requester themselves and nobody else (UserNotFoundError)', async () => {
    const { directory, ann, carl, agent } = setup();
    expect((await directory.get(ann, ann.id)).id).toBe(ann.id);
    expect(await failureOf(() => directory.get(ann, carl.id))).toBeInstanceOf(UserNotFoundError);
    expect(await failureOf(() => directory.get(ann, agent.id))).toBeInstanceOf(UserNotFoundError);
  });

  it('shows staff anyone, and answers UserNotFoundError for a missing user', async () => {
    const { db, directory, agent, carl } = setup();
    expect(await directory.get(agent, carl.id)).toEqual(db.user(carl.id));
    expect(await failureOf(() => directory.get(agent, MISSING))).toBeInstanceOf(UserNotFoundError);
  });

  it('shows an inactive user to staff', async () => {
    const { db, directory, admin } = setup();
    const gone = db.addUser(aUser({ active: false }));
    expect((await directory.get(admin, gone.id)).active).toBe(false);
  });
});
