import { Redis } from 'ioredis';

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
      retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    });
    // Connection errors are reported through /health; the client retries on its own.
    this.client.on('error', () => undefined);
  }

  get isReady(): boolean {
    return this.client.status === 'ready';
  }

  async ping(timeoutMs = 500): Promise<boolean> {
    if (!this.isReady) return false;
    const timeout = new Promise<false>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref());
    return Promise.race([this.client.ping().then((r) => r === 'PONG').catch(() => false), timeout]);
  }

  async close(): Promise<void> {
    this.client.disconnect();
  }
}
