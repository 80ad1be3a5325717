import { describe, expect, it, vi } from 'vitest';
import {
  AccountDeactivatedError,
  EmailTakenError,
  InvalidCredentialsError,
  LoginLockedError,
} from '../../../src/core/identity/identity.errors.js';
import { BootstrapAdmin, LogIn, RegisterLocalUser } from '../../../src/core/identity/local-accounts.use-case.js';
import type { User } from '../../../src/core/identity/user.js';
import { aUser, anSsoUser } from '../../support/factories/identity.factory.js';
import { FixedClock } from '../../support/fakes/fixed-clock.js';
import { FakePasswordHasher, FakeTokenIssuer, InMemoryLoginAttempts } from '../../support/fakes/identity-fakes.js';
import { InMemoryDatabase } from '../../support/fakes/in-memory-database.js';
import { InMemoryUserRepository } from '../../support/fakes/in-memory-repositories.js';
import { failureOf } from '../failure-of.js';

function setup() {
  const db = new InMemoryDatabase();
  const clock = new FixedClock('2025-08-01T07:00:00.000Z');
  const hasher = new FakePasswordHasher();
  const register = new RegisterLocalUser(db.autocommit.users, hasher, clock);
  const attempts = new InMemoryLoginAttempts(clock, 3, 900);
  const logIn = new LogIn(db.autocommit.users, hasher, new FakeTokenIssuer(), attempts);
  const bootstrap = new BootstrapAdmin(db.autocommit.users, register);
  return { db, clock, hasher, attempts, register, logIn, bootstrap };
}

const tokenOf = (user: Pick<User, 'id' | 'role'>) => ({
  accessToken: `token-for:${user.id}:${user.role}`,
  tokenType: 'Bearer',
  expiresIn: FakeTokenIssuer.EXPIRES_IN,
});

describe('RegisterLocalUser', () => {
  it('creates an active local requester with a normalised email, a trimmed name and a hashed password', async () => {
    const { db, clock, register } = setup();
    const user = await register.execute({ email: '  Ann.Lee@Example.TEST ', password: 'correct horse', name: ' Ann Lee ' });
    expect(db.user(user.id)).toEqual({
      id: user.id,
      externalId: null,
      email: 'ann.lee@example.test',
      name: 'Ann Lee',
      role: 'requester',
      active: true,
      createdAt: clock.now(),
      updatedAt: clock.now(),
    });
    expect(db.passwordHash(user.id)).toBe('hashed:correct horse');
  });

  it('creates an account with the role it is given', async () => {
    const { db, register } = setup();
    const user = await register.execute({ email: 'boss@example.test', password: 'pw', name: 'Boss' }, 'admin');
    expect(db.user(user.id)!.role).toBe('admin');
  });

  it.each(['ann@example.test', 'ANN@example.test', '  Ann@Example.Test  '])(
    'refuses %j when ann@example.test is taken (EmailTakenError), creating nothing',
    async (email) => {
      const { db, register } = setup();
      await register.execute({ email: 'ann@example.test', password: 'pw', name: 'Ann' });
      expect(await failureOf(() => register.execute({ email, password: 'other', name: 'Impostor' }))).toBeInstanceOf(EmailTakenError);
      expect(db.users().map((u) => u.name)).toEqual(['Ann']);
    },
  );
});

