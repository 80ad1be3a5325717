// `npm run bench`: seeds a throwaway database, starts the API on it and measures the workloads with autocannon:
// ticket reads, lists, search, create, and analytics (dashboard 30 days without/with a filter and in a non-UTC
// zone, team view), each with the analytics answer cache and on a second API process with ANALYTICS_CACHE_MS=0.
// Settings (env): BENCH_TICKETS (1000000), BENCH_CONNECTIONS (50), BENCH_DURATION (15 s), BENCH_WARMUP (3 s),
// BENCH_PG_ADMIN_URL (postgres://postgres@127.0.0.1:5432/postgres), BENCH_KEEP_DB=1 keeps the database,
// BENCH_REUSE_DB=<name> runs on a database an earlier run kept, as it is (no seeding; its created tickets stay),
// BENCH_ONLY=<comma list> runs only the workloads whose names start with one of them (e.g. "get by id"),
// BENCH_ROLE (api | all): the service as `npm run start:api` runs it (the default: HTTP with every write of a
// change, the events waiting in the outbox for a worker; the pipeline has its own bench) or as `npm start` runs it
// (API, outbox relay and workers in one process: the tickets created are triaged, assigned and timed meanwhile).
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import pg from 'pg';
import {
  ROOT,
  ADMIN_URL,
  BENCH_ADMIN,
  REDIS_URL,
  benchScratch,
  pick,
  buildIfNeeded,
  call,
  calibrate,
  cpuBusyPct,
  freePort,
  log,
  positiveInt as int,
  sampleRss,
  seconds,
  runBench,
  startService,
  waitReady,
} from './lib.mjs';
import { RARE_TERMS, SEARCH_TERMS, seed } from './seed.mjs';
import { rollupSizes, seedAnalytics } from './seed-analytics.mjs';

const settings = {
  tickets: int('BENCH_TICKETS', 1_000_000),
  connections: int('BENCH_CONNECTIONS', 50),
  durationSeconds: int('BENCH_DURATION', 15),
  warmupSeconds: int('BENCH_WARMUP', 3),
  rateLimitPerMinute: 100_000_000,
  logLevel: 'warn',
  keepDb: process.env.BENCH_KEEP_DB === '1',
  role: process.env.BENCH_ROLE === 'all' ? 'all' : 'api',
};
const PAGE = 25;

const startedAt = Date.now();
// The database and the Redis keys (queues, cache) of this run, deleted at the end.
const scratch = benchScratch('bench', process.env.BENCH_REUSE_DB || undefined);
const { dbName, dbUrl } = scratch;
const problems = [];
let api = null;
/** Services started besides the API (the uncached analytics API), stopped at the end. */
const extraServices = [];
let machineBusyPct = null;
let machineSpeed = null;

