#!/usr/bin/env node
// Generates the Grafana dashboards in docker/grafana/dashboards/ from the panel lists below:
//   node docker/grafana/build-dashboards.mjs
// Prometheus panels use the metric names Tessera's processes expose on /metrics (a test checks each one against
// a running app); the PostgreSQL panels read through the read-only `grafana_reader` role (docker/compose.yml).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PROMETHEUS = { type: 'prometheus', uid: 'prometheus' };
const POSTGRES = { type: 'grafana-postgresql-datasource', uid: 'tessera-postgres' };

/** The statuses of a ticket that still needs work: the same list as OPEN_STATUSES in src/core (a test compares them). */
export const OPEN_STATUSES = ['new', 'open', 'in_progress', 'pending'];
const openList = OPEN_STATUSES.map((s) => `'${s}'`).join(',');

// Gauges refreshed from the database are the same in every process: take the max, not the sum, across replicas.
// Counters count per serving process: sum them.
const dashboards = [
  {
    uid: 'tessera-http',
    title: 'Tessera · HTTP API',
    rows: [
      [
        prom('Requests per second by route', 'sum by (route) (rate(tessera_http_requests_total[$__rate_interval]))', '{{route}}', 'reqps'),
        prom('Error rate (5xx share) by route',
          'sum by (route) (rate(tessera_http_requests_total{status=~"5.."}[$__rate_interval])) / sum by (route) (rate(tessera_http_requests_total[$__rate_interval]))',
          '{{route}}', 'percentunit'),
      ],
      [
        prom('p95 latency by route', 'histogram_quantile(0.95, sum by (le, route) (rate(tessera_http_request_duration_seconds_bucket[$__rate_interval])))', '{{route}}', 's'),
        prom('p50 latency by route', 'histogram_quantile(0.5, sum by (le, route) (rate(tessera_http_request_duration_seconds_bucket[$__rate_interval])))', '{{route}}', 's'),
      ],
      [
        prom('Responses per second by status', 'sum by (status) (rate(tessera_http_requests_total[$__rate_interval]))', '{{status}}', 'reqps'),
        prom('4xx per second by route', 'sum by (route) (rate(tessera_http_requests_total{status=~"4.."}[$__rate_interval]))', '{{route}}', 'reqps'),
      ],
      [
        prom('Database query p95 by operation', 'histogram_quantile(0.95, sum by (le, operation) (rate(tessera_db_query_duration_seconds_bucket[$__rate_interval])))', '{{operation}}', 's'),
        prom('Database pool connections', 'sum by (job, state) (tessera_db_pool_connections)', '{{job}} {{state}}', 'short'),
      ],
      [
        prom('Event-loop lag p99 by process', 'nodejs_eventloop_lag_p99_seconds', '{{job}} {{instance}}', 's'),
        prom('Resident memory by process', 'process_resident_memory_bytes', '{{job}} {{instance}}', 'bytes'),
      ],
    ],
  },
  {
    uid: 'tessera-pipeline',
    title: 'Tessera · Queues and outbox',
    rows: [
      [
        prom('Jobs by queue and state', 'max by (queue, state) (tessera_queue_jobs)', '{{queue}} {{state}}', 'short'),
        prom('Failed jobs by queue', 'max by (queue) (tessera_queue_jobs{state="failed"})', '{{queue}}', 'short'),
      ],
      [
        prom('Outbox events waiting for the relay', 'max(tessera_outbox_pending)', 'pending', 'short'),
        prom('Age of the oldest waiting outbox event', 'max(tessera_outbox_oldest_age_seconds)', 'oldest', 's'),
      ],
      [
        prom('Waiting jobs by queue', 'max by (queue) (tessera_queue_jobs{state=~"waiting|delayed"})', '{{queue}}', 'short'),
        prom('Worker processes up', 'sum by (job) (up{job=~"tessera-.*"})', '{{job}}', 'short'),
      ],
    ],
  },
  {
    uid: 'tessera-desk',
    title: 'Tessera · Service desk',
    rows: [
      [
        prom('Backlog by status', 'sum by (status) (max by (status, priority) (tessera_tickets_open))', '{{status}}', 'short', { stack: true }),
        prom('Backlog by priority', 'sum by (priority) (max by (status, priority) (tessera_tickets_open))', '{{priority}}', 'short', { stack: true }),
      ],
      [
        prom('Tickets created, resolved and reopened per hour', [
          ['sum(increase(tessera_tickets_created_total[1h]))', 'created'],
          ['sum(increase(tessera_tickets_resolved_total[1h]))', 'resolved'],
          ['sum(increase(tessera_tickets_reopened_total[1h]))', 'reopened'],
        ], null, 'short'),
        prom('SLA clocks at risk now', 'max by (target) (tessera_sla_at_risk)', '{{target}}', 'short'),
      ],
      [
        prom('SLA breaches per hour', 'sum by (target) (increase(tessera_sla_breaches_total[1h]))', '{{target}}', 'short'),
        sql('Resolution time per day (hours from creation)', `
SELECT date_trunc('day', resolved_at) AS time,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM resolved_at - created_at) / 3600) AS "median",
       percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM resolved_at - created_at) / 3600) AS "p90"
FROM tickets
WHERE deleted_at IS NULL AND resolved_at IS NOT NULL AND $__timeFilter(resolved_at)
GROUP BY 1
ORDER BY 1`, 'time_series', 'h'),
      ],
    ],
  },
  {
    uid: 'tessera-agents',
    title: 'Tessera · Agent load',
    rows: [
      [
        sql('Open tickets per agent', `
SELECT u.name AS agent,
       count(*) FILTER (WHERE t.priority IN ('critical', 'high')) AS "critical or high",
       count(*) AS "open"
FROM tickets t
JOIN users u ON u.id = t.assignee_id
WHERE t.deleted_at IS NULL AND t.status IN (${openList})
GROUP BY u.id, u.name
ORDER BY count(*) DESC, u.name
LIMIT 50`, 'table', 'short', 'bargauge'),
        sql('Tickets resolved per agent in the time range', `
SELECT u.name AS agent, count(*) AS "resolved"
FROM tickets t
JOIN users u ON u.id = t.assignee_id
WHERE t.deleted_at IS NULL AND t.resolved_at IS NOT NULL AND $__timeFilter(t.resolved_at)
GROUP BY u.id, u.name
ORDER BY count(*) DESC, u.name
LIMIT 50`, 'table', 'short', 'bargauge'),
      ],
      [
        sql('Unassigned open tickets', `
SELECT count(*) AS "unassigned"
FROM tickets
WHERE deleted_at IS NULL AND assignee_id IS NULL AND status IN (${openList})`, 'table', 'short', 'stat'),
        prom('Tickets created per hour (all agents)', 'sum(increase(tessera_tickets_created_total[1h]))', 'created', 'short'),
      ],
    ],
  },
];

