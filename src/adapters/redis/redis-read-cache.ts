import type { ChainableCommander, Redis } from 'ioredis';
import { decodeCached, encodeCached } from '../cache/cache-codec.js';
import type { ReadCache } from '../cache/read-cache.js';
import { TIMED_OUT, within } from '../timing.js';
import type { RedisConnection } from './redis-connection.js';

/** Fills an entry only if no change was committed since the reader looked it up (its generation is unchanged). */
const POPULATE = `if (redis.call('GET', KEYS[2]) or '0') == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
  return 1
end
return 0`;
/** After a commit: a new generation (so readers that looked up before it cannot fill) and no entry. */
const INVALIDATE = `redis.call('INCR', KEYS[2])
redis.call('EXPIRE', KEYS[2], ARGV[1])
redis.call('DEL', KEYS[1])
return 1`;

type CacheCommands = {
  tesseraCachePopulate(entry: string, gen: string, expectedGen: string, value: string, ttl: number): Promise<number>;
  tesseraCacheInvalidate(entry: string, gen: string, genTtl: number): Promise<number>;
};

export interface RedisReadCacheOptions {
  /** Key prefix (the installation's QUEUE_PREFIX); keys are `<prefix>:cache:<redis run id>:{<key>}`. */
  prefix: string;
  /** How long an entry lives without being invalidated. */
  ttlSeconds: number;
  /** Longest wait for one Redis call before the read goes to PostgreSQL instead. */
  timeoutMs: number;
  /** How long a generation outlives its last change: longer than any reader's PostgreSQL load. */
  generationTtlSeconds?: number;
  /** Invalidations kept for a retry while Redis is away; beyond that the whole cache is cleared on its return. */
  maxPending?: number;
}

const FAILED = Symbol('failed');
const BYPASS_AFTER_FAILURE_MS = 1000;
const RETRY_MS = 250;

/**
 * A read-through cache in Redis that never returns a value older than the last committed change it was told of.
 *
 * - Each key has a generation counter beside its entry. A change, after its transaction commits, increments the
 *   generation and deletes the entry in one script. A reader that missed fills the entry with what it loaded only
 *   if the generation is still the one it saw before loading, so a reader that loaded a row before a change
 *   committed can never put it back after the change's invalidation (on any replica: the check runs in Redis).
 * - Keys include the Redis server's run id: a restarted Redis, even one that reloads its data from disk, starts
 *   with an empty cache.
 * - Redis away or slow: reads go to PostgreSQL after at most `timeoutMs` (at once while the connection is down),
 *   and writes still succeed. An invalidation that could not be applied is kept and retried every 250 ms; until it
 *   is applied this process reads from PostgreSQL only.
 */
export class RedisReadCache implements ReadCache {
  private readonly client: Redis & CacheCommands;
  private runId: string | null = null;
  /** Keys whose invalidation is not applied yet, with the stamp of their latest change. */
  private readonly pending = new Map<string, number>();
  private stamp = 0;
  private overflowed = false;
  private bypassUntil = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly generationTtl: number;
  private readonly maxPending: number;

  constructor(
    redis: RedisConnection,
    private readonly options: RedisReadCacheOptions,
  ) {
    this.generationTtl = options.generationTtlSeconds ?? 60;
    this.maxPending = options.maxPending ?? 10_000;
    this.client = redis.client as Redis & CacheCommands;
    this.client.defineCommand('tesseraCachePopulate', { numberOfKeys: 2, lua: POPULATE });
    this.client.defineCommand('tesseraCacheInvalidate', { numberOfKeys: 2, lua: INVALIDATE });
    this.client.on('close', () => (this.runId = null));
    this.client.on('ready', () => void this.learnRunId());
    if (redis.isReady) void this.learnRunId();
  }

  /** True while reads may use Redis: connected, run id known, nothing left to invalidate, no recent failure. */
  get usable(): boolean {
    return this.runId !== null && this.pending.size === 0 && !this.overflowed && Date.now() >= this.bypassUntil;
  }

