import { Module, type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { AppConfig } from './config/app-config.js';
import { ConfigModule } from './modules/config.module.js';
import { logStream, resolveLogFormat } from './infra/logging.js';
import { PersistenceModule } from './modules/persistence.module.js';
import { MetricsModule } from './modules/metrics.module.js';
import type { PrometheusMetrics } from './adapters/metrics/prometheus-metrics.js';
import { QueueModule } from './modules/queue.module.js';
import { ReadCacheModule } from './modules/read-cache.module.js';
import { RedisModule } from './modules/redis.module.js';
import { WorkerModule } from './modules/worker.module.js';

/** `npm run start:worker`: the outbox relay and the queue workers, with no HTTP server. */
@Module({})
export class WorkerAppModule {
  static forRoot(config: AppConfig, options: { metrics?: PrometheusMetrics } = {}): DynamicModule {
    return {
      module: WorkerAppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot({ pinoHttp: [{ level: config.env.LOG_LEVEL }, logStream(resolveLogFormat(config.env.LOG_FORMAT))], forRoutes: [] }),
        MetricsModule.forRoot(config, options.metrics),
        PersistenceModule.forRoot(),
        RedisModule,
        ReadCacheModule,
        QueueModule,
        WorkerModule,
      ],
    };
  }
}