function prom(title, queries, legend, unit, { stack = false } = {}) {
  const list = Array.isArray(queries) ? queries : [[queries, legend]];
  return {
    type: 'timeseries',
    title,
    datasource: PROMETHEUS,
    targets: list.map(([expr, legendFormat], i) => ({ refId: String.fromCharCode(65 + i), datasource: PROMETHEUS, expr, legendFormat })),
    fieldConfig: {
      defaults: { unit, custom: stack ? { stacking: { mode: 'normal', group: 'A' }, fillOpacity: 30 } : { fillOpacity: 10 } },
      overrides: [],
    },
    options: { legend: { displayMode: 'list', placement: 'bottom' }, tooltip: { mode: 'multi' } },
  };
}

function sql(title, rawSql, format, unit, type = 'timeseries') {
  return {
    type,
    title,
    datasource: POSTGRES,
    targets: [{ refId: 'A', datasource: POSTGRES, editorMode: 'code', rawQuery: true, format, rawSql: rawSql.trim() }],
    fieldConfig: { defaults: { unit }, overrides: [] },
    options: type === 'bargauge' ? { displayMode: 'basic', orientation: 'horizontal', reduceOptions: { calcs: ['lastNotNull'], fields: '', values: true } } : {},
  };
}

/** Every dashboard as Grafana JSON, keyed by file name. */
export function buildDashboards() {
  const files = {};
  for (const { uid, title, rows } of dashboards) {
    let id = 1;
    const panels = rows.flatMap((row, y) =>
      row.map((panel, x) => ({ id: id++, gridPos: { h: 8, w: 24 / row.length, x: x * (24 / row.length), y: y * 8 }, ...panel })),
    );
    files[`${uid}.json`] = {
      uid,
      title,
      tags: ['tessera'],
      timezone: 'browser',
      editable: false,
      schemaVersion: 39,
      version: 1,
      refresh: '30s',
      time: { from: 'now-6h', to: 'now' },
      templating: { list: [] },
      annotations: { list: [] },
      panels,
    };
  }
  return files;
}

/** The Prometheus expressions of every panel (for the metric-name check). */
export function prometheusExpressions() {
  return Object.values(buildDashboards()).flatMap((d) =>
    d.panels.filter((p) => p.datasource.type === 'prometheus').flatMap((p) => p.targets.map((t) => t.expr)),
  );
}

/** The SQL of every PostgreSQL panel (run against a migrated database by a test). */
export function sqlQueries() {
  return Object.values(buildDashboards()).flatMap((d) =>
    d.panels.filter((p) => p.datasource.type === POSTGRES.type).flatMap((p) => p.targets.map((t) => t.rawSql)),
  );
}

export const render = (dashboard) => `${JSON.stringify(dashboard, null, 2)}\n`;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = join(dirname(fileURLToPath(import.meta.url)), 'dashboards');
  mkdirSync(out, { recursive: true });
  for (const [file, dashboard] of Object.entries(buildDashboards())) {
    writeFileSync(join(out, file), render(dashboard));
    console.log(`wrote docker/grafana/dashboards/${file}`);
  }
}
