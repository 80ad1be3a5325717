import { Global, Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { migrations } from '../../migrations/index.js';
import { SqlCategoryRepository } from '../adapters/persistence/sql-category.repository.js';
import { SqlGroupRepository } from '../adapters/persistence/sql-group.repository.js';
import { SqlWebhookRepository } from '../adapters/persistence/sql-webhook.repository.js';
import { pgTypeParsers } from '../adapters/persistence/pg-type-parsers.js';
import { TickBatchingClient } from '../adapters/persistence/tick-batching-client.js';
import { timedClient } from '../adapters/persistence/timed-client.js';
import { PrometheusMetrics } from '../adapters/metrics/prometheus-metrics.js';
import { SqlTicketQueries } from '../adapters/persistence/sql-ticket.queries.js';
import { SqlTriageModelStore } from '../adapters/persistence/sql-triage-models.js';
import { SqlTriageResultRepository } from '../adapters/persistence/sql-triage-results.js';
import { SqlSlaPolicyRepository } from '../adapters/persistence/sql-sla-policy.repository.js';
import { SqlSlaQueries } from '../adapters/persistence/sql-ticket-sla.repository.js';
import { SqlSatisfactionQueries } from '../adapters/persistence/sql-ratings.js';
import { SatisfactionQueries } from '../core/satisfaction/satisfaction.ports.js';
import { TypeOrmUnitOfWork } from '../adapters/persistence/typeorm-unit-of-work.js';
import { TypeOrmUserRepository } from '../adapters/persistence/typeorm-user.repository.js';
import { AppConfig } from '../config/app-config.js';
import { GroupRepository } from '../core/assignment/group-repository.port.js';
import { UserRepository } from '../core/identity/user-repository.port.js';
import { Clock, SystemClock } from '../core/shared/clock.port.js';
import { UnitOfWork } from '../core/shared/unit-of-work.port.js';
import { WebhookRepository } from '../core/webhooks/webhook-repository.port.js';
import { TriageModelStore } from '../core/triage/triage-model-store.port.js';
import { TriageResultRepository } from '../core/triage/triage-result-repository.port.js';
import { SlaPolicyRepository } from '../core/sla/sla-policy-repository.port.js';
import { SlaQueries } from '../core/sla/ticket-sla-repository.port.js';
import { useCase } from './use-case.provider.js';

const ports = [
  useCase(TypeOrmUnitOfWork, [DataSource]),
  { provide: UnitOfWork, useExisting: TypeOrmUnitOfWork },
  { provide: UserRepository, useFactory: (ds: DataSource) => new TypeOrmUserRepository(ds), inject: [DataSource] },
  // The read ports (CategoryRepository, TicketQueries) are bound in ReadCacheModule, over these SQL adapters.
  { provide: SqlCategoryRepository, useFactory: (ds: DataSource) => new SqlCategoryRepository(ds), inject: [DataSource] },
  { provide: GroupRepository, useFactory: (ds: DataSource) => new SqlGroupRepository(ds), inject: [DataSource] },
  { provide: WebhookRepository, useFactory: (ds: DataSource) => new SqlWebhookRepository(ds), inject: [DataSource] },
  { provide: SqlTicketQueries, useFactory: (ds: DataSource) => new SqlTicketQueries(ds), inject: [DataSource] },
  { provide: TriageModelStore, useFactory: (ds: DataSource) => new SqlTriageModelStore(ds), inject: [DataSource] },
  { provide: TriageResultRepository, useFactory: (ds: DataSource) => new SqlTriageResultRepository(ds), inject: [DataSource] },
  { provide: SlaPolicyRepository, useFactory: (ds: DataSource) => new SqlSlaPolicyRepository(ds), inject: [DataSource] },
  { provide: SlaQueries, useFactory: (ds: DataSource) => new SqlSlaQueries(ds), inject: [DataSource] },
  { provide: SatisfactionQueries, useFactory: (ds: DataSource) => new SqlSatisfactionQueries(ds), inject: [DataSource] },
  { provide: Clock, useClass: SystemClock },
];

/** PostgreSQL through TypeORM: migrations run at start (never synchronize); ports bound to SQL adapters. */
@Global()
@Module({})
export class PersistenceModule {
  static forRoot(): DynamicModule {
    return {
      module: PersistenceModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [AppConfig, PrometheusMetrics],
          useFactory: (config: AppConfig, metrics: PrometheusMetrics) => ({
            type: 'postgres' as const,
            url: config.databaseUrl,
            migrations,
            migrationsRun: true,
            synchronize: false,
            entities: [],
            // A query that runs away is cancelled (→ 503) instead of holding a pooled connection indefinitely.
            // Pipeline mode: statements issued before the previous one answered are sent at once (see TypeOrmUnitOfWork),
            // and those issued in one turn of the event loop in one socket write (TickBatchingClient).
            extra: {
              max: config.env.DATABASE_POOL_SIZE,
              connectionTimeoutMillis: 5000,
              statement_timeout: 15_000,
              pipeline: true,
              // With metrics on, every statement is timed (tessera_db_query_duration_seconds{operation}).
              Client: metrics.enabled
                ? timedClient(TickBatchingClient, (operation, seconds) => metrics.observeDbQuery(operation, seconds))
                : TickBatchingClient,
              // pg's parsers, with a faster one for timestamptz (pg-type-parsers.ts).
              types: pgTypeParsers,
            },
            retryAttempts: 3,
            retryDelay: 1000,
          }),
        }),
      ],
      providers: ports,
      exports: ports.map((p) => ('provide' in p ? p.provide : p)),
    };
  }
}
