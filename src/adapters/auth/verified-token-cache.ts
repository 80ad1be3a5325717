const MAX_ENTRIES = 5_000;

interface Entry<C> {
  claims: C;
  /** Epoch ms after which the token is expired, skew included. */
  expiresAt: number;
}

/**
 * Tokens whose signature, issuer and algorithm were already verified, keyed by the exact token string, kept
 * until they expire. Saves the signature check (~100 µs for ES256) on every request after a caller's first;
 * a token is only ever cached after a full verification, and never past its own `exp`.
 */
export class VerifiedTokenCache<C extends { exp?: number }> {
  private readonly entries = new Map<string, Entry<C>>();

  constructor(private readonly skewSeconds: number) {}

  get(token: string, now = Date.now()): C | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (entry.expiresAt <= now) {
      this.entries.delete(token);
      return undefined;
    }
    return entry.claims;
  }

  remember(token: string, claims: C): void {
    if (typeof claims.exp !== 'number') return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(token, { claims, expiresAt: (claims.exp + this.skewSeconds) * 1000 });
  }
}
