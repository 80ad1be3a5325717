// `npm run bench:metrics`: what the metrics cost. Seeds a throwaway database, then measures
//   1. GET /metrics: time per scrape (sequential scrapes of a warm process) and the exposition's size;
//   2. the snapshot's database counts (what the refresh job runs every METRICS_REFRESH_SECONDS) at this table size;
//   3. ticket creation at BENCH_CONNECTIONS connections with metrics off (METRICS_PORT=0), on, on + InfluxDB export
//      to an InfluxDB that is down, and on + a running InfluxDB (when `influxd` is on the PATH), in alternating rounds.
// The service runs as `npm start` does (API, relay and workers in one process), so the export's worker shares the
// process with the API it must not slow down.
//   0. first, the instrumentation's CPU per call in this process (independent of how busy the machine is): what one
//      request, one statement and one committed event add.
// Settings (env): BENCH_TICKETS (200000), BENCH_CONNECTIONS (50), BENCH_DURATION (10 s), BENCH_WARMUP (3 s),
// BENCH_ROUNDS (2), BENCH_SCRAPES (300), BENCH_PG_ADMIN_URL, BENCH_KEEP_DB=1, BENCH_MICRO_ONLY=1 (step 0 alone).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import pg from 'pg';
import {
  ADMIN_URL,
  BENCH_ADMIN,
  REDIS_URL,
  benchScratch,
  buildIfNeeded,
  calibrate,
  call,
  cpuBusyPct,
  freePort,
  log,
  percentile,
  pick,
  positiveInt as int,
  runBench,
  seconds,
  startService,
  waitReady,
} from './lib.mjs';
import { TITLES, seed } from './seed.mjs';

const settings = {
  tickets: int('BENCH_TICKETS', 200_000),
  connections: int('BENCH_CONNECTIONS', 50),
  durationSeconds: int('BENCH_DURATION', 10),
  warmupSeconds: int('BENCH_WARMUP', 3),
  rounds: int('BENCH_ROUNDS', 2),
  scrapes: int('BENCH_SCRAPES', 300),
};
const OPEN = `'new','open','in_progress','pending'`;
/** The snapshot's statements, as SqlOperationalCounts sends them. */
const SNAPSHOT_SQL = {
  outbox: `SELECT count(*) AS pending, min(occurred_at) AS oldest FROM outbox WHERE sent_at IS NULL`,
  'open tickets': `SELECT status, priority, count(*) AS count FROM tickets WHERE deleted_at IS NULL AND status IN (${OPEN}) GROUP BY status, priority`,
  'at risk': `SELECT count(*) FILTER (WHERE s.first_response_at_risk AND NOT s.first_response_breached AND s.first_responded_at IS NULL) AS f,
      count(*) FILTER (WHERE s.resolution_at_risk AND NOT s.resolution_breached AND s.resolved_at IS NULL) AS r
    FROM ticket_sla s JOIN tickets t ON t.id = s.ticket_id
    WHERE ((s.first_response_at_risk AND NOT s.first_response_breached AND s.first_responded_at IS NULL)
        OR (s.resolution_at_risk AND NOT s.resolution_breached AND s.resolved_at IS NULL))
      AND t.deleted_at IS NULL AND t.status IN (${OPEN})`,
};

const scratch = benchScratch('metrics');
const services = new Set();
let influx = null;

function startApp(env) {
  const service = startService({
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    DATABASE_URL: scratch.dbUrl,
    LOG_LEVEL: 'error',
    RATE_LIMIT_PER_MINUTE: '100000000',
    REDIS_AUTOSTART: 'false',
    REDIS_URL,
    QUEUE_PREFIX: scratch.queuePrefix,
    BOOTSTRAP_ADMIN_EMAIL: BENCH_ADMIN.email,
    BOOTSTRAP_ADMIN_PASSWORD: BENCH_ADMIN.password,
    ...env,
  });
  services.add(service);
  return service;
}

async function stopApp(service) {
  await service.stop();
  services.delete(service);
}

