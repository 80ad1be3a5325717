import { Module, RequestMethod, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { LoggerModule } from 'nestjs-pino';
import { JwtAuthGuard } from './adapters/auth/jwt-auth.guard.js';
import { RateLimitGuard } from './adapters/http/rate-limit.guard.js';
import { RedisThrottlerStorage } from './adapters/redis/redis-throttler.storage.js';
import { AppConfig } from './config/app-config.js';
import { AnalyticsModule } from './modules/analytics.module.js';
import { AssignmentModule } from './modules/assignment.module.js';
import { CategoriesModule } from './modules/categories.module.js';
import { JobsModule } from './modules/jobs.module.js';
import { LiveEventsModule } from './modules/live-events.module.js';
import { WebhooksModule } from './modules/webhooks.module.js';
import { SlaModule } from './modules/sla.module.js';
import { WorkerModule } from './modules/worker.module.js';
import { HealthModule } from './modules/health.module.js';
import { IdentityModule } from './modules/identity.module.js';
import { QueueModule } from './modules/queue.module.js';
import { PersistenceModule } from './modules/persistence.module.js';
import { MetricsModule } from './modules/metrics.module.js';
import type { PrometheusMetrics } from './adapters/metrics/prometheus-metrics.js';
import { ReadCacheModule } from './modules/read-cache.module.js';
import { RedisModule } from './modules/redis.module.js';
import { TicketsModule } from './modules/tickets.module.js';
import { SatisfactionModule } from './modules/satisfaction.module.js';
import { RecognitionModule } from './modules/recognition.module.js';
import { TriageModule } from './modules/triage.module.js';
import { ConfigModule } from './modules/config.module.js';
import { logStream, resolveLogFormat } from './infra/logging.js';

const logsRequests = (config: AppConfig) => ['info', 'debug', 'trace'].includes(config.env.LOG_LEVEL);

@Module({})
export class AppModule {
  /** The HTTP API; with `workers` (the default) the outbox relay and the queue workers run in the same process. */
  static forRoot(config: AppConfig, options: { workers?: boolean; metrics?: PrometheusMetrics } = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot({
          pinoHttp: [
            {
              level: config.env.LOG_LEVEL,
              redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["idempotency-key"]'],
            },
            logStream(resolveLogFormat(config.env.LOG_FORMAT)),
          ],
          // Request lines are logged at info: above that the request logger is not mounted at all (it costs ~5 %
          // of a request's CPU). Probes every few seconds would drown the log, so they are never logged.
          forRoutes: logsRequests(config) ? [{ path: '*path', method: RequestMethod.ALL }] : [],
          exclude: [{ path: 'health/*path', method: RequestMethod.ALL }, { path: 'health', method: RequestMethod.ALL }],
        }),
        MetricsModule.forRoot(config, options.metrics),
        PersistenceModule.forRoot(),
        RedisModule,
        ReadCacheModule,
        ThrottlerModule.forRootAsync({
          inject: [AppConfig, RedisThrottlerStorage],
          useFactory: (c: AppConfig, storage: RedisThrottlerStorage) => ({
            throttlers: [{ name: 'default', ttl: 60_000, limit: c.env.RATE_LIMIT_PER_MINUTE }],
            storage,
          }),
        }),
        QueueModule,
        IdentityModule,
        TicketsModule,
        SatisfactionModule,
        RecognitionModule,
        CategoriesModule,
        AssignmentModule,
        JobsModule,
        WebhooksModule,
        TriageModule,
        SlaModule,
        AnalyticsModule,
        LiveEventsModule,
        HealthModule,
        ...(options.workers === false ? [] : [WorkerModule]),
      ],
      // Order matters: authenticate first, then count the request against the caller's limit.
      providers: [
        { provide: APP_GUARD, useExisting: JwtAuthGuard },
        { provide: APP_GUARD, useExisting: RateLimitGuard },
      ],
    };
  }
}
