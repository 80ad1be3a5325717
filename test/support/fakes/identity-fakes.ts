import { PasswordHasher } from '../../../src/core/identity/password-hasher.port.js';
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
