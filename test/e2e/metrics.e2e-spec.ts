import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMetricsServer, type MetricsServer } from '../../src/adapters/metrics/metrics-server.js';
import { PrometheusMetrics } from '../../src/adapters/metrics/prometheus-metrics.js';
import { DB_OPERATIONS } from '../../src/adapters/persistence/timed-client.js';
import { MetricsSnapshotStore } from '../../src/core/metrics/metrics-snapshot.js';
import { parseExposition, promtoolCheck, sampleSum, sampleValue, type Sample } from '../support/prometheus-text.js';
import { startTestApp, type Caller, type TestApp } from '../support/test-app.js';
import { until } from '../support/until.js';

// SLA_TARGET_DIVISOR=60: a target minute lasts a second. The critical first-response target (3 min) breaches in
// 3 s; the low one (120 min, at risk at 1 %) is at risk after ~1 s and stays at risk for two minutes.
const ALL_DAYS = [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, start: '00:00', end: '24:00' }));
const TARGETS = {
  critical: { firstResponseMinutes: 3, resolutionMinutes: 6 },
  high: { firstResponseMinutes: 120, resolutionMinutes: 480 },
  medium: { firstResponseMinutes: 120, resolutionMinutes: 960 },
  low: { firstResponseMinutes: 120, resolutionMinutes: 2400 },
};

let t: TestApp;
let server: MetricsServer;
let admin: Caller;
let agent: Caller;
let requester: Caller;

const scrape = async (): Promise<{ text: string; samples: Sample[]; type: string }> => {
  const res = await fetch(`http://127.0.0.1:${server.port}/metrics`);
  expect(res.status).toBe(200);
  const text = await res.text();
  return { text, samples: parseExposition(text), type: res.headers.get('content-type') ?? '' };
};

beforeAll(async () => {
  t = await startTestApp({ SLA_TARGET_DIVISOR: '60', OUTBOX_POLL_MS: '50', METRICS_REFRESH_SECONDS: '1' });
  server = await startMetricsServer(t.app.get(PrometheusMetrics), '127.0.0.1', 0);
  [admin, agent, requester] = await Promise.all([t.user('admin'), t.user('agent'), t.user('requester')]);
});
afterAll(async () => {
  await server?.close();
  await t?.close();
});

