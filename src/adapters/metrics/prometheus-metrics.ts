import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { MetricsSnapshot } from '../../core/metrics/metrics-snapshot.js';
import { outcomeOf, SLA_TARGETS } from '../../core/metrics/ticket-outcomes.js';
import type { EventSummary } from '../../core/shared/domain-event.js';
import { DB_OPERATIONS, type DbOperation } from '../persistence/timed-client.js';

/**
 * prom-client's three gauges named `*_total` (promtool rejects a gauge with a counter's suffix). Nothing is lost:
 * `nodejs_active_handles{type}`, `nodejs_active_requests{type}` and `nodejs_active_resources{type}` stay, and their
 * sum is the total.
 */
const DROPPED_DEFAULTS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

const HTTP_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const DB_BUCKETS = [0.0002, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15];
/** Methods as labels; anything else (Fastify routes none, but a 404 can carry any) is `OTHER`. */
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
/** The route label of a request no route matched (404s, probes of random paths): never the raw path. */
export const UNMATCHED_ROUTE = 'unmatched';

export interface PoolCounts {
  total: number;
  idle: number;
  waiting: number;
}

type Child = { inc(value?: number): void };
type ObserveChild = { observe(value: number): void };

/**
 * This process's metrics, in its own registry (several apps in one test process do not collide). Counters count
 * what this process did; the gauges of the database and the queues come from the shared snapshot in Redis.
 * With METRICS_PORT=0 it is `enabled: false`: nothing is instrumented or collected.
 */
export class PrometheusMetrics {
  readonly registry = new Registry();
  private readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  private readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  private readonly httpChildren = new Map<string, { count: Child; duration: ObserveChild }>();
  private readonly dbDuration: Histogram<'operation'>;
  private readonly dbChildren = new Map<DbOperation, ObserveChild>();
  private readonly created: Counter;
  private readonly resolved: Counter;
  private readonly reopened: Counter;
  private readonly breaches: Counter<'target'>;
  private readonly influxDropped: Counter;
  private pool: (() => PoolCounts) | null = null;
  private snapshotSource: (() => Promise<MetricsSnapshot | null>) | null = null;
  /** The read in flight: the gauges of one scrape (collected together) share one Redis GET. */
  private snapshotRead: Promise<MetricsSnapshot | null> | null = null;

