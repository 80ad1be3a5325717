import { Inject, Logger, Module, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TypeOrmUnitOfWork } from '../adapters/persistence/typeorm-unit-of-work.js';
import { OutboxRelay } from '../adapters/queue/outbox-relay.js';
import { AssignmentProcessor } from '../adapters/queue/processors/assignment.processor.js';
import { IntakeProcessor } from '../adapters/queue/processors/intake.processor.js';
import { RunIntake } from '../core/intake/run-intake.use-case.js';
import { TrackSla } from '../core/sla/track-sla.use-case.js';
import { TriageProcessor, TriageTrainingProcessor } from '../adapters/queue/processors/triage.processors.js';
import { TriageRetrainSchedule } from '../adapters/queue/triage-retrain-schedule.js';
import { WebhookDeliveryProcessor, WebhookDispatchProcessor } from '../adapters/queue/processors/webhook.processors.js';
import { ProducerQueues } from '../adapters/queue/producer-queues.js';
import { QueueWorkers } from '../adapters/queue/queue-workers.js';
import { redisOptionsFromUrl } from '../adapters/queue/queues.js';
import { liveChannel, publishLiveEvents } from '../adapters/redis/redis-live-events.js';
import { RedisConnection } from '../adapters/redis/redis-connection.js';
import { AppConfig } from '../config/app-config.js';
import { RunAssignment } from '../core/assignment/run-assignment.use-case.js';
import { Clock } from '../core/shared/clock.port.js';
import { RunTriage } from '../core/triage/run-triage.use-case.js';
import { TrainTriageModel } from '../core/triage/train-triage-model.use-case.js';
import { UnitOfWork } from '../core/shared/unit-of-work.port.js';
import { DispatchWebhooks, SendWebhookDelivery } from '../core/webhooks/deliver-webhooks.use-case.js';
import { WebhookRepository } from '../core/webhooks/webhook-repository.port.js';
import { WebhookSender } from '../core/webhooks/webhook-sender.port.js';
import { triageWorkerProviders } from './triage.module.js';
import { useCase } from './use-case.provider.js';
import { webhookSenderProvider } from './webhooks.module.js';
import { slaWorkerProviders } from './sla-worker.providers.js';
import { SlaProcessor } from '../adapters/queue/processors/sla.processor.js';
import { SlaSweepSchedule } from '../adapters/queue/sla-sweep-schedule.js';
import { RetentionSweep } from '../adapters/persistence/retention-sweep.js';
import { AnalyticsProcessor } from '../adapters/queue/processors/analytics.processor.js';
import { RefreshTicketAnalytics } from '../core/analytics/refresh-analytics.use-case.js';
import { analyticsWorkerProviders } from './analytics.module.js';
import { PrometheusMetrics } from '../adapters/metrics/prometheus-metrics.js';
import { MetricsRefreshSchedule } from '../adapters/queue/metrics-refresh-schedule.js';
import { InfluxExportProcessor } from '../adapters/queue/processors/influx-export.processor.js';
import { MetricsRefreshProcessor } from '../adapters/queue/processors/metrics-refresh.processor.js';
import { influxRelayOptions, metricsWorkerProviders } from './metrics-worker.providers.js';
import { RecognitionProcessor } from '../adapters/queue/processors/recognition.processor.js';
import { recognitionWorkerProviders } from './recognition.providers.js';

/** How often each worker process deletes expired claims and idempotency keys. */
const RETENTION_SWEEP_MS = 10 * 60_000;

/**
 * The background side: the outbox relay and one BullMQ worker per queue. In the API process by default
 * (`npm start`), or alone (`npm run start:worker`) so workers scale out on one Redis.
 */