const openTicket = async (body: Record<string, unknown> = {}) => {
  const res = await t.request('POST', '/api/v1/tickets', {
    as: requester,
    body: { title: 'Metrics', description: 'A ticket counted by the metrics', ...body },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; number: number };
};
const setStatus = async (id: string, status: string, as = agent) => {
  const res = await t.request('PATCH', `/api/v1/tickets/${id}/status`, { as, body: { status } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
};

describe('GET /metrics (Prometheus)', () => {
  it('serves the text format with every metric name the dashboards use', async () => {
    await openTicket();
    const { samples, type } = await until(scrape, (s) => s.samples.some((x) => x.name === 'tessera_tickets_open'), 15_000);
    expect(type).toContain('text/plain');
    const names = new Set(samples.map((s) => s.name));
    for (const name of [
      'tessera_http_requests_total',
      'tessera_http_request_duration_seconds_bucket',
      'tessera_http_request_duration_seconds_sum',
      'tessera_http_request_duration_seconds_count',
      'tessera_db_query_duration_seconds_bucket',
      'tessera_db_pool_connections',
      'tessera_queue_jobs',
      'tessera_outbox_pending',
      'tessera_outbox_oldest_age_seconds',
      'tessera_tickets_created_total',
      'tessera_tickets_resolved_total',
      'tessera_tickets_reopened_total',
      'tessera_sla_breaches_total',
      'tessera_tickets_open',
      'tessera_sla_at_risk',
      'nodejs_eventloop_lag_seconds',
      'nodejs_heap_size_used_bytes',
      'nodejs_gc_duration_seconds_count',
      'process_cpu_seconds_total',
    ]) {
      expect(names, name).toContain(name);
    }
    for (const dropped of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) {
      expect(names).not.toContain(dropped);
    }
    expect(names).toContain('nodejs_active_handles');
    for (const state of ['idle', 'active', 'waiting']) expect(sampleValue(samples, 'tessera_db_pool_connections', { state })).toBeGreaterThanOrEqual(0);
    for (const target of ['first_response', 'resolution']) {
      expect(sampleValue(samples, 'tessera_sla_breaches_total', { target })).toBeGreaterThanOrEqual(0);
      expect(sampleValue(samples, 'tessera_sla_at_risk', { target })).toBeGreaterThanOrEqual(0);
    }
    for (const queue of ['intake', 'assignment', 'sla', 'metrics', 'influx-export']) {
      for (const state of ['waiting', 'active', 'delayed', 'failed']) {
        expect(sampleValue(samples, 'tessera_queue_jobs', { queue, state }), `${queue} ${state}`).toBeGreaterThanOrEqual(0);
      }
    }
  });

  it('passes promtool check metrics', async () => {
    const { text } = await scrape();
    const { status, output } = promtoolCheck(text);
    expect(output).toBe('');
    expect(status).toBe(0);
  });

  it('labels HTTP requests with the route template and numeric status, never the raw path', async () => {
    const ticket = await openTicket();
    const before = (await scrape()).samples;
    const routeCount = (samples: Sample[], route: string, status: string, method = 'GET') =>
      sampleValue(samples, 'tessera_http_requests_total', { method, route, status }) ?? 0;

    expect((await t.request('GET', `/api/v1/tickets/${ticket.id}?fields=id&x=1234567`, { as: agent })).status).toBe(200);
    expect((await t.request('GET', `/api/v1/tickets/${randomUUID()}`, { as: agent })).status).toBe(404);
    expect((await t.request('GET', `/api/v1/no-such-route/${ticket.number}1234567?q=secret`, { as: agent })).status).toBe(404);

    const after = (await scrape()).samples;
    expect(routeCount(after, '/api/v1/tickets/:id', '200') - routeCount(before, '/api/v1/tickets/:id', '200')).toBe(1);
    expect(routeCount(after, '/api/v1/tickets/:id', '404') - routeCount(before, '/api/v1/tickets/:id', '404')).toBe(1);
    expect(routeCount(after, 'unmatched', '404') - routeCount(before, 'unmatched', '404')).toBe(1);
    expect(routeCount(after, '/api/v1/tickets', '201', 'POST')).toBeGreaterThanOrEqual(2);
    expect(
      sampleValue(after, 'tessera_http_request_duration_seconds_count', { method: 'GET', route: '/api/v1/tickets/:id', status: '200' }),
    ).toBeGreaterThanOrEqual(1);
  });

  it('keeps ids, query strings and long digit runs out of every label value; operation is a small lowercase set', async () => {
    const { samples } = await scrape();
    const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
    for (const sample of samples) {
      for (const [label, value] of Object.entries(sample.labels)) {
        if (label === 'le' || label === 'quantile') continue;
        const where = `${sample.name}{${label}="${value}"}`;
        expect(value, where).not.toMatch(/\d{6,}/);
        expect(value, where).not.toMatch(/[?&=]/);
        expect(value, where).not.toMatch(uuid);
      }
      if (sample.name.startsWith('tessera_http_')) expect(sample.labels['status']).toMatch(/^[1-5]\d\d$/);
    }
    const operations = new Set(samples.filter((s) => s.name.startsWith('tessera_db_query_duration_seconds')).map((s) => s.labels['operation']));
    expect(operations.size).toBeGreaterThan(0);
    expect(operations.size).toBeLessThanOrEqual(10);
    for (const operation of operations) {
      expect(operation).toMatch(/^[a-z]+$/);
      expect(DB_OPERATIONS).toContain(operation);
    }
    // Reads and writes both happened (tickets created and read above).
    expect(sampleValue(samples, 'tessera_db_query_duration_seconds_count', { operation: 'read' })).toBeGreaterThan(0);
    expect(sampleValue(samples, 'tessera_db_query_duration_seconds_count', { operation: 'write' })).toBeGreaterThan(0);
  });

  it('counts created, resolved and reopened tickets (a requester\'s reopen included)', async () => {
    const before = (await scrape()).samples;
    const value = (samples: Sample[], name: string) => sampleValue(samples, name) ?? 0;
    const a = await openTicket();
    const b = await openTicket();
    await setStatus(a.id, 'resolved');
    await setStatus(b.id, 'resolved');
    await setStatus(a.id, 'open', agent as Caller);
    await setStatus(b.id, 'open', requester); // the requester reopens their own ticket
    await setStatus(b.id, 'in_progress');
    const after = (await scrape()).samples;
    expect(value(after, 'tessera_tickets_created_total') - value(before, 'tessera_tickets_created_total')).toBe(2);
    expect(value(after, 'tessera_tickets_resolved_total') - value(before, 'tessera_tickets_resolved_total')).toBe(2);
    expect(value(after, 'tessera_tickets_reopened_total') - value(before, 'tessera_tickets_reopened_total')).toBe(2);
  });

  it('counts SLA breaches by target in the process that recorded them, and shows clocks at risk', async () => {
    const category = await t.request('POST', '/api/v1/categories', { as: admin, body: { name: `Metrics ${randomUUID()}` } });
    expect(category.status).toBe(201);
    const policy = await t.request('POST', '/api/v1/sla-policies', {
      as: admin,
      body: {
        name: `Metrics ${randomUUID()}`,
        targets: TARGETS,
        atRiskPercent: 1,
        calendar: { timeZone: 'UTC', weeklyHours: ALL_DAYS, holidays: [] },
        categoryIds: [category.body.id],
      },
    });
    expect(policy.status, JSON.stringify(policy.body)).toBe(201);
    const before = (await scrape()).samples;
    const breaches = (samples: Sample[], target: string) => sampleValue(samples, 'tessera_sla_breaches_total', { target }) ?? 0;

    await openTicket({ categoryId: category.body.id, severity: 'critical', urgency: 'high' });
    await openTicket({ categoryId: category.body.id, severity: 'low', urgency: 'low' });
    const breached = await until(scrape, (s) => breaches(s.samples, 'first_response') - breaches(before, 'first_response') >= 1, 20_000);
    expect(breaches(breached.samples, 'first_response') - breaches(before, 'first_response')).toBe(1);
    // The low ticket is at risk on both clocks (and stays so for minutes); the critical one breached first response.
    // (A snapshot taken before the breach also counts the critical ticket: wait for one taken after it.)
    const atRisk = await until(scrape, (s) => sampleValue(s.samples, 'tessera_sla_at_risk', { target: 'first_response' }) === 1, 15_000);
    expect(sampleValue(atRisk.samples, 'tessera_sla_at_risk', { target: 'first_response' })).toBe(1);
  });
});

describe('gauges from the snapshot', () => {
  it('answers from the latest snapshot, not the tables: a change shows after the next refresh', async () => {
    const db = t.app.get((await import('typeorm')).DataSource);
    const openInSql = async () =>
      Number((await db.query(`SELECT count(*) AS n FROM tickets WHERE deleted_at IS NULL AND status IN ('new','open','in_progress','pending')`))[0].n);
    const openInScrape = (samples: Sample[]) => sampleSum(samples, 'tessera_tickets_open');
    const settled = await until(
      async () => ({ scrape: await scrape(), sql: await openInSql() }),
      (v) => openInScrape(v.scrape.samples) === v.sql,
      15_000,
    );
    expect(openInScrape(settled.scrape.samples)).toBe(settled.sql);
    const age = sampleValue(settled.scrape.samples, 'tessera_metrics_snapshot_age_seconds')!;
    expect(age).toBeGreaterThanOrEqual(0);
    expect(age).toBeLessThan(10);

    await openTicket({ severity: 'high', urgency: 'high' });
    const moved = await until(scrape, (s) => openInScrape(s.samples) === settled.sql + 1, 15_000);
    expect(openInScrape(moved.samples)).toBe(settled.sql + 1);
    expect(sampleValue(moved.samples, 'tessera_tickets_open', { status: 'new', priority: 'critical' })).toBeGreaterThanOrEqual(1);
  });
});

describe('a scrape reads the snapshot only', () => {
  it('shows what the stored snapshot says, whatever the tables hold (an API process without workers)', async () => {
    const api = await startTestApp({}, { workers: false });
    try {
      const store = api.app.get(MetricsSnapshotStore);
      const metrics = api.app.get(PrometheusMetrics);
      // No worker in this installation (its own queue prefix): nothing computed yet, so no snapshot gauges.
      expect(parseExposition(await metrics.text()).some((s) => s.name === 'tessera_tickets_open')).toBe(false);
      const takenAt = new Date(Date.now() - 5000).toISOString();
      await store.save({
        takenAt,
        queues: [{ queue: 'intake', state: 'waiting', count: 4242 }],
        outbox: { pending: 777, oldestAgeSeconds: 12.5 },
        ticketsOpen: [{ status: 'pending', priority: 'low', count: 1_000_001 - 1 }],
        slaAtRisk: [
          { target: 'first_response', count: 3 },
          { target: 'resolution', count: 4 },
        ],
      });
      const samples = parseExposition(await metrics.text());
      expect(sampleValue(samples, 'tessera_queue_jobs', { queue: 'intake', state: 'waiting' })).toBe(4242);
      expect(sampleValue(samples, 'tessera_outbox_pending')).toBe(777);
      expect(sampleValue(samples, 'tessera_outbox_oldest_age_seconds')).toBe(12.5);
      expect(sampleValue(samples, 'tessera_tickets_open', { status: 'pending', priority: 'low' })).toBe(1_000_000);
      expect(sampleValue(samples, 'tessera_sla_at_risk', { target: 'resolution' })).toBe(4);
      expect(sampleValue(samples, 'tessera_metrics_snapshot_age_seconds')).toBeGreaterThanOrEqual(5);
    } finally {
      await api.close();
    }
  });
});

describe('METRICS_PORT=0', () => {
  it('turns the instrumentation off: nothing is counted', async () => {
    const off = new PrometheusMetrics(false);
    expect(off.enabled).toBe(false);
    const other = await startTestApp({ METRICS_PORT: '0' });
    try {
      const metrics = other.app.get(PrometheusMetrics);
      expect(metrics.enabled).toBe(false);
      const caller = await other.user('requester');
      expect((await other.request('GET', '/api/v1/tickets', { as: caller })).status).toBe(200);
      const samples = parseExposition(await metrics.text());
      expect(sampleSum(samples, 'tessera_http_requests_total')).toBe(0);
      expect(sampleSum(samples, 'tessera_db_query_duration_seconds_count')).toBe(0);
      expect(samples.some((s) => s.name.startsWith('nodejs_'))).toBe(false);
    } finally {
      await other.close();
    }
  });
});
