import type { Env } from '../../config/env.js';

export type AuthMode = 'oidc' | 'embedded';

/** Issuer of the tokens the service signs itself in embedded mode. */
export const EMBEDDED_ISSUER = 'tessera';

/** How tokens are verified: against a Keycloak realm (enterprise) or the service's own key (embedded). */
export class AuthSettings {
  constructor(
    readonly mode: AuthMode,
    readonly issuer: string,
    readonly audience: string,
    /** The realm's JWKS endpoint; null in embedded mode. */
    readonly jwksUri: string | null,
    readonly tokenTtlSeconds: number,
    readonly actorCacheSeconds: number,
  ) {}

  static fromEnv(env: Env): AuthSettings {
    const issuer = env.OIDC_ISSUER_URL;
    return new AuthSettings(
      issuer ? 'oidc' : 'embedded',
      issuer ?? EMBEDDED_ISSUER,
      env.OIDC_AUDIENCE,
      issuer ? (env.OIDC_JWKS_URL ?? `${issuer.replace(/\/+$/, '')}/protocol/openid-connect/certs`) : null,
      env.EMBEDDED_TOKEN_TTL_SECONDS,
      env.ACTOR_CACHE_SECONDS,
    );
  }
}
