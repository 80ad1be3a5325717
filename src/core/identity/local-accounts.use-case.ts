import { randomUUID } from 'node:crypto';
import { Clock } from '../shared/clock.port.js';
import { checkText } from '../shared/text.js';
import { AccountDeactivatedError, EmailTakenError, InvalidCredentialsError, LoginLockedError } from './identity.errors.js';
import { LoginAttempts } from './login-attempts.port.js';
import { PasswordHasher } from './password-hasher.port.js';
import type { Role } from './role.js';
import { TokenIssuer, type IssuedToken } from './token-issuer.port.js';
import type { User } from './user.js';
import { UserRepository } from './user-repository.port.js';

export interface NewLocalAccount {
  email: string;
  password: string;
  name: string;
}

const normaliseEmail = (email: string) => email.trim().toLowerCase();

export const USER_NAME_MAX = 100;

/** Embedded mode: anyone may register; new accounts are requesters. */
export class RegisterLocalUser {
  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly clock: Clock,
  ) {}

  async execute(input: NewLocalAccount, role: Role = 'requester'): Promise<User> {
    const email = normaliseEmail(input.email);
    if (await this.users.findByEmail(email)) throw new EmailTakenError();
    const now = this.clock.now();
    const user: User = {
      id: randomUUID(),
      externalId: null,
      email,
      name: checkText('name', input.name, { max: USER_NAME_MAX }),
      role,
      active: true,
      createdAt: now,
      updatedAt: now,
    };
    // The unique index on email turns a concurrent duplicate into EmailTakenError in the adapter.
    await this.users.insert(user, await this.hasher.hash(input.password));
    return user;
  }
}

/**
 * Password sign-in. A failure costs the same whether or not the email has an account (the password is checked
 * against a dummy hash then), and fails the same way; too many failures lock the account's password sign-in.
 */
export class LogIn {
  private dummyHash: Promise<string> | null = null;

  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokenIssuer,
    private readonly attempts: LoginAttempts,
  ) {}

  async execute(input: { email: string; password: string }): Promise<IssuedToken> {
    const email = normaliseEmail(input.email);
    const locked = await this.attempts.lockedFor(email);
    if (locked > 0) throw new LoginLockedError(locked);
    const user = await this.users.findByEmail(email);
    const hash = user ? await this.users.passwordHashOf(user.id) : null;
    // Unknown emails and SSO-only users (no local hash) do the same work and fail like a wrong password.
    const matches = hash
      ? await this.hasher.verify(hash, input.password)
      : (await this.hasher.verify(await this.dummy(), input.password)) && false;
    if (!user || !matches) {
      await this.attempts.recordFailure(email);
      throw new InvalidCredentialsError();
    }
    await this.attempts.clear(email);
    if (!user.active) throw new AccountDeactivatedError();
    return this.tokens.issue(user);
  }

  /** Makes the dummy hash now, so the first unknown email does not pay for it (called at start). */
  async prepare(): Promise<void> {
    await this.dummy();
  }

  /** A hash of a random password made by the same hasher (same cost), once per process. */
  private dummy(): Promise<string> {
    this.dummyHash ??= this.hasher.hash(randomUUID());
    return this.dummyHash;
  }
}

/** Creates the first admin from configuration when no account with that email exists yet. */
export class BootstrapAdmin {
  constructor(
    private readonly users: UserRepository,
    private readonly register: RegisterLocalUser,
  ) {}

  async execute(input: { email: string; password: string }): Promise<'created' | 'exists'> {
    if (await this.users.findByEmail(normaliseEmail(input.email))) return 'exists';
    try {
      await this.register.execute({ ...input, name: 'Administrator' }, 'admin');
      return 'created';
    } catch (error) {
      if (error instanceof EmailTakenError) return 'exists';
      throw error;
    }
  }
}
