import { createPublicKey, type KeyObject } from 'node:crypto';
import { Injectable, Optional, UnauthorizedException } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { decodeProtectedHeader } from 'jose';
import { JwksClient } from 'jwks-rsa';
import { ExtractJwt, Strategy, type SecretOrKeyProvider } from 'passport-jwt';
import type { Actor } from '../../core/identity/actor.js';
import { ResolveExternalActor, ResolveLocalActor } from '../../core/identity/resolve-actor.use-case.js';
import { roleFromClaims } from '../../core/identity/role.js';
import type { ExternalIdentity } from '../../core/identity/user-repository.port.js';
import { ActorCache } from './actor-cache.js';
import { AuthSettings } from './auth-settings.js';
import { SigningKeys } from './signing-keys.js';
import { VerifiedTokenCache } from './verified-token-cache.js';

const CLOCK_SKEW_SECONDS = 30;
const bearerToken = ExtractJwt.fromAuthHeaderAsBearerToken();

type TokenRequest = Parameters<typeof bearerToken>[0];
const OIDC_ALGORITHMS = ['RS256', 'ES256'] as const;

interface Claims {
  iss: string;
  sub?: string;
  exp?: number;
  aud?: string | string[];
  azp?: string;
  email?: string;
  name?: string;
  preferred_username?: string;
  realm_access?: { roles?: unknown };
  resource_access?: Record<string, { roles?: unknown } | undefined>;
}

/**
 * Verifies bearer tokens (signature, algorithm, `iss`, `exp`/`nbf` with 30 s skew) and turns them into the
 * core Actor: Keycloak tokens through the realm's JWKS in enterprise mode, the service's own key otherwise.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  private readonly verified = new VerifiedTokenCache<Claims>(CLOCK_SKEW_SECONDS);

  constructor(
    private readonly settings: AuthSettings,
    private readonly cache: ActorCache,
    private readonly resolveExternal: ResolveExternalActor,
    private readonly resolveLocal: ResolveLocalActor,
    @Optional() keys?: SigningKeys,
  ) {
    super({
      jwtFromRequest: bearerToken,
      secretOrKeyProvider: settings.jwksUri ? jwksKeyProvider(settings.jwksUri) : ownKeyProvider(keys),
      issuer: settings.issuer,
      algorithms: settings.mode === 'oidc' ? [...OIDC_ALGORITHMS] : [SigningKeys.algorithm],
      jsonWebTokenOptions: { clockTolerance: CLOCK_SKEW_SECONDS },
      passReqToCallback: true,
    });
  }

  /** A token verified before (and not yet expired) skips the signature check and goes straight to validate. */
  override authenticate(request: TokenRequest, options?: object): void {
    const token = bearerToken(request);
    const claims = token ? this.verified.get(token) : undefined;
    if (!claims) return super.authenticate(request, options);
    this.validate(request, claims).then(
      (actor) => this.success(actor),
      (error: unknown) => this.error(error as Error),
    );
  }

  async validate(request: TokenRequest, claims: Claims): Promise<Actor> {
    if (!claims.sub) throw new UnauthorizedException('Token has no subject');
    if (typeof claims.exp !== 'number') throw new UnauthorizedException('Token has no expiry');
    if (!isForAudience(claims, this.settings.audience)) throw new UnauthorizedException('Token audience mismatch');
    const subject = claims.sub;
    const actor = await this.cache.get(claims.iss, subject, () =>
      this.settings.mode === 'oidc'
        ? this.resolveExternal.execute(identityFrom(claims, subject, this.settings.audience))
        : this.resolveLocal.execute(subject),
    );
    if (!actor) throw new UnauthorizedException('Token subject is not a known user');
    const token = bearerToken(request);
    if (token) this.verified.remember(token, claims);
    return actor;
  }
}

/** Keycloak puts the API client in `aud` (string or array) or, for tokens requested by that client, in `azp`. */
function isForAudience(claims: Claims, audience: string): boolean {
  const aud = claims.aud;
  return aud === audience || (Array.isArray(aud) && aud.includes(audience)) || claims.azp === audience;
}

function identityFrom(claims: Claims, subject: string, clientId: string): ExternalIdentity {
  const roles = [...stringsIn(claims.realm_access?.roles), ...stringsIn(claims.resource_access?.[clientId]?.roles)];
  return {
    externalId: subject,
    email: claims.email ?? null,
    name: claims.name || claims.preferred_username || claims.email || subject,
    role: roleFromClaims(roles),
  };
}

const stringsIn = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

// passport-jwt's types only admit PEM strings, but jsonwebtoken takes a KeyObject as is and would
// otherwise re-parse the PEM (~150 µs) on every request.
const asSecret = (key: KeyObject) => key as unknown as string;

function ownKeyProvider(keys: SigningKeys | undefined): SecretOrKeyProvider {
  if (!keys) throw new Error('Embedded mode needs SigningKeys');
  return (_request, _rawJwt, done) => done(null, asSecret(keys.publicKey));
}

/**
 * Keys cached by kid; an unknown kid refetches the JWKS (rate-limited), which picks up a rotated key.
 * Other algorithms are refused before any fetch, so unsigned or HMAC tokens cannot make us call the realm.
 */
function jwksKeyProvider(jwksUri: string): SecretOrKeyProvider {
  const client = new JwksClient({ jwksUri, cache: true, rateLimit: true, jwksRequestsPerMinute: 10, timeout: 5_000 });
  const parsed = new Map<string, KeyObject>();
  const keyFor = async (rawJwt: string): Promise<KeyObject> => {
    const { alg, kid } = decodeProtectedHeader(rawJwt);
    if (!OIDC_ALGORITHMS.some((allowed) => allowed === alg)) throw new Error('invalid algorithm');
    const pem = (await client.getSigningKey(kid)).getPublicKey();
    let key = parsed.get(pem);
    if (!key) {
      if (parsed.size >= 32) parsed.clear();
      key = createPublicKey(pem);
      parsed.set(pem, key);
    }
    return key;
  };
  return (_request, rawJwt: string, done) => {
    keyFor(rawJwt).then(
      (key) => done(null, asSecret(key)),
      (error: Error) => done(error),
    );
  };
}
