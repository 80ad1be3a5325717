import { Global, Inject, Module, type DynamicModule, type OnModuleInit } from '@nestjs/common';
import type pg from 'pg';
import { DataSource } from 'typeorm';
import { PrometheusMetrics } from '../adapters/metrics/prometheus-metrics.js';
import { RedisMetricsSnapshotStore } from '../adapters/metrics/redis-metrics-snapshot.store.js';
import { TypeOrmUnitOfWork } from '../adapters/persistence/typeorm-unit-of-work.js';
import { RedisConnection } from '../adapters/redis/redis-connection.js';
import { AppConfig } from '../config/app-config.js';
import { MetricsSnapshotStore } from '../core/metrics/metrics-snapshot.js';

/**
 * This process's Prometheus metrics. `main` creates the registry (and its /metrics server) before the app, so a taken
 * port fails the start at once; without one (tests, the OpenAPI export) the module makes its own. With METRICS_PORT=0
 * nothing is instrumented.
 */
@Global()
@Module({})
export class MetricsModule implements OnModuleInit {
  static forRoot(config: AppConfig, metrics?: PrometheusMetrics): DynamicModule {
    return {
      module: MetricsModule,
      providers: [
        { provide: PrometheusMetrics, useValue: metrics ?? new PrometheusMetrics(config.env.METRICS_PORT !== 0) },
        {
          provide: MetricsSnapshotStore,
          // The snapshot outlives a few missed refreshes, not a stopped pipeline.
          useFactory: (redis: RedisConnection, c: AppConfig) =>
            new RedisMetricsSnapshotStore(redis, c.env.QUEUE_PREFIX, Math.max(60, c.env.METRICS_REFRESH_SECONDS * 10)),
          inject: [RedisConnection, AppConfig],
        },
      ],
      exports: [PrometheusMetrics, MetricsSnapshotStore],
    };
  }

  constructor(
    @Inject(PrometheusMetrics) private readonly metrics: PrometheusMetrics,
    @Inject(MetricsSnapshotStore) private readonly snapshots: MetricsSnapshotStore,
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(TypeOrmUnitOfWork) private readonly uow: TypeOrmUnitOfWork,
  ) {}

  onModuleInit(): void {
    if (!this.metrics.enabled) return;
    const pool = (this.db.driver as unknown as { master?: pg.Pool }).master;
    if (pool) this.metrics.attachPool(() => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }));
    this.metrics.attachSnapshot(() => this.snapshots.load());
    this.uow.onEventsCommitted((events) => this.metrics.countCommitted(events));
  }
}
