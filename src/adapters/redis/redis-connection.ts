import { Redis } from 'ioredis';
import { within } from '../timing.js';

/** ioredis retryStrategy of every long-lived connection: again every 200 ms more, at most every 2 s. */
export const reconnectDelay = (attempt: number): number => Math.min(attempt * 200, 2000);

/**
 * The API's Redis client. Commands fail fast while Redis is away (no offline queue), so callers can
 * degrade instead of hanging; the client keeps reconnecting in the background.
 */
export class RedisConnection {
  readonly client: Redis;

  constructor(url: string) {
    this.client = new Redis(url, {
      lazyConnect: false,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: 1000,
      retryStrategy: reconnectDelay,
    });
    // Connection errors are reported through /health; the client retries on its own.
    this.client.on('error', () => undefined);
  }

  get isReady(): boolean {
    return this.client.status === 'ready';
  }

  async ping(timeoutMs = 500): Promise<boolean> {
    if (!this.isReady) return false;
    return (await within(this.client.ping().catch(() => null), timeoutMs)) === 'PONG';
  }

  async close(): Promise<void> {
    this.client.disconnect();
  }
}