/** A private influxd 1.x with its own folders and ports (as the tests start it); null without `influxd`. */
async function startInfluxd() {
  if (spawnSync('sh', ['-c', 'command -v influxd']).status !== 0) return null;
  const dir = mkdtempSync(join(tmpdir(), 'tessera-bench-influxd-'));
  const [port, rpc] = [await freePort(), await freePort()];
  const config = join(dir, 'influxd.conf');
  writeFileSync(
    config,
    `reporting-disabled = true\nbind-address = "127.0.0.1:${rpc}"\n[meta]\n  dir = "${dir}/meta"\n[data]\n  dir = "${dir}/data"\n` +
      `  wal-dir = "${dir}/wal"\n  query-log-enabled = false\n[http]\n  bind-address = "127.0.0.1:${port}"\n  log-enabled = false\n` +
      `[monitor]\n  store-enabled = false\n`,
  );
  const child = spawn('influxd', ['-config', config], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    if ((await fetch(`${url}/ping`).then((r) => r.status).catch(() => 0)) === 204) break;
    await sleep(100);
  }
  await fetch(`${url}/query?q=${encodeURIComponent('CREATE DATABASE bench')}`, { method: 'POST' });
  return {
    url,
    count: async () => {
      const res = await fetch(`${url}/query?db=bench&q=${encodeURIComponent('SELECT count(ticket_id) FROM tessera_ticket_events')}`);
      return (await res.json()).results?.[0]?.series?.[0]?.values?.[0]?.[1] ?? 0;
    },
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const newTicket = (n) =>
  JSON.stringify({
    title: `${pick(TITLES)} #${n}`,
    description: `Metrics bench ticket ${n}: the user is blocked.`,
    severity: pick(['critical', 'high', 'medium', 'low']),
    urgency: pick(['high', 'medium', 'low']),
  });

async function createLoad(base, token) {
  let n = 0;
  const result = await autocannon({
    url: base,
    connections: settings.connections,
    duration: settings.durationSeconds,
    warmup: { connections: settings.connections, duration: settings.warmupSeconds },
    requests: [
      {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        setupRequest: (req) => ({ ...req, path: '/api/v1/tickets', body: newTicket(++n) }),
      },
    ],
  });
  return { reqPerSec: Math.round(result.requests.average), p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors };
}

/** ns per call of what each request, statement and committed event runs when metrics are on (median of 7 runs). */
async function microCosts() {
  const { PrometheusMetrics } = await import('../dist/src/adapters/metrics/prometheus-metrics.js');
  const { operationOf } = await import('../dist/src/adapters/persistence/timed-client.js');
  const metrics = new PrometheusMetrics(true);
  const routes = ['/api/v1/tickets', '/api/v1/tickets/:id', '/api/v1/tickets/:id/status', '/health'];
  const statement = 'INSERT INTO tickets (id, number, title) VALUES ($1, $2, $3) RETURNING id';
  const event = { type: 'ticket.status_changed', actorId: 'a', payload: { changes: [{ field: 'status', from: 'open', to: 'resolved' }] } };
  const time = (n, once) => {
    const runs = [];
    for (let r = 0; r < 7; r++) {
      const s = process.hrtime.bigint();
      for (let i = 0; i < n; i++) once(i);
      runs.push(Number(process.hrtime.bigint() - s) / n);
    }
    return percentile(runs, 50);
  };
  const http = time(200_000, (i) => metrics.observeHttp('POST', routes[i & 3], 201, 0.004));
  const db = time(200_000, () => metrics.observeDbQuery(operationOf(statement), 0.0003));
  const events = time(200_000, () => metrics.countCommitted([event]));
  const s = process.hrtime.bigint();
  for (let i = 0; i < 50; i++) await metrics.text();
  const scrape = Number(process.hrtime.bigint() - s) / 50 / 1e6;
  log(`instrumentation per call (this process, median of 7 runs): HTTP request ${http.toFixed(0)} ns, ` +
    `statement (classify + observe) ${db.toFixed(0)} ns, committed event ${events.toFixed(0)} ns; ` +
    `rendering the exposition without the snapshot read ${scrape.toFixed(2)} ms`);
  log(`  a ticket creation (1 request, ~4 statements, 1 event): ~${((http + 4 * db + events) / 1000).toFixed(1)} µs of CPU`);
}

async function main() {
  buildIfNeeded();
  await microCosts();
  if (process.env.BENCH_MICRO_ONLY === '1') return;
  const busy = await cpuBusyPct(2000);
  const speed = await calibrate(ADMIN_URL, REDIS_URL);
  log(`machine today: ${busy} % busy before start, PostgreSQL round trip ${speed.pgRoundTripUs} µs, Redis PING ${speed.redisPingUs} µs`);
  await scratch.create();

  // Migrations, then the seed.
  let port = await freePort();
  let app = startApp({ PORT: String(port), METRICS_PORT: '0' });
  await waitReady(app, `http://127.0.0.1:${port}`);
  await stopApp(app);
  const pool = new pg.Pool({ connectionString: scratch.dbUrl, max: 2 });
  let t = Date.now();
  await seed(pool, settings.tickets, log);
  const open = Number((await pool.query(`SELECT count(*) AS n FROM tickets WHERE deleted_at IS NULL AND status IN (${OPEN})`)).rows[0].n);
  log(`seeded ${settings.tickets.toLocaleString('en')} tickets (${open.toLocaleString('en')} open) in ${seconds(t)} s`);

  // 2. The snapshot's statements at this size (warm, median of 20).
  log('\nsnapshot refresh statements (median of 20, warm):');
  for (const [name, sql] of Object.entries(SNAPSHOT_SQL)) {
    const took = [];
    for (let i = 0; i < 22; i++) {
      const s = process.hrtime.bigint();
      await pool.query(sql);
      if (i >= 2) took.push(Number(process.hrtime.bigint() - s) / 1e6);
    }
    log(`  ${name}: ${percentile(took, 50).toFixed(2)} ms (max ${Math.max(...took).toFixed(2)} ms)`);
  }

  // 1. Scrapes of a warm process, gauges from the snapshot.
  port = await freePort();
  const metricsPort = await freePort();
  app = startApp({ PORT: String(port), METRICS_PORT: String(metricsPort), METRICS_REFRESH_SECONDS: '1' });
  const base = `http://127.0.0.1:${port}`;
  await waitReady(app, base);
  const login = await call(base, 'POST', '/api/v1/auth/login', null, BENCH_ADMIN);
  const token = login.json.accessToken;
  for (let i = 0; i < 200; i++) await call(base, 'GET', '/api/v1/tickets?limit=5', token);
  const metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  for (let i = 0; i < 100 && !(await (await fetch(metricsUrl)).text()).includes('tessera_tickets_open{'); i++) await sleep(200);
  const took = [];
  let bytes = 0;
  for (let i = 0; i < settings.scrapes; i++) {
    const s = process.hrtime.bigint();
    const body = await (await fetch(metricsUrl)).text();
    took.push(Number(process.hrtime.bigint() - s) / 1e6);
    bytes = body.length;
  }
  log(`\nGET /metrics (${settings.scrapes} sequential scrapes, ${bytes.toLocaleString('en')} bytes): ` +
    `p50 ${percentile(took, 50).toFixed(2)} ms, p99 ${percentile(took, 99).toFixed(2)} ms, max ${Math.max(...took).toFixed(2)} ms`);
  await stopApp(app);

  // 3. Ticket creation with and without metrics / the export.
  influx = await startInfluxd();
  const deadPort = await freePort();
  const modes = [
    { name: 'metrics off (METRICS_PORT=0)', env: { METRICS_PORT: '0' } },
    { name: 'metrics on', env: {} },
    { name: 'metrics on + InfluxDB export, InfluxDB down', env: { INFLUX_URL: `http://127.0.0.1:${deadPort}`, INFLUX_DATABASE: 'bench' } },
    ...(influx ? [{ name: 'metrics on + InfluxDB export, InfluxDB up', env: { INFLUX_URL: influx.url, INFLUX_DATABASE: 'bench' } }] : []),
  ];
  const results = new Map(modes.map((m) => [m.name, []]));
  for (let round = 1; round <= settings.rounds; round++) {
    for (const mode of modes) {
      port = await freePort();
      const env = { PORT: String(port), ...(mode.env.METRICS_PORT ? {} : { METRICS_PORT: String(await freePort()) }), ...mode.env };
      app = startApp(env);
      await waitReady(app, `http://127.0.0.1:${port}`);
      const session = await call(`http://127.0.0.1:${port}`, 'POST', '/api/v1/auth/login', null, BENCH_ADMIN);
      const row = await createLoad(`http://127.0.0.1:${port}`, session.json.accessToken);
      results.get(mode.name).push(row);
      log(`round ${round}, ${mode.name}: ${row.reqPerSec} tickets/s, p50 ${row.p50} ms, p99 ${row.p99} ms, non-2xx ${row.non2xx}, errors ${row.errors}`);
      await stopApp(app);
      // The next mode starts on an empty pipeline: the outbox and the queues of this one are drained or cleared.
      await pool.query(`UPDATE outbox SET sent_at = now() WHERE sent_at IS NULL`);
    }
  }
  log(`\ncreate at ${settings.connections} connections, ${settings.durationSeconds} s per run, ${settings.rounds} round(s), npm start layout:`);
  for (const [name, rows] of results) {
    log(`  ${name}: ${rows.map((r) => r.reqPerSec).join(' / ')} tickets/s, p99 ${rows.map((r) => r.p99).join(' / ')} ms`);
  }
  // The export runs behind the load and each run's leftovers are cleared: a count of what arrived, not a total.
  if (influx) log(`InfluxDB received ${await influx.count()} ticket-event points during the runs`);
  await pool.end();
}

async function cleanup() {
  for (const service of services) await service.stop();
  await influx?.stop();
  await scratch.release();
}

await runBench(main, cleanup, () => [...services]);
