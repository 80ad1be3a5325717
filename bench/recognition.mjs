// `npm run bench:recognition`: the recognition reads under load. Seeds a throwaway database with BENCH_AGENTS agents
// (200) and BENCH_POINTS ledger entries (500000) spread over 400 days (with each agent's running total and daily
// sums, as the worker keeps them), starts the API (`--role=api`) and measures the leaderboard (week, month, all),
// a ledger's first and second page and /auth/me with autocannon. Prints req/s and latency percentiles per workload.
// Settings (env): BENCH_CONNECTIONS (50), BENCH_DURATION (10 s), BENCH_WARMUP (2 s), BENCH_PG_ADMIN_URL,
// BENCH_KEEP_DB=1 keeps the database.
import autocannon from 'autocannon';
import pg from 'pg';
import {
  ADMIN_URL,
  BENCH_ADMIN,
  REDIS_URL,
  benchScratch,
  buildIfNeeded,
  call,
  calibrate,
  freePort,
  log,
  pick,
  positiveInt as int,
  runBench,
  seconds,
  startService,
  waitReady,
} from './lib.mjs';

const settings = {
  agents: int('BENCH_AGENTS', 200),
  points: int('BENCH_POINTS', 500_000),
  connections: int('BENCH_CONNECTIONS', 50),
  durationSeconds: int('BENCH_DURATION', 10),
  warmupSeconds: int('BENCH_WARMUP', 2),
};
const scratch = benchScratch('recognition');
let api = null;

async function seedLedger(pool) {
  await pool.query(`
    INSERT INTO users (id, external_id, email, name, role, active, created_at, updated_at)
    SELECT gen_random_uuid(), NULL, 'agent' || i || '@bench.tessera.test', 'Agent ' || i, 'agent', true, now(), now()
    FROM generate_series(1, $1) AS i`, [settings.agents]);
  const rules = ['resolved_within_sla', 'first_response_within_sla', 'rating_5', 'rating_4', 'rating_1', 'reopened', 'sla_breached'];
  const points = [10, 5, 5, 2, -5, -8, -5];
  await pool.query(`
    WITH agents AS (SELECT array_agg(id) AS ids FROM users WHERE role = 'agent'),
         rules AS (SELECT $2::text[] AS names, $3::int[] AS points)
    INSERT INTO agent_points (id, agent_id, event_id, rule, points, reason, ticket_id, at)
    SELECT gen_random_uuid(), agents.ids[1 + (i % cardinality(agents.ids))], gen_random_uuid(),
           rules.names[1 + (i % 7)], rules.points[1 + (i % 7)], 'Seeded ' || rules.names[1 + (i % 7)], NULL,
           now() - random() * interval '400 days'
    FROM generate_series(1, $1) AS i, agents, rules`, [settings.points, rules, points]);
  await pool.query(`INSERT INTO agent_point_totals (agent_id, points) SELECT agent_id, sum(points) FROM agent_points GROUP BY agent_id`);
  await pool.query(`INSERT INTO agent_points_daily (day, agent_id, points)
    SELECT (at AT TIME ZONE 'UTC')::date, agent_id, sum(points) FROM agent_points GROUP BY 1, 2`);
  await pool.query('VACUUM ANALYZE agent_points');
  await pool.query('VACUUM ANALYZE agent_point_totals');
  await pool.query('VACUUM ANALYZE agent_points_daily');
}

async function load(base, token, w) {
  const failures = [];
  const result = await autocannon({
    url: base,
    connections: settings.connections,
    duration: settings.durationSeconds,
    warmup: { connections: settings.connections, duration: settings.warmupSeconds },
    requests: [
      {
        headers: { authorization: `Bearer ${token}` },
        setupRequest: (req) => ({ ...req, path: w.path() }),
        onResponse: (status, body) => {
          if ((status < 200 || status > 299) && failures.length < 3) failures.push({ status, body: String(body).slice(0, 300) });
        },
      },
    ],
  });
  const row = {
    name: w.name,
    reqPerSec: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx + result.errors + result.timeouts,
  };
  log(`  ${row.reqPerSec} req/s, p50 ${row.p50} ms, p99 ${row.p99} ms, failures ${row.non2xx}${failures.length ? ` first: ${JSON.stringify(failures[0])}` : ''}`);
  return row;
}

async function main() {
  const speed = await calibrate(ADMIN_URL, REDIS_URL);
  log(`machine today: PostgreSQL round trip ${speed.pgRoundTripUs} µs, Redis PING ${speed.redisPingUs} µs`);
  buildIfNeeded();
  await scratch.create();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  api = startService({
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATABASE_URL: scratch.dbUrl,
    LOG_LEVEL: 'warn',
    RATE_LIMIT_PER_MINUTE: '100000000',
    REDIS_AUTOSTART: 'false',
    REDIS_URL,
    QUEUE_PREFIX: scratch.queuePrefix,
    BOOTSTRAP_ADMIN_EMAIL: BENCH_ADMIN.email,
    BOOTSTRAP_ADMIN_PASSWORD: BENCH_ADMIN.password,
  }, ['--role=api']);
  await waitReady(api, base);
  const pool = new pg.Pool({ connectionString: scratch.dbUrl, max: 2 });
  try {
    let t = Date.now();
    await seedLedger(pool);
    log(`seeded ${settings.points.toLocaleString('en')} ledger entries for ${settings.agents} agents in ${seconds(t)} s`);
    const login = await call(base, 'POST', '/api/v1/auth/login', null, BENCH_ADMIN);
    if (login.status !== 200) throw new Error(`login failed: ${login.status} ${login.text}`);
    const token = login.json.accessToken;
    const agents = (await pool.query(`SELECT id FROM users WHERE role = 'agent'`)).rows.map((r) => r.id);
    const second = new Map();
    for (const id of agents.slice(0, 50)) second.set(id, (await call(base, 'GET', `/api/v1/agents/${id}/points`, token)).json.nextCursor);
    const withCursor = [...second.keys()];
    const workloads = [
      { name: 'leaderboard week', path: () => '/api/v1/leaderboard?period=week' },
      { name: 'leaderboard month', path: () => '/api/v1/leaderboard?period=month' },
      { name: 'leaderboard all', path: () => '/api/v1/leaderboard?period=all' },
      { name: 'ledger first page', path: () => `/api/v1/agents/${pick(agents)}/points` },
      {
        name: 'ledger second page',
        path: () => {
          const id = pick(withCursor);
          return `/api/v1/agents/${id}/points?cursor=${second.get(id)}`;
        },
      },
      { name: '/auth/me (staff)', path: () => '/api/v1/auth/me' },
    ];
    const rows = [];
    for (const w of workloads) {
      log(`\n${w.name}: ${settings.warmupSeconds} s warm-up + ${settings.durationSeconds} s at ${settings.connections} connections`);
      rows.push(await load(base, token, w));
    }
    log(`\nrecognition bench: ${settings.points.toLocaleString('en')} entries, ${settings.agents} agents, ${settings.connections} connections`);
    log('workload              req/s   p50 ms   p99 ms   failures');
    for (const r of rows) {
      log(`${r.name.padEnd(20)} ${String(r.reqPerSec).padStart(6)} ${String(r.p50).padStart(8)} ${String(r.p99).padStart(8)} ${String(r.non2xx).padStart(10)}`);
    }
    if (rows.some((r) => r.non2xx)) process.exitCode = 1;
  } finally {
    await pool.end();
  }
}

let cleaning = null;
const cleanup = () => {
  cleaning ??= (async () => {
    await api?.stop();
    await scratch.release();
  })();
  return cleaning;
};

await runBench(main, cleanup, () => [api]);