@Module({
  providers: [
    useCase(RunAssignment, [UnitOfWork, Clock]),
    useCase(RunIntake, [RunTriage, TrackSla, RunAssignment]),
    webhookSenderProvider,
    useCase(DispatchWebhooks, [UnitOfWork, Clock]),
    useCase(SendWebhookDelivery, [UnitOfWork, WebhookRepository, WebhookSender, Clock]),
    ...triageWorkerProviders,
    ...slaWorkerProviders,
    ...analyticsWorkerProviders,
    ...metricsWorkerProviders,
    ...recognitionWorkerProviders,
    {
      provide: RetentionSweep,
      useFactory: (db: DataSource, c: AppConfig) =>
        new RetentionSweep(
          db,
          [
            // A consumer's claim of an event is kept as long as the outbox keeps the event.
            { table: 'processed_events', column: 'processed_at', hours: c.env.OUTBOX_RETENTION_HOURS },
            { table: 'idempotency_keys', column: 'created_at', hours: c.env.IDEMPOTENCY_RETENTION_HOURS },
          ],
          new Logger('RetentionSweep'),
        ),
      inject: [DataSource, AppConfig],
    },
    {
      provide: OutboxRelay,
      useFactory: (db: DataSource, queues: ProducerQueues, c: AppConfig, redis: RedisConnection, metrics: PrometheusMetrics) =>
        new OutboxRelay(
          db,
          queues.byName,
          {
            batchSize: c.env.OUTBOX_BATCH_SIZE,
            pollMs: c.env.OUTBOX_POLL_MS,
            coalesceMs: c.env.OUTBOX_COALESCE_MS,
            redisTimeoutMs: 5000,
            attempts: c.env.JOB_ATTEMPTS,
            backoffMs: c.env.JOB_BACKOFF_MS,
            retentionHours: c.env.OUTBOX_RETENTION_HOURS,
            ...influxRelayOptions(c, metrics),
          },
          new Logger('OutboxRelay'),
          // Live events (SSE) for the API instances, published once the batch is committed.
          (events) => publishLiveEvents(redis, liveChannel(c.env.QUEUE_PREFIX), events),
        ),
      inject: [DataSource, ProducerQueues, AppConfig, RedisConnection, PrometheusMetrics],
    },
    {
      provide: QueueWorkers,
      useFactory: (
        c: AppConfig,
        assignment: RunAssignment,
        dispatch: DispatchWebhooks,
        send: SendWebhookDelivery,
        triage: RunTriage,
        train: TrainTriageModel,
        sla: SlaProcessor,
        intake: RunIntake,
        metricsRefresh: MetricsRefreshProcessor,
        influx: InfluxExportProcessor | null,
        recognition: RecognitionProcessor,
        analytics: RefreshTicketAnalytics,
      ) =>
        new QueueWorkers(
          [
            new IntakeProcessor(intake, c.env.INTAKE_CONCURRENCY),
            new AssignmentProcessor(assignment, c.env.ASSIGNMENT_CONCURRENCY),
            new WebhookDispatchProcessor(dispatch),
            new WebhookDeliveryProcessor(send),
            new TriageProcessor(triage),
            new TriageTrainingProcessor(train),
            sla,
            metricsRefresh,
            ...(influx ? [influx] : []),
            recognition,
            new AnalyticsProcessor(analytics),
          ],
          {
            connection: redisOptionsFromUrl(c.redisUrl),
            prefix: c.env.QUEUE_PREFIX,
            concurrency: c.env.WORKER_CONCURRENCY,
            lockDurationMs: c.env.WORKER_LOCK_MS,
          },
          new Logger('Workers'),
        ),
      inject: [
        AppConfig,
        RunAssignment,
        DispatchWebhooks,
        SendWebhookDelivery,
        RunTriage,
        TrainTriageModel,
        SlaProcessor,
        RunIntake,
        MetricsRefreshProcessor,
        InfluxExportProcessor,
        RecognitionProcessor,
        RefreshTicketAnalytics,
      ],
    },
  ],
})
export class WorkerModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
    @Inject(QueueWorkers) private readonly workers: QueueWorkers,
    @Inject(TypeOrmUnitOfWork) private readonly uow: TypeOrmUnitOfWork,
    @Inject(TriageRetrainSchedule) private readonly triageSchedule: TriageRetrainSchedule,
    @Inject(SlaSweepSchedule) private readonly slaSweep: SlaSweepSchedule,
    @Inject(RetentionSweep) private readonly retention: RetentionSweep,
    @Inject(MetricsRefreshSchedule) private readonly metricsRefresh: MetricsRefreshSchedule,
  ) {}

  onApplicationBootstrap(): void {
    this.uow.onEventsCommitted(() => this.relay.nudge());
    this.relay.start();
    this.workers.start();
    this.triageSchedule.start();
    this.slaSweep.start();
    this.metricsRefresh.start();
    this.retention.start(RETENTION_SWEEP_MS);
  }

  /** In-flight jobs finish before the database and Redis connections close. */
  async beforeApplicationShutdown(): Promise<void> {
    this.triageSchedule.stop();
    this.slaSweep.stop();
    this.metricsRefresh.stop();
    await this.retention.stop();
    await this.workers.stop();
    await this.relay.stop();
  }
}
