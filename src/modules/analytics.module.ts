import { Module, type Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CachedAnalyticsQueries } from '../adapters/cache/cached-analytics.queries.js';
import { AnalyticsController } from '../adapters/http/analytics/analytics.controller.js';
import { SqlAnalyticsProjection } from '../adapters/persistence/analytics/sql-analytics-projection.js';
import { SqlAnalyticsQueries } from '../adapters/persistence/analytics/sql-analytics.queries.js';
import { AppConfig } from '../config/app-config.js';
import { AnalyticsProjection } from '../core/analytics/analytics-projection.port.js';
import { AnalyticsQueries } from '../core/analytics/analytics-queries.port.js';
import { ReadAnalytics } from '../core/analytics/read-analytics.use-case.js';
import { RefreshTicketAnalytics } from '../core/analytics/refresh-analytics.use-case.js';
import { AgentStandings } from '../core/recognition/agent-standings.js';
import { Clock } from '../core/shared/clock.port.js';
import { useCase } from './use-case.provider.js';

/** The analytics worker's pieces (registered by the worker module). */
export const analyticsWorkerProviders: Provider[] = [
  { provide: AnalyticsProjection, useFactory: (db: DataSource) => new SqlAnalyticsProjection(db), inject: [DataSource] },
  useCase(RefreshTicketAnalytics, [AnalyticsProjection]),
];

/** The analytics API over the rollups, with a short per-process answer cache (ANALYTICS_CACHE_MS). */
@Module({
  controllers: [AnalyticsController],
  providers: [
    {
      provide: AnalyticsQueries,
      useFactory: (db: DataSource, c: AppConfig) => {
        const sql = new SqlAnalyticsQueries(db);
        return c.env.ANALYTICS_CACHE_MS > 0 ? new CachedAnalyticsQueries(sql, c.env.ANALYTICS_CACHE_MS) : sql;
      },
      inject: [DataSource, AppConfig],
    },
    useCase(ReadAnalytics, [AnalyticsQueries, Clock, AgentStandings]),
  ],
})
export class AnalyticsModule {}