async function main() {
  machineBusyPct = await cpuBusyPct(2000);
  machineSpeed = await calibrate(ADMIN_URL, REDIS_URL);
  log(`machine today: PostgreSQL round trip ${machineSpeed.pgRoundTripUs} µs, Redis PING ${machineSpeed.redisPingUs} µs`);
  if (machineBusyPct > 20) log(`CAUTION: the machine is ${machineBusyPct} % busy before starting: other work will depress the numbers`);
  buildIfNeeded();
  await scratch.create();
  log(`database ${dbName} created`);

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  api = startApi(port, await freePort());
  let t = Date.now();
  await waitReady(api, base);
  const health = (await call(base, 'GET', '/health')).json;
  log(`API pid ${api.child.pid} ready on ${base} in ${seconds(t)} s (migrations applied); health: ${JSON.stringify(health)}`);
  if (health.services?.redis !== 'up') problems.push(`Redis is ${health.services?.redis}: the rate limiter's Redis traffic is not measured`);
  const rss = sampleRss(api.child.pid);

  const pool = new pg.Pool({ connectionString: dbUrl, max: 3 });
  let seeded;
  try {
    if (scratch.reused) {
      log(`reusing database ${dbName} as it is (BENCH_REUSE_DB): no seeding`);
      seeded = { reused: true };
    } else {
      log(`seeding ${settings.tickets.toLocaleString('en')} tickets`);
      t = Date.now();
      seeded = { ...(await seed(pool, settings.tickets, log)), seconds: seconds(t) };
    }
    seeded.tickets = Number((await pool.query(`SELECT count(*) FROM tickets`)).rows[0].count);
    seeded.tableMB = Math.round((await pool.query(`SELECT pg_total_relation_size('tickets') AS b`)).rows[0].b / 1048576);
    if (!scratch.reused) log(`seeded ${seeded.tickets.toLocaleString('en')} tickets in ${seeded.seconds} s (with indexes and VACUUM ANALYZE; tickets table ${seeded.tableMB} MB)`);
    else log(`the database holds ${seeded.tickets.toLocaleString('en')} tickets (tickets table ${seeded.tableMB} MB)`);
    if (!scratch.reused) {
      log('analytics: SLA clocks, ratings and the rollups');
      seeded.analytics = await seedAnalytics(pool, dbUrl, log);
    }
    seeded.analytics = { ...seeded.analytics, ...(await rollupSizes(pool)) };
    log(`analytics rollups: ${JSON.stringify(seeded.analytics)}`);

    const login = await call(base, 'POST', '/api/v1/auth/login', null, BENCH_ADMIN);
    if (login.status !== 200) throw new Error(`login failed: ${login.status} ${login.text}`);
    const token = login.json.accessToken;
    const ids = (await pool.query(`SELECT id FROM tickets ORDER BY random() LIMIT 10000`)).rows.map((r) => r.id);
    const checks = await verify(base, token, pool);

    let created = 0;
    // Analytics over the last 30 days (UTC): the dashboard without and with one filter, and the admins' team view.
    const to = new Date().toISOString().slice(0, 10);
    const from = new Date(Date.now() - 29 * 86_400_000).toISOString().slice(0, 10);
    const analytics = [
      { name: 'analytics dashboard 30 d', path: () => `/api/v1/analytics/dashboard?from=${from}&to=${to}` },
      { name: 'analytics dashboard 30 d priority=high', path: () => `/api/v1/analytics/dashboard?from=${from}&to=${to}&priority=high` },
      { name: 'analytics dashboard 30 d tz=Asia/Kolkata', path: () => `/api/v1/analytics/dashboard?from=${from}&to=${to}&tz=Asia/Kolkata` },
      { name: 'analytics team view 30 d', path: () => `/api/v1/analytics/agents?from=${from}&to=${to}` },
    ];
    const workloads = [
      { name: 'get by id', path: () => `/api/v1/tickets/${pick(ids)}` },
      { name: 'list first page', path: () => `/api/v1/tickets?limit=${PAGE}&sort=-createdAt` },
      { name: `list ${checks.deepPages.toLocaleString('en')} pages deep`, deep: true },
      { name: 'filtered list', path: () => `/api/v1/tickets?limit=${PAGE}&sort=-createdAt&status=open&priority=high` },
      { name: 'full-text search', path: () => `/api/v1/tickets?limit=${PAGE}&sort=-createdAt&q=${encodeURIComponent(pick(SEARCH_TERMS))}` },
      { name: 'search, rare host name', path: () => `/api/v1/tickets?limit=${PAGE}&sort=-createdAt&q=${pick(RARE_TERMS)}` },
      // With the answer cache (ANALYTICS_CACHE_MS, default 1 s), then on a second API process without it.
      ...analytics.map((w) => ({ ...w, name: `${w.name} (cached)` })),
      ...analytics.map((w) => ({ ...w, name: `${w.name} (uncached)`, uncached: true })),
      // Last, so the reads above see the seeded distribution rather than a burst of brand-new tickets.
      { name: 'create', method: 'POST', path: () => '/api/v1/tickets', body: () => newTicket(++created) },
    ];
    const only = (process.env.BENCH_ONLY ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    const results = [];
    let uncachedApi = null;
    for (const w of workloads.filter((x) => !only.length || only.some((o) => x.name.startsWith(o)))) {
      let target = base;
      if (w.uncached) {
        if (!uncachedApi) {
          const uncachedPort = await freePort();
          uncachedApi = { service: startApi(uncachedPort, await freePort(), { ANALYTICS_CACHE_MS: '0' }), base: `http://127.0.0.1:${uncachedPort}` };
          extraServices.push(uncachedApi.service);
          await waitReady(uncachedApi.service, uncachedApi.base);
          log(`second API pid ${uncachedApi.service.child.pid} with ANALYTICS_CACHE_MS=0 on ${uncachedApi.base}`);
        }
        target = uncachedApi.base;
      }
      if (w.deep) {
        const cursor = await deepCursor(pool, checks.deepPages);
        w.path = () => `/api/v1/tickets?limit=${PAGE}&sort=-createdAt&cursor=${cursor}`;
      }
      rss.mark();
      log(`\n${w.name}: ${settings.warmupSeconds} s warm-up + ${settings.durationSeconds} s at ${settings.connections} connections`);
      const cpuBefore = rss.cpuSeconds();
      const row = await load(target, token, w);
      const apiCpuPct = Math.round((100 * (rss.cpuSeconds() - cpuBefore)) / (settings.durationSeconds + settings.warmupSeconds));
      // The uncached analytics rows run on the second API process: the sampled CPU and memory are the first one's.
      results.push({ ...row, apiCpuPct: w.uncached ? null : apiCpuPct, peakRssMB: w.uncached ? null : rss.peakSinceMark() });
      await drain(pool);
    }

    rss.stop();
    const memory = { peakSampledRssMB: rss.peak(), vmHwmMB: rss.hwm(), samples: rss.count() };
    report(results, memory, seeded);
    const output = {
      date: new Date().toISOString(),
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model,
        totalMemoryMB: Math.round(os.totalmem() / 1048576),
        node: process.version,
        platform: `${os.platform()} ${os.release()}`,
        postgres: (await pool.query('SELECT version()')).rows[0].version,
        cpuBusyPctBeforeStart: machineBusyPct,
        ...machineSpeed,
      },
      settings: { ...settings, rateLimitNote: 'set very high: the per-caller limiter still counts every request (shared through Redis every 100 ms) but never blocks' },
      health,
      seed: seeded,
      checks,
      workloads: results,
      memory,
      problems,
      apiLogWarnings: Object.fromEntries(api.warnings),
      totalSeconds: seconds(startedAt),
    };
    mkdirSync(`${ROOT}bench/results`, { recursive: true });
    writeFileSync(`${ROOT}bench/results/latest.json`, `${JSON.stringify(output, null, 2)}\n`);
    log(`\nwritten bench/results/latest.json; total ${output.totalSeconds} s`);
  } finally {
    await pool.end();
  }
}

