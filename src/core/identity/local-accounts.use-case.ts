import { randomUUID } from 'node:crypto';
import { Clock } from '../shared/clock.port.js';
import { checkText } from '../shared/text.js';
import { AccountDeactivatedError, EmailTakenError, InvalidCredentialsError } from './identity.errors.js';
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

export class LogIn {
  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokenIssuer,
  ) {}

  async execute(input: { email: string; password: string }): Promise<IssuedToken> {
    const user = await this.users.findByEmail(normaliseEmail(input.email));
    const hash = user ? await this.users.passwordHashOf(user.id) : null;
    // Unknown emails and SSO-only users (no local hash) fail with the same error as a wrong password.
    if (!user || !hash || !(await this.hasher.verify(hash, input.password))) throw new InvalidCredentialsError();
    if (!user.active) throw new AccountDeactivatedError();
    return this.tokens.issue(user);
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