  async read<T>(key: string, load: () => Promise<T | null>): Promise<T | null> {
    const runId = this.runId;
    if (!this.usable || !runId) return load();
    const { entry, gen } = this.keysOf(runId, key);
    const found = await this.call(this.client.mget(entry, gen));
    if (found === FAILED) return load();
    const [cached, generation] = found;
    if (cached != null) {
      try {
        return decodeCached<T>(cached);
      } catch {
        return load(); // not something this cache wrote: leave it to expire
      }
    }
    const value = await load();
    if (value !== null) {
      await this.call(this.client.tesseraCachePopulate(entry, gen, generation ?? '0', encodeCached(value), this.options.ttlSeconds));
    }
    return value;
  }

  async invalidate(keys: string[]): Promise<void> {
    if (this.closed || !keys.length) return;
    for (const key of keys) {
      if (this.pending.size >= this.maxPending) {
        this.overflowed = true;
        this.pending.clear();
      }
      if (!this.overflowed) this.pending.set(key, ++this.stamp);
    }
    if (!(await this.apply(keys))) this.scheduleRetry();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.retryTimer);
  }

  private keysOf(runId: string, key: string): { entry: string; gen: string } {
    // The braces keep an entry and its generation in one Redis Cluster slot, so one script can touch both.
    const entry = `${this.options.prefix}:cache:${runId}:{${key}}`;
    return { entry, gen: `${entry}:gen` };
  }

  /** Applies the invalidation of `keys`; true when done (then they are no longer pending). */
  private async apply(keys: string[]): Promise<boolean> {
    const runId = this.runId;
    if (!runId || this.overflowed) return false;
    const stamps = keys.map((key) => this.pending.get(key));
    const pipeline = this.client.pipeline() as ChainableCommander & { tesseraCacheInvalidate(...args: unknown[]): unknown };
    for (const key of keys) {
      const { entry, gen } = this.keysOf(runId, key);
      pipeline.tesseraCacheInvalidate(entry, gen, this.generationTtl);
    }
    const results = await this.call(pipeline.exec());
    if (results === FAILED || !results || results.some(([error]) => error) || this.runId !== runId) return false;
    // A change of the same key recorded after this batch was sent stays pending.
    keys.forEach((key, i) => {
      if (this.pending.get(key) === stamps[i]) this.pending.delete(key);
    });
    return true;
  }

  private scheduleRetry(): void {
    if (this.closed || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.retry();
    }, RETRY_MS);
    this.retryTimer.unref();
  }

  private async retry(): Promise<void> {
    if (this.overflowed && this.runId && (await this.clearAll(this.runId))) this.overflowed = false;
    const keys = [...this.pending.keys()];
    let done = !this.overflowed;
    for (let i = 0; done && i < keys.length; i += 500) done = await this.apply(keys.slice(i, i + 500));
    if (!done || this.pending.size || this.overflowed) this.scheduleRetry();
  }

  /** Too many invalidations were lost to an outage to keep them one by one: drop every entry of this server. */
  private async clearAll(runId: string): Promise<boolean> {
    try {
      const stream = this.client.scanStream({ match: `${this.options.prefix}:cache:${runId}:*`, count: 1000 });
      for await (const keys of stream as AsyncIterable<string[]>) if (keys.length) await this.client.unlink(...keys);
      return this.runId === runId;
    } catch {
      return false;
    }
  }

  private async learnRunId(): Promise<void> {
    const info = await this.call(this.client.info('server'));
    const runId = info === FAILED ? undefined : /run_id:(\w+)/.exec(info)?.[1];
    if (!runId) {
      if (this.client.status === 'ready' && !this.closed) setTimeout(() => void this.learnRunId(), RETRY_MS).unref();
      return;
    }
    this.runId = runId;
    if (this.pending.size || this.overflowed) await this.retry();
  }

  /** The command's result, or FAILED (and reads bypass Redis for a second) if it failed or took too long. */
  private async call<T>(command: Promise<T>): Promise<T | typeof FAILED> {
    const result = await within(command.catch((): typeof FAILED => FAILED), this.options.timeoutMs);
    if (result === TIMED_OUT || result === FAILED) {
      this.bypassUntil = Date.now() + BYPASS_AFTER_FAILURE_MS;
      return FAILED;
    }
    return result;
  }
}
