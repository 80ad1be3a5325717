import { Redis } from 'ioredis';
import { AccessChanges } from '../../core/identity/access-changes.port.js';
import { LiveEventBus, type LiveEvent } from '../../core/live/live-events.js';
import { reconnectDelay, type RedisConnection } from './redis-connection.js';

export const liveChannel = (prefix: string) => `${prefix}:live-events`;
export const accessChannel = (prefix: string) => `${prefix}:access-changed`;

/** Publishes events for every API instance's live streams (one pipelined round trip). */
export async function publishLiveEvents(redis: RedisConnection, channel: string, events: LiveEvent[]): Promise<void> {
  const pipeline = redis.client.pipeline();
  for (const event of events) pipeline.publish(channel, JSON.stringify(event));
  await pipeline.exec();
}

/**
 * Live events and access changes over Redis pub/sub. The subscriber connection is opened lazily with the first
 * listener and resubscribes by itself after Redis comes back; what was published while it was away is not replayed.
 */
export class RedisLiveEvents extends LiveEventBus {
  private subscriber: Redis | null = null;
  private readonly listeners = new Set<(event: LiveEvent) => void>();
  private readonly accessListeners = new Set<(userId: string) => void>();

  constructor(
    private readonly url: string,
    private readonly channel: string,
    private readonly accessChangedChannel: string,
  ) {
    super();
  }

  subscribe(listener: (event: LiveEvent) => void): () => void {
    this.listeners.add(listener);
    this.connect();
    return () => this.listeners.delete(listener);
  }

  onAccessChanged(listener: (userId: string) => void): () => void {
    this.accessListeners.add(listener);
    this.connect();
    return () => this.accessListeners.delete(listener);
  }

  /** Tells this instance's listeners at once (Redis may be away); the others hear it through Redis. */
  accessChangedHere(userId: string): void {
    for (const listener of [...this.accessListeners]) listener(userId);
  }

  private connect(): void {
    if (this.subscriber) return;
    const sub = new Redis(this.url, { retryStrategy: reconnectDelay, maxRetriesPerRequest: null });
    sub.on('error', () => undefined);
    sub.on('message', (channel: string, message: string) => {
      if (channel === this.accessChangedChannel) {
        this.accessChangedHere(message);
        return;
      }
      let event: LiveEvent;
      try {
        event = JSON.parse(message) as LiveEvent;
      } catch {
        return;
      }
      for (const listener of this.listeners) listener(event);
    });
    void sub.subscribe(this.channel, this.accessChangedChannel).catch(() => undefined);
    this.subscriber = sub;
  }

  close(): void {
    this.subscriber?.disconnect();
    this.subscriber = null;
    this.listeners.clear();
    this.accessListeners.clear();
  }
}

/** AccessChanges over the live bus: this instance hears it at once, every other one through Redis pub/sub. */
export class RedisAccessChanges extends AccessChanges {
  constructor(
    private readonly bus: RedisLiveEvents,
    private readonly redis: RedisConnection,
    private readonly channel: string,
    private readonly log: { warn(message: string): void },
  ) {
    super();
  }

  async announce(userId: string): Promise<void> {
    this.bus.accessChangedHere(userId);
    try {
      await this.redis.client.publish(this.channel, userId);
    } catch (error) {
      this.log.warn(`Could not tell the other instances that user ${userId}'s access changed: ${(error as Error).message}`);
    }
  }
}
