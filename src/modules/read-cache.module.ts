import { Global, Inject, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { CachedCategoryRepository } from '../adapters/cache/cached-category.repository.js';
import { CachedTicketQueries } from '../adapters/cache/cached-ticket.queries.js';
import { cacheKeys } from '../adapters/cache/read-cache.js';
import { SqlCategoryRepository } from '../adapters/persistence/sql-category.repository.js';
import { SqlTicketQueries } from '../adapters/persistence/sql-ticket.queries.js';
import { TypeOrmUnitOfWork } from '../adapters/persistence/typeorm-unit-of-work.js';
import { RedisConnection } from '../adapters/redis/redis-connection.js';
import { RedisReadCache } from '../adapters/redis/redis-read-cache.js';
import { AppConfig } from '../config/app-config.js';
import { CategoryRepository } from '../core/categories/category-repository.port.js';
import { TicketQueries } from '../core/tickets/ticket-queries.port.js';

/** Longest wait for Redis on a read before it goes to PostgreSQL. */
const CACHE_TIMEOUT_MS = 100;

/**
 * The read ports, cached in Redis unless CACHE_TTL_SECONDS=0, and the after-commit invalidation of every change
 * written through the unit of work (API and workers alike: this module is in both kinds of process).
 */
@Global()
@Module({
  providers: [
    {
      provide: RedisReadCache,
      useFactory: (c: AppConfig, redis: RedisConnection) =>
        c.env.CACHE_TTL_SECONDS > 0
          ? new RedisReadCache(redis, { prefix: c.env.QUEUE_PREFIX, ttlSeconds: c.env.CACHE_TTL_SECONDS, timeoutMs: CACHE_TIMEOUT_MS })
          : null,
      inject: [AppConfig, RedisConnection],
    },
    {
      provide: TicketQueries,
      useFactory: (sql: SqlTicketQueries, cache: RedisReadCache | null) => (cache ? new CachedTicketQueries(sql, cache) : sql),
      inject: [SqlTicketQueries, RedisReadCache],
    },
    {
      provide: CategoryRepository,
      useFactory: (sql: SqlCategoryRepository, cache: RedisReadCache | null) =>
        cache ? new CachedCategoryRepository(sql, cache) : sql,
      inject: [SqlCategoryRepository, RedisReadCache],
    },
  ],
  exports: [TicketQueries, CategoryRepository],
})
export class ReadCacheModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(RedisReadCache) private readonly cache: RedisReadCache | null,
    @Inject(TypeOrmUnitOfWork) private readonly uow: TypeOrmUnitOfWork,
  ) {}

  onModuleInit(): void {
    const cache = this.cache;
    if (!cache) return;
    this.uow.onWritesCommitted((writes) => {
      const keys = [...writes.tickets].map(cacheKeys.ticket);
      if (writes.categories) keys.push(cacheKeys.categoryTree);
      return cache.invalidate(keys);
    });
  }

  onApplicationShutdown(): void {
    this.cache?.close();
  }
}