/** One-off HTTP checks: an insert, a read, the deep cursor, and accent-insensitive search with totals. */
async function verify(base, token, pool) {
  const expect = (what, res, status) => {
    if (res.status !== status) problems.push(`${what}: expected ${status}, got ${res.status}: ${res.text.slice(0, 500)}`);
    return res.status === status;
  };
  const checks = {};
  const created = await call(base, 'POST', '/api/v1/tickets', token, JSON.parse(newTicket(0)));
  if (expect('create', created, 201)) {
    checks.createdNumber = created.json.number;
    expect('get created', await call(base, 'GET', `/api/v1/tickets/${created.json.id}`, token), 200);
  }
  const live = Number((await pool.query(`SELECT count(*) FROM tickets WHERE deleted_at IS NULL`)).rows[0].count);
  checks.deepPages = Math.min(10_000, Math.floor(live / PAGE) - 1);
  const deep = await call(base, 'GET', `/api/v1/tickets?limit=${PAGE}&sort=-createdAt&cursor=${await deepCursor(pool, checks.deepPages)}`, token);
  if (expect('deep cursor', deep, 200)) {
    checks.deepCursorItems = deep.json.items.length;
    if (deep.json.items.length !== PAGE) problems.push(`deep cursor returned ${deep.json.items.length} items, not ${PAGE}`);
  }
  checks.searchTotals = {};
  for (const q of [...SEARCH_TERMS, ...RARE_TERMS]) {
    const res = await call(base, 'GET', `/api/v1/tickets?limit=1&includeTotal=true&q=${encodeURIComponent(q)}`, token);
    if (expect(`search total for ${q}`, res, 200)) checks.searchTotals[q] = res.json.total;
    if (res.status === 200 && !(res.json.total > 0)) problems.push(`search for ${q} found nothing`);
  }
  const totals = checks.searchTotals;
  for (const [accented, plain] of [['impressão', 'impressao'], ['conexión', 'conexion'], ['contraseña', 'contrasena']]) {
    if (!(totals[accented] > 0) || totals[accented] !== totals[plain]) {
      problems.push(`search is not accent-insensitive: ${accented}=${totals[accented]} ${plain}=${totals[plain]}`);
    }
  }
  log(`checks: ${JSON.stringify(checks)}`);
  return checks;
}

/** Waits (at most 20 s) for queries the API still runs after autocannon hung up, so they don't bleed into the next workload. */
async function drain(pool) {
  for (let i = 0; i < 40; i++) {
    const { rows: [row] } = await pool.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid()`,
    );
    if (row.n === 0) return;
    await sleep(500);
  }
}

function deepCursor(pool, pages) {
  return pool
    .query(`SELECT created_at::text AS k, id FROM tickets WHERE deleted_at IS NULL ORDER BY created_at DESC, id DESC OFFSET $1 LIMIT 1`, [
      pages * PAGE - 1,
    ])
    .then(({ rows: [row] }) => Buffer.from(JSON.stringify(['createdAt:desc', row.k, row.id])).toString('base64url'));
}

const TITLES = ['Erro de impressão', 'Conexión VPN inestable', 'Cannot reset password', 'Correo no llega', 'Rede lenta no andar'];
const TAGS = ['vpn', 'email', 'printer', 'network', 'password'];
function newTicket(n) {
  return JSON.stringify({
    title: `${pick(TITLES)} #${n}`,
    description: `Bench ticket ${n} at ${Date.now()}: não funciona desde esta mañana, the user is blocked.`,
    severity: pick(['critical', 'high', 'medium', 'low']),
    urgency: pick(['high', 'medium', 'low']),
    tags: TAGS.slice(n % 3, (n % 3) + (n % 4)),
  });
}

