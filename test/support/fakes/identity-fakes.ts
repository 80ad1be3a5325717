import { LoginAttempts } from '../../../src/core/identity/login-attempts.port.js';
import { PasswordHasher } from '../../../src/core/identity/password-hasher.port.js';
import type { Clock } from '../../../src/core/shared/clock.port.js';
import { TokenIssuer, type IssuedToken } from '../../../src/core/identity/token-issuer.port.js';
import type { User } from '../../../src/core/identity/user.js';

/** Reversible on purpose: a stored hash reads `hashed:<password>`, so a test can tell what was hashed. */
export class FakePasswordHasher extends PasswordHasher {
  async hash(password: string): Promise<string> {
    return `hashed:${password}`;
  }

  async verify(hash: string, password: string): Promise<boolean> {
    return hash === `hashed:${password}`;
  }
}

/** Issues `token-for:<userId>:<role>`, so a test can tell whose token it got. */
export class FakeTokenIssuer extends TokenIssuer {
  static readonly EXPIRES_IN = 900;

  async issue(user: User): Promise<IssuedToken> {
    return { accessToken: `token-for:${user.id}:${user.role}`, tokenType: 'Bearer', expiresIn: FakeTokenIssuer.EXPIRES_IN };
  }
}

/** Failed sign-ins per account in memory, with the Redis adapter's fixed window (started by the first failure). */
export class InMemoryLoginAttempts extends LoginAttempts {
  private readonly failures = new Map<string, { count: number; until: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly maxFailures = 10,
    private readonly windowSeconds = 900,
  ) {
    super();
  }

  async lockedFor(account: string): Promise<number> {
    const entry = this.current(account);
    if (!entry || entry.count < this.maxFailures) return 0;
    return Math.ceil((entry.until - this.clock.now().getTime()) / 1000);
  }

  async recordFailure(account: string): Promise<void> {
    const entry = this.current(account);
    if (entry) entry.count++;
    else this.failures.set(account, { count: 1, until: this.clock.now().getTime() + this.windowSeconds * 1000 });
  }

  async clear(account: string): Promise<void> {
    this.failures.delete(account);
  }

  failuresOf(account: string): number {
    return this.current(account)?.count ?? 0;
  }

  private current(account: string) {
    const entry = this.failures.get(account);
    return entry && entry.until > this.clock.now().getTime() ? entry : undefined;
  }
}