  constructor(readonly enabled = true) {
    const registers = [this.registry];
    if (enabled) {
      collectDefaultMetrics({ register: this.registry });
      for (const name of DROPPED_DEFAULTS) this.registry.removeSingleMetric(name);
    }
    this.httpRequests = new Counter({
      name: 'tessera_http_requests_total',
      help: 'HTTP requests answered, by method, route template and status code.',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.httpDuration = new Histogram({
      name: 'tessera_http_request_duration_seconds',
      help: 'Time from receiving an HTTP request to the end of its response, by method, route template and status code.',
      labelNames: ['method', 'route', 'status'],
      buckets: HTTP_BUCKETS,
      registers,
    });
    this.dbDuration = new Histogram({
      name: 'tessera_db_query_duration_seconds',
      help: `PostgreSQL statement time, by operation (${DB_OPERATIONS.join(', ')}).`,
      labelNames: ['operation'],
      buckets: DB_BUCKETS,
      registers,
    });
    const pool = () => this.pool;
    new Gauge({
      name: 'tessera_db_pool_connections',
      help: 'Connections of this process\'s PostgreSQL pool: idle, active (checked out) and waiting (callers queued for one).',
      labelNames: ['state'],
      registers,
      collect() {
        const counts = pool()?.();
        if (!counts) return;
        this.set({ state: 'idle' }, counts.idle);
        this.set({ state: 'active' }, counts.total - counts.idle);
        this.set({ state: 'waiting' }, counts.waiting);
      },
    });
    this.created = new Counter({ name: 'tessera_tickets_created_total', help: 'Tickets created through this process.', registers });
    this.resolved = new Counter({ name: 'tessera_tickets_resolved_total', help: 'Tickets resolved through this process.', registers });
    this.reopened = new Counter({
      name: 'tessera_tickets_reopened_total',
      help: 'Resolved or closed tickets taken back into work through this process (by staff or by the requester).',
      registers,
    });
    this.breaches = new Counter({
      name: 'tessera_sla_breaches_total',
      help: 'SLA clocks breached, recorded by this process, by target (first_response, resolution).',
      labelNames: ['target'],
      registers,
    });
    for (const target of SLA_TARGETS) this.breaches.inc({ target }, 0);
    this.influxDropped = new Counter({
      name: 'tessera_influx_points_dropped_total',
      help: 'Points for InfluxDB dropped by this process because INFLUX_MAX_BACKLOG points were already waiting.',
      registers,
    });
    this.snapshotGauges(registers);
  }

  /** One answered request. `route` is the route template (or UNMATCHED_ROUTE), never the raw URL. */
  observeHttp(method: string, route: string, status: number, seconds: number): void {
    const m = METHODS.has(method) ? method : 'OTHER';
    const key = `${m} ${status} ${route}`;
    let child = this.httpChildren.get(key);
    if (!child) {
      const labels = { method: m, route, status: String(status) };
      child = { count: this.httpRequests.labels(labels), duration: this.httpDuration.labels(labels) };
      this.httpChildren.set(key, child);
    }
    child.count.inc();
    child.duration.observe(seconds);
  }

  observeDbQuery(operation: DbOperation, seconds: number): void {
    let child = this.dbChildren.get(operation);
    if (!child) {
      child = this.dbDuration.labels({ operation }) as ObserveChild;
      this.dbChildren.set(operation, child);
    }
    child.observe(seconds);
  }

  /** Events of a transaction that committed in this process. */
  countCommitted(events: readonly EventSummary[]): void {
    for (const event of events) {
      const outcome = outcomeOf(event);
      if (!outcome) continue;
      if (outcome.kind === 'created') this.created.inc();
      else if (outcome.kind === 'resolved') this.resolved.inc();
      else if (outcome.kind === 'reopened') this.reopened.inc();
      else this.breaches.inc({ target: outcome.target });
    }
  }

  influxPointsDropped(count: number): void {
    if (count > 0) this.influxDropped.inc(count);
  }

  attachPool(counts: () => PoolCounts): void {
    this.pool = counts;
  }

  attachSnapshot(source: () => Promise<MetricsSnapshot | null>): void {
    this.snapshotSource = source;
    this.snapshotRead = null;
  }

  /** The exposition text (what GET /metrics answers). */
  async text(): Promise<string> {
    return this.registry.metrics();
  }

  private snapshot(): Promise<MetricsSnapshot | null> {
    const source = this.snapshotSource;
    if (!source) return Promise.resolve(null);
    this.snapshotRead ??= source()
      .catch(() => null)
      .finally(() => {
        this.snapshotRead = null;
      });
    return this.snapshotRead;
  }

  /** Gauges read from the snapshot at each scrape; absent until a worker computed the first one. */
  private snapshotGauges(registers: Registry[]): void {
    const snapshot = () => this.snapshot();
    const gauge = <L extends string>(name: string, help: string, labelNames: L[], fill: (g: Gauge<L>, s: MetricsSnapshot) => void) =>
      new Gauge<L>({
        name,
        help,
        labelNames,
        registers,
        async collect() {
          const s = await snapshot();
          this.reset();
          if (s) fill(this, s);
        },
      });
    gauge('tessera_queue_jobs', 'Jobs per queue and state (waiting, active, delayed, failed), from the latest snapshot.', ['queue', 'state'], (g, s) => {
      for (const row of s.queues) g.set({ queue: row.queue, state: row.state }, row.count);
    });
    gauge('tessera_outbox_pending', 'Outbox events not yet relayed to the queues, from the latest snapshot.', [], (g, s) => g.set(s.outbox.pending));
    gauge('tessera_outbox_oldest_age_seconds', 'Age of the oldest pending outbox event (0 when none), from the latest snapshot.', [], (g, s) =>
      g.set(s.outbox.oldestAgeSeconds),
    );
    gauge('tessera_tickets_open', 'Open tickets (not resolved or closed, not deleted) by status and priority, from the latest snapshot.', ['status', 'priority'], (g, s) => {
      for (const row of s.ticketsOpen) g.set({ status: row.status, priority: row.priority }, row.count);
    });
    gauge('tessera_sla_at_risk', 'Open tickets whose running SLA clock passed its at-risk point without breaching, by target, from the latest snapshot.', ['target'], (g, s) => {
      for (const row of s.slaAtRisk) g.set({ target: row.target }, row.count);
    });
    gauge('tessera_metrics_snapshot_age_seconds', 'Seconds since the snapshot behind the queue, outbox, ticket and SLA gauges was taken.', [], (g, s) =>
      g.set(Math.max(0, (Date.now() - Date.parse(s.takenAt)) / 1000)),
    );
  }
}