describe('LogIn', () => {
  async function withAnn(active = true) {
    const w = setup();
    const ann = await w.register.execute({ email: 'ann@example.test', password: 's3cret', name: 'Ann' });
    if (!active) await w.db.autocommit.users.update({ ...ann, active: false });
    return { ...w, ann };
  }

  it('issues a token for the right password, whatever the case and spacing of the email', async () => {
    const { logIn, ann } = await withAnn();
    expect(await logIn.execute({ email: ' ANN@example.test ', password: 's3cret' })).toEqual(tokenOf(ann));
  });

  it.each([
    ['a wrong password', { email: 'ann@example.test', password: 'S3cret' }],
    ['an unknown email', { email: 'bob@example.test', password: 's3cret' }],
  ])('refuses %s with InvalidCredentialsError', async (_, credentials) => {
    const { logIn } = await withAnn();
    expect(await failureOf(() => logIn.execute(credentials))).toBeInstanceOf(InvalidCredentialsError);
  });

  it('checks the password of an unknown email against a dummy hash of the same hasher (the same cost as a wrong password)', async () => {
    const { logIn, hasher } = await withAnn();
    const hash = vi.spyOn(hasher, 'hash');
    const verify = vi.spyOn(hasher, 'verify');
    expect(await failureOf(() => logIn.execute({ email: 'nobody@example.test', password: 'guess-1' }))).toBeInstanceOf(
      InvalidCredentialsError,
    );
    expect(await failureOf(() => logIn.execute({ email: 'nobody-else@example.test', password: 'guess-2' }))).toBeInstanceOf(
      InvalidCredentialsError,
    );
    // One dummy hash per process, verified on every unknown email.
    expect(hash).toHaveBeenCalledTimes(1);
    const dummy = await hash.mock.results[0]!.value;
    expect(verify.mock.calls).toEqual([
      [dummy, 'guess-1'],
      [dummy, 'guess-2'],
    ]);
    // A wrong password of a real account verifies against its own hash: the same one call.
    verify.mockClear();
    await failureOf(() => logIn.execute({ email: 'ann@example.test', password: 'guess-3' }));
    expect(verify.mock.calls).toEqual([['hashed:s3cret', 'guess-3']]);
  });

  it('prepare() makes the dummy hash ahead of the first unknown email', async () => {
    const { logIn, hasher } = setup();
    const hash = vi.spyOn(hasher, 'hash');
    await logIn.prepare();
    expect(hash).toHaveBeenCalledTimes(1);
    await failureOf(() => logIn.execute({ email: 'nobody@example.test', password: 'x' }));
    expect(hash).toHaveBeenCalledTimes(1);
  });

  it('locks the account’s password sign-in after the allowed failures, even for the right password, until the window ends', async () => {
    const { logIn, clock, ann, attempts } = await withAnn();
    for (let i = 0; i < 3; i++) {
      expect(await failureOf(() => logIn.execute({ email: 'ann@example.test', password: `guess-${i}` }))).toBeInstanceOf(
        InvalidCredentialsError,
      );
    }
    const locked = await failureOf(() => logIn.execute({ email: 'ANN@example.test', password: 's3cret' }));
    expect(locked).toBeInstanceOf(LoginLockedError);
    expect((locked as LoginLockedError).details).toEqual({ retryAfterSeconds: 900 });
    clock.advance({ minutes: 10 });
    expect(((await failureOf(() => logIn.execute({ email: 'ann@example.test', password: 's3cret' }))) as LoginLockedError).details).toEqual({
      retryAfterSeconds: 300,
    });
    clock.advance({ minutes: 5 });
    expect(await logIn.execute({ email: 'ann@example.test', password: 's3cret' })).toEqual(tokenOf(ann));
    expect(attempts.failuresOf('ann@example.test')).toBe(0);
  });

  it('locks unknown emails the same way, and a success starts the count again', async () => {
    const { logIn, ann, attempts } = await withAnn();
    for (let i = 0; i < 3; i++) await failureOf(() => logIn.execute({ email: 'ghost@example.test', password: 'x' }));
    expect(await failureOf(() => logIn.execute({ email: 'ghost@example.test', password: 'x' }))).toBeInstanceOf(LoginLockedError);
    await failureOf(() => logIn.execute({ email: 'ann@example.test', password: 'wrong' }));
    await failureOf(() => logIn.execute({ email: 'ann@example.test', password: 'wrong' }));
    expect(await logIn.execute({ email: 'ann@example.test', password: 's3cret' })).toEqual(tokenOf(ann));
    expect(attempts.failuresOf('ann@example.test')).toBe(0);
    await failureOf(() => logIn.execute({ email: 'ann@example.test', password: 'wrong' }));
    expect(attempts.failuresOf('ann@example.test')).toBe(1);
  });

  it('refuses a single-sign-on user, who has no local password, with InvalidCredentialsError', async () => {
    const { db, logIn } = setup();
    db.addUser(anSsoUser({ email: 'sso@example.test' }));
    expect(await failureOf(() => logIn.execute({ email: 'sso@example.test', password: '' }))).toBeInstanceOf(InvalidCredentialsError);
  });

  it('refuses a deactivated account with AccountDeactivatedError, but only once the password is right', async () => {
    const { logIn } = await withAnn(false);
    expect(await failureOf(() => logIn.execute({ email: 'ann@example.test', password: 's3cret' }))).toBeInstanceOf(
      AccountDeactivatedError,
    );
    expect(await failureOf(() => logIn.execute({ email: 'ann@example.test', password: 'guess' }))).toBeInstanceOf(
      InvalidCredentialsError,
    );
  });
});

describe('BootstrapAdmin', () => {
  it("creates the admin once ('created'), then reports 'exists' without creating another", async () => {
    const { db, bootstrap, logIn } = setup();
    expect(await bootstrap.execute({ email: 'Admin@Example.test', password: 'initial' })).toBe('created');
    expect(await bootstrap.execute({ email: 'admin@example.test', password: 'changed' })).toBe('exists');
    const users = db.users();
    expect(users).toEqual([expect.objectContaining({ email: 'admin@example.test', name: 'Administrator', role: 'admin', active: true })]);
    // The second call did not replace the password.
    expect(await logIn.execute({ email: 'admin@example.test', password: 'initial' })).toEqual(tokenOf(users[0]!));
  });

  it("leaves an existing account with that email alone ('exists')", async () => {
    const { db, bootstrap } = setup();
    const existing = db.addUser(aUser({ email: 'admin@example.test', role: 'requester' }), 'hashed:pw');
    expect(await bootstrap.execute({ email: 'admin@example.test', password: 'initial' })).toBe('exists');
    expect(db.users()).toEqual([existing]);
  });

  it("reports 'exists' when another instance created the admin between its check and its insert", async () => {
    const { db, clock } = setup();
    db.addUser(aUser({ email: 'admin@example.test', role: 'admin' }), 'hashed:pw');
    // This instance's first look-up ran before the other instance committed.
    const staleView = new InMemoryUserRepository(() => new InMemoryDatabase().readCommitted());
    const register = new RegisterLocalUser(db.autocommit.users, new FakePasswordHasher(), clock);
    const racing = new BootstrapAdmin(staleView, register);
    expect(await racing.execute({ email: 'admin@example.test', password: 'initial' })).toBe('exists');
    expect(db.users()).toHaveLength(1);
  });
});
