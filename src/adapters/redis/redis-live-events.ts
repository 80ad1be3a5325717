import { Redis } from 'ioredis';
import { LiveEventBus, type LiveEvent } from '../../core/live/live-events.js';
import { reconnectDelay, type RedisConnection } from './redis-connection.js';

export const liveChannel = (prefix: string) => `${prefix}:live-events`;

/** Publishes events for every API instance's live streams (one pipelined round trip). */
export async function publishLiveEvents(redis: RedisConnection, channel: string, events: LiveEvent[]): Promise<void> {
  const pipeline = redis.client.pipeline();
  for (const event of events) pipeline.publish(channel, JSON.stringify(event));
  await pipeline.exec();
}

/**
 * Live events over Redis pub/sub. The subscriber connection is opened lazily with the first listener and
 * resubscribes by itself after Redis comes back; what was published while it was away is not replayed.
 */
export class RedisLiveEvents extends LiveEventBus {
  private subscriber: Redis | null = null;
  private readonly listeners = new Set<(event: LiveEvent) => void>();

  constructor(
    private readonly url: string,
    private readonly channel: string,
  ) {
    super();
  }

  subscribe(listener: (event: LiveEvent) => void): () => void {
    this.listeners.add(listener);
    this.connect();
    return () => this.listeners.delete(listener);
  }

  private connect(): void {
    if (this.subscriber) return;
    const sub = new Redis(this.url, { retryStrategy: reconnectDelay, maxRetriesPerRequest: null });
    sub.on('error', () => undefined);
    sub.on('message', (_channel: string, message: string) => {
      let event: LiveEvent;
      try {
        event = JSON.parse(message) as LiveEvent;
      } catch {
        return;
      }
      for (const listener of this.listeners) listener(event);
    });
    void sub.subscribe(this.channel).catch(() => undefined);
    this.subscriber = sub;
  }

  close(): void {
    this.subscriber?.disconnect();
    this.subscriber = null;
    this.listeners.clear();
  }
}