/** One autocannon run; failures keep their first few response bodies so they can be reported verbatim. */
async function load(base, token, w) {
  const failures = [];
  const headers = { authorization: `Bearer ${token}`, ...(w.body ? { 'content-type': 'application/json' } : {}) };
  const result = await autocannon({
    url: base,
    connections: settings.connections,
    duration: settings.durationSeconds,
    warmup: { connections: settings.connections, duration: settings.warmupSeconds },
    requests: [
      {
        method: w.method ?? 'GET',
        headers,
        setupRequest: (req) => ({ ...req, path: w.path(), ...(w.body ? { body: w.body() } : {}) }),
        onResponse: (status, body) => {
          if ((status < 200 || status > 299) && failures.length < 3) failures.push({ status, body: String(body).slice(0, 500) });
        },
      },
    ],
  });
  const row = {
    name: w.name,
    example: `${w.method ?? 'GET'} ${w.path()}`,
    requests: result.requests.total,
    reqPerSec: Math.round(result.requests.average),
    p50ms: result.latency.p50,
    p90ms: result.latency.p90,
    p99ms: result.latency.p99,
    maxMs: result.latency.max,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    warmupNon2xx: result.warmup?.non2xx ?? 0,
    statusCodes: result.statusCodeStats,
    failures,
  };
  log(`  ${row.reqPerSec} req/s, p50 ${row.p50ms} ms, p99 ${row.p99ms} ms, non-2xx ${row.non2xx}, errors ${row.errors}, timeouts ${row.timeouts}`);
  if (row.requests === 0) problems.push(`${w.name}: no request completed within ${settings.durationSeconds} s`);
  if (row.non2xx || row.errors || row.timeouts || row.warmupNon2xx) {
    problems.push(
      `${w.name}: ${row.non2xx} non-2xx (+${row.warmupNon2xx} in warm-up), ${row.errors} errors, ${row.timeouts} timeouts; ` +
        `first: ${JSON.stringify(failures[0] ?? null)}`,
    );
  }
  return row;
}

function report(results, memory, seeded) {
  const rows = [
    ['workload', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'errors', 'API cpu %'],
    ...results.map((r) => [r.name, r.reqPerSec, r.p50ms, r.p99ms, r.non2xx, r.errors + r.timeouts, r.apiCpuPct]),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  const line = (r) => r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
  log(`\nTessera bench: ${seeded.tickets.toLocaleString('en')} tickets, ${settings.connections} connections, ` +
    `${settings.durationSeconds} s per workload (+${settings.warmupSeconds} s warm-up), ${os.cpus().length} cpus ` +
    `(${machineBusyPct} % busy before start), node ${process.version}, service --role=${settings.role}; ` +
    `PostgreSQL round trip ${machineSpeed.pgRoundTripUs} µs, Redis PING ${machineSpeed.redisPingUs} µs`);
  log(`RATE_LIMIT_PER_MINUTE=${settings.rateLimitPerMinute}: the per-caller limiter still counts every request (shared through Redis every 100 ms) but never blocks`);
  log(line(rows[0]));
  log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows.slice(1)) log(line(r));
  log(`API peak RSS: ${memory.vmHwmMB} MB (VmHWM); highest 500 ms sample ${memory.peakSampledRssMB} MB`);
  for (const [text, count] of api.warnings) log(`API logged ${count}×: ${text}`);
  if (problems.length) {
    log(`\n${'!'.repeat(72)}\n!!! ${problems.length} PROBLEM(S): the numbers above are not a clean run`);
    for (const p of problems) log(`!!! ${p}`);
    log('!'.repeat(72));
    process.exitCode = 1;
  } else {
    log('no errors: every response was 2xx');
  }
}

/** The API with its own /metrics port (on by default, as in production; free, so parallel runs do not collide). */
function startApi(port, metricsPort, extraEnv = {}) {
  return startService({
    METRICS_PORT: String(metricsPort),
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATABASE_URL: dbUrl,
    LOG_LEVEL: settings.logLevel,
    RATE_LIMIT_PER_MINUTE: String(settings.rateLimitPerMinute),
    REDIS_AUTOSTART: 'false',
    REDIS_URL,
    QUEUE_PREFIX: scratch.queuePrefix,
    BOOTSTRAP_ADMIN_EMAIL: BENCH_ADMIN.email,
    BOOTSTRAP_ADMIN_PASSWORD: BENCH_ADMIN.password,
    ...extraEnv,
  }, [`--role=${settings.role}`]);
}

let cleaning = null;
function cleanup() {
  cleaning ??= (async () => {
    for (const service of extraServices) await service.stop();
    await api?.stop();
    await scratch.release();
  })();
  return cleaning;
}

await runBench(main, cleanup, () => [api]);
