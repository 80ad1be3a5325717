import { SignJWT } from 'jose';
import { TokenIssuer, type IssuedToken } from '../../core/identity/token-issuer.port.js';
import type { User } from '../../core/identity/user.js';
import { AuthSettings } from './auth-settings.js';
import { SigningKeys } from './signing-keys.js';

/** Embedded mode: short-lived ES256 access tokens; role/email/name are informational, the DB decides. */
export class JoseTokenIssuer extends TokenIssuer {
  constructor(
    private readonly keys: SigningKeys,
    private readonly settings: AuthSettings,
  ) {
    super();
  }

  async issue(user: User): Promise<IssuedToken> {
    const ttl = this.settings.tokenTtlSeconds;
    const accessToken = await new SignJWT({ role: user.role, email: user.email, name: user.name })
      .setProtectedHeader({ alg: SigningKeys.algorithm, kid: this.keys.kid, typ: 'JWT' })
      .setIssuer(this.settings.issuer)
      .setAudience(this.settings.audience)
      .setSubject(user.id)
      .setIssuedAt()
      .setExpirationTime(`${ttl}s`)
      .sign(this.keys.privateKey);
    return { accessToken, tokenType: 'Bearer', expiresIn: ttl };
  }
}
