import { createHash } from 'node:crypto';
import { LoginAttempts } from '../../core/identity/login-attempts.port.js';
import { TIMED_OUT, within } from '../timing.js';
import type { RedisConnection } from './redis-connection.js';

// One counter per account and window: the first failure starts the window; the count only grows inside it.
const RECORD = `
local failures = redis.call('INCR', KEYS[1])
if failures == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return failures`;

export interface LoginLockSettings {
  maxFailures: number;
  windowSeconds: number;
  /** Redis key prefix (QUEUE_PREFIX): installations sharing a Redis keep apart. */
  prefix: string;
}

/**
 * Failed sign-ins counted in Redis, so every replica sees the same count. Keys hold a hash of the email, not the
 * email. While Redis is unreachable nothing is counted or locked (like the rate limits), and a warning is logged.
 */
export class RedisLoginAttempts extends LoginAttempts {
  constructor(
    private readonly redis: RedisConnection,
    private readonly settings: LoginLockSettings,
    private readonly log: { warn(message: string): void },
  ) {
    super();
  }

  async lockedFor(account: string): Promise<number> {
    const reply = await this.attempt(() => this.redis.client.multi().get(this.key(account)).ttl(this.key(account)).exec());
    if (!reply) return 0;
    const failures = Number(reply[0]?.[1] ?? 0);
    const ttl = Number(reply[1]?.[1] ?? -2);
    if (failures < this.settings.maxFailures) return 0;
    return ttl > 0 ? ttl : this.settings.windowSeconds;
  }

  async recordFailure(account: string): Promise<void> {
    const failures = await this.attempt(() => this.redis.client.eval(RECORD, 1, this.key(account), this.settings.windowSeconds));
    if (failures === this.settings.maxFailures) {
      this.log.warn(
        `Password sign-in locked for ${account}: ${failures} failed sign-ins within ${this.settings.windowSeconds} s`,
      );
    }
  }

  async clear(account: string): Promise<void> {
    await this.attempt(() => this.redis.client.del(this.key(account)));
  }

  private key(account: string): string {
    return `${this.settings.prefix}:login-failures:${createHash('sha256').update(account).digest('base64url')}`;
  }

  private async attempt<T>(command: () => Promise<T>): Promise<T | null> {
    if (!this.redis.isReady) {
      this.log.warn('Redis is unreachable: failed sign-ins are not counted');
      return null;
    }
    const result = await within(command().catch(() => null), 1000);
    return result === TIMED_OUT ? null : result;
  }
}
