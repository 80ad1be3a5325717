import { MetricsSnapshotStore, type MetricsSnapshot } from '../../core/metrics/metrics-snapshot.js';
import type { RedisConnection } from '../redis/redis-connection.js';
import { TIMED_OUT, within } from '../timing.js';

/**
 * The snapshot as one JSON value in Redis, shared by every process of the installation (QUEUE_PREFIX). It expires
 * after `ttlSeconds` without a refresh, so a stopped pipeline shows no gauges rather than old ones forever.
 */
export class RedisMetricsSnapshotStore extends MetricsSnapshotStore {
  private readonly key: string;

  constructor(
    private readonly redis: RedisConnection,
    prefix: string,
    private readonly ttlSeconds: number,
    private readonly timeoutMs = 250,
  ) {
    super();
    this.key = `${prefix}:metrics:snapshot`;
  }

  async save(snapshot: MetricsSnapshot): Promise<void> {
    await this.redis.client.set(this.key, JSON.stringify(snapshot), 'EX', this.ttlSeconds);
  }

  /** null when none was taken yet, or Redis does not answer in time (a scrape must stay fast). */
  async load(): Promise<MetricsSnapshot | null> {
    if (!this.redis.isReady) return null;
    const raw = await within(this.redis.client.get(this.key), this.timeoutMs);
    if (raw === TIMED_OUT || raw === null) return null;
    return JSON.parse(raw) as MetricsSnapshot;
  }
}
