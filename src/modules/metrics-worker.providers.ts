import { Logger, type Provider } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { InfluxPointSink } from '../adapters/influx/influx-point-sink.js';
import { InfluxWriter, type InfluxTarget } from '../adapters/influx/influx-writer.js';
import { BullQueueStats } from '../adapters/metrics/bull-queue-stats.js';
import { PrometheusMetrics } from '../adapters/metrics/prometheus-metrics.js';
import { SqlOperationalCounts } from '../adapters/persistence/sql-operational-counts.js';
import { SqlTicketCreationTimes } from '../adapters/persistence/sql-ticket-creation-times.js';
import { MetricsRefreshSchedule } from '../adapters/queue/metrics-refresh-schedule.js';
import { unfinishedJobs } from '../adapters/queue/outbox-relay.js';
import { INFLUX_GAUGES_JOB, InfluxExportProcessor } from '../adapters/queue/processors/influx-export.processor.js';
import { MetricsRefreshProcessor } from '../adapters/queue/processors/metrics-refresh.processor.js';
import { ProducerQueues } from '../adapters/queue/producer-queues.js';
import { QUEUES, type EventJobData, type QueueName } from '../adapters/queue/queues.js';
import { AppConfig } from '../config/app-config.js';
import type { Env } from '../config/env.js';
import { ExportGauges, ExportTicketEvent } from '../core/metrics/export-points.use-case.js';
import { MetricsSnapshotStore, RefreshMetricsSnapshot, type MetricsSnapshot } from '../core/metrics/metrics-snapshot.js';
import { Clock } from '../core/shared/clock.port.js';

/** InfluxDB 2.x when INFLUX_BUCKET is set, else 1.x; null when INFLUX_URL is not set (export off). */
export function influxTarget(env: Env): InfluxTarget | null {
  if (!env.INFLUX_URL) return null;
  if (env.INFLUX_BUCKET) {
    return { version: 2, url: env.INFLUX_URL, org: env.INFLUX_ORG!, bucket: env.INFLUX_BUCKET, token: env.INFLUX_TOKEN! };
  }
  return {
    version: 1,
    url: env.INFLUX_URL,
    database: env.INFLUX_DATABASE!,
    ...(env.INFLUX_USERNAME ? { username: env.INFLUX_USERNAME, password: env.INFLUX_PASSWORD ?? '' } : {}),
  };
}

/** The relay's options for the export queue: not fed without INFLUX_URL, bounded by INFLUX_MAX_BACKLOG with it. */
export function influxRelayOptions(c: AppConfig, metrics: PrometheusMetrics) {
  const enabled = influxTarget(c.env) !== null;
  return {
    optionalQueues: new Set<QueueName>(enabled ? [QUEUES.influxExport] : []),
    bounded: new Map<QueueName, { max: number; dropped(count: number): void }>(
      enabled ? [[QUEUES.influxExport, { max: c.env.INFLUX_MAX_BACKLOG, dropped: (n) => metrics.influxPointsDropped(n) }]] : [],
    ),
  };
}

/** Adds a snapshot's gauges to the export queue (job id per snapshot time: a retried refresh adds it once). */
async function enqueueGauges(queue: Queue, snapshot: MetricsSnapshot, c: AppConfig, metrics: PrometheusMetrics): Promise<void> {
  if ((await unfinishedJobs(queue)) >= c.env.INFLUX_MAX_BACKLOG) {
    metrics.influxPointsDropped(1);
    return;
  }
  const id = `gauges-${Date.parse(snapshot.takenAt)}`;
  const data: EventJobData = { id, type: INFLUX_GAUGES_JOB, aggregateId: '', actorId: null, occurredAt: snapshot.takenAt, payload: { snapshot } };
  await queue.add(INFLUX_GAUGES_JOB, data, {
    jobId: id,
    attempts: c.env.JOB_ATTEMPTS,
    backoff: { type: 'exponential', delay: c.env.JOB_BACKOFF_MS },
    removeOnComplete: { age: 3600, count: 1000 },
    removeOnFail: { age: 86_400 },
  });
}

/** The metrics snapshot's refresh (every METRICS_REFRESH_SECONDS) and, with INFLUX_URL, the export to InfluxDB. */
export const metricsWorkerProviders: Provider[] = [
  {
    provide: RefreshMetricsSnapshot,
    useFactory: (db: DataSource, q: ProducerQueues, store: MetricsSnapshotStore, clock: Clock) =>
      new RefreshMetricsSnapshot(new SqlOperationalCounts(db), new BullQueueStats([...q.byName.values()]), store, clock),
    inject: [DataSource, ProducerQueues, MetricsSnapshotStore, Clock],
  },
  {
    provide: MetricsRefreshProcessor,
    useFactory: (refresh: RefreshMetricsSnapshot, q: ProducerQueues, c: AppConfig, metrics: PrometheusMetrics) => {
      const queue = q.byName.get(QUEUES.influxExport)!;
      return new MetricsRefreshProcessor(
        refresh,
        influxTarget(c.env) ? (snapshot) => enqueueGauges(queue, snapshot, c, metrics) : null,
      );
    },
    inject: [RefreshMetricsSnapshot, ProducerQueues, AppConfig, PrometheusMetrics],
  },
  {
    provide: MetricsRefreshSchedule,
    useFactory: (q: ProducerQueues, c: AppConfig) =>
      new MetricsRefreshSchedule(q.byName.get(QUEUES.metrics)!, c.env.METRICS_REFRESH_SECONDS * 1000, new Logger('Metrics')),
    inject: [ProducerQueues, AppConfig],
  },
  {
    provide: InfluxExportProcessor,
    useFactory: (db: DataSource, q: ProducerQueues, c: AppConfig) => {
      const target = influxTarget(c.env);
      if (!target) return null;
      const sink = new InfluxPointSink(new InfluxWriter(target, c.env.INFLUX_TIMEOUT_MS), c.env.INFLUX_BATCH_SIZE);
      return new InfluxExportProcessor(
        new ExportTicketEvent(new SqlTicketCreationTimes(db), sink),
        new ExportGauges(sink),
        q.byName.get(QUEUES.influxExport)!,
        // The jobs running at once are what one write gathers.
        Math.min(c.env.INFLUX_BATCH_SIZE, 500),
        new Logger('InfluxExport'),
      );
    },
    inject: [DataSource, ProducerQueues, AppConfig],
  },
];
