import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prometheusExpressions } from '../../../docker/grafana/build-dashboards.mjs';
import { createScratchDatabase, testRedisPrefix, testRedisUrl } from '../../support/database.js';
import { freePort } from '../../support/free-port.js';
import { until } from '../../support/until.js';
import { buildIfNeeded, WorkerProcess } from '../../support/worker-process.js';

// Every metric a Grafana panel queries must be one the running app exposes: the stack's layout, an API process
// and a worker process (node dist/src/main.js --role=api / --role=worker), each scraped on its own METRICS_PORT.

/** Series Prometheus itself adds to every target (not exposed by the app). */
const PROMETHEUS_SERIES = new Set(['up']);
/** Labels Prometheus adds to every series it scrapes, and the bucket label of histograms. */
const TARGET_LABELS = new Set(['job', 'instance', 'le']);
const PROMQL_WORDS = new Set(['sum', 'max', 'min', 'avg', 'by', 'without', 'rate', 'increase', 'histogram_quantile']);

/** Metric names in a PromQL expression (identifiers that are not functions, keywords, label names or values). */
function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/\{[^}]*\}/g, ' ') // label matchers
    .replace(/\b(?:by|without)\s*\([^)]*\)/g, ' ') // grouping labels
    .replace(/\[[^\]]*\]/g, ' '); // ranges
  return [...stripped.matchAll(/\b([a-zA-Z_:][a-zA-Z0-9_:]*)\b(?!\s*\()/g)].map((m) => m[1]!).filter((w) => !PROMQL_WORDS.has(w));
}

/** Label names an expression groups by or matches on. */
function labelNames(expr: string): string[] {
  const grouping = [...expr.matchAll(/\b(?:by|without)\s*\(([^)]*)\)/g)].flatMap((m) => m[1]!.split(',').map((l) => l.trim()));
  const matchers = [...expr.matchAll(/\{([^}]*)\}/g)].flatMap((m) => [...m[1]!.matchAll(/(\w+)\s*(?:=~|!~|!=|=)/g)].map((l) => l[1]!));
  return [...new Set([...grouping, ...matchers])].filter((l) => l && !TARGET_LABELS.has(l));
}

/** Sample name → the label names seen on it, from the Prometheus text format. */
function exposition(text: string): Map<string, Set<string>> {
  const series = new Map<string, Set<string>>();
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{([^}]*)\})?\s/.exec(line);
    if (!match) continue;
    const labels = series.get(match[1]!) ?? new Set<string>();
    for (const label of (match[2] ?? '').matchAll(/(\w+)="/g)) labels.add(label[1]!);
    series.set(match[1]!, labels);
  }
  return series;
}

describe('the Grafana dashboards against a running API and worker', () => {
  const processes: WorkerProcess[] = [];
  let dropDatabase: () => Promise<void>;
  let metricsPorts: number[];
  let api: string;

  beforeAll(async () => {
    buildIfNeeded();
    const database = await createScratchDatabase();
    dropDatabase = database.drop;
    const [port, apiMetrics, workerMetrics] = [await freePort(), await freePort(), await freePort()];
    metricsPorts = [apiMetrics, workerMetrics];
    api = `http://127.0.0.1:${port}/api/v1`;
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL: testRedisUrl(),
      QUEUE_PREFIX: `${testRedisPrefix()}-gm-${randomUUID().slice(0, 8)}`,
      DATABASE_POOL_SIZE: '3',
      METRICS_REFRESH_SECONDS: '1',
      BOOTSTRAP_ADMIN_EMAIL: 'admin@example.com',
      BOOTSTRAP_ADMIN_PASSWORD: 'a-long-passphrase',
    };
    processes.push(await WorkerProcess.start({ ...env, PORT: String(port), METRICS_PORT: String(apiMetrics) }, { role: 'api', ready: 'listening' }));
    processes.push(await WorkerProcess.start({ ...env, METRICS_PORT: String(workerMetrics) }));
  }, 240_000);

  afterAll(async () => {
    for (const process of processes) await process.stop();
    await dropDatabase?.();
  });

  const post = async (path: string, body: unknown, token?: string): Promise<{ accessToken?: string }> => {
    const res = await fetch(`${api}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    expect(res.status, path).toBeLessThan(300);
    return (await res.json()) as { accessToken?: string };
  };

  it('query only metrics and labels the processes expose', async () => {
    const { accessToken } = await post('/auth/login', { email: 'admin@example.com', password: 'a-long-passphrase' });
    await post('/tickets', { title: 'Dashboards', description: 'A ticket for the metrics' }, accessToken);

    const expressions = prometheusExpressions();
    const wanted = new Set(expressions.flatMap(metricNames).filter((name) => !PROMETHEUS_SERIES.has(name)));
    expect([...wanted].filter((name) => name.startsWith('tessera_')).length).toBeGreaterThanOrEqual(12);
    const scrapeAll = async () => {
      const union = new Map<string, Set<string>>();
      for (const port of metricsPorts) {
        const res = await fetch(`http://127.0.0.1:${port}/metrics`);
        expect(res.status).toBe(200);
        for (const [name, labels] of exposition(await res.text())) union.set(name, new Set([...(union.get(name) ?? []), ...labels]));
      }
      return union;
    };
    // The snapshot gauges (queues, outbox, open tickets, at risk) appear after the first refresh job.
    const exposed = await until(scrapeAll, (union) => [...wanted].every((name) => union.has(name)), 20_000);

    expect([...wanted].filter((name) => !exposed.has(name))).toEqual([]);
    for (const expr of expressions) {
      const names = metricNames(expr).filter((name) => exposed.has(name));
      const labels = new Set(names.flatMap((name) => [...exposed.get(name)!]));
      expect(labelNames(expr).filter((label) => !labels.has(label)), expr).toEqual([]);
    }
  }, 40_000);
});
