// `npm run bench:analytics-refresh`: what the analytics worker's refresh costs on a large database. Needs
// BENCH_DATABASE_URL, a database that `BENCH_KEEP_DB=1 npm run bench` kept (1,000,000 tickets with rollups). Each
// refresh runs in a transaction that is rolled back, so the database is left as it was: BEGIN, the ticket's change
// (a new priority, which moves all its figures to other rollup rows; or a status change inside the open statuses,
// which moves only its backlog counts), the worker's per-ticket lock and refresh statement, ROLLBACK. Prints
// refreshes per second and latency percentiles at BENCH_CONCURRENCY (1 and 10) clients, on random tickets.
// Settings (env): BENCH_DATABASE_URL (required), BENCH_SECONDS (10 per case).
import pg from 'pg';
import { REFRESH_SQL } from '../dist/src/adapters/persistence/analytics/analytics-rollup.sql.js';
import { buildIfNeeded, log, percentile, positiveInt as int } from './lib.mjs';

const url = process.env.BENCH_DATABASE_URL;
if (!url) {
  log('BENCH_DATABASE_URL is required: a database kept by `BENCH_KEEP_DB=1 npm run bench`');
  process.exit(2);
}
const seconds = int('BENCH_SECONDS', 10);
const CASES = {
  'priority change': `UPDATE tickets SET priority = CASE priority WHEN 'low' THEN 'high' ELSE 'low' END WHERE id = $1`,
  'status change (open statuses)': `UPDATE tickets SET status = CASE status WHEN 'open' THEN 'in_progress' ELSE 'open' END WHERE id = $1`,
};

async function run(pool, ids, change, clients) {
  const latencies = [];
  const until = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      const client = await pool.connect();
      try {
        while (Date.now() < until) {
          const id = ids[Math.floor(Math.random() * ids.length)];
          const started = performance.now();
          await client.query('BEGIN');
          await client.query(change, [id]);
          await client.query(`SELECT pg_advisory_xact_lock(7150001, hashtext($1))`, [id]);
          // Named, as the worker sends it (prepared once per connection).
          await client.query({ name: 'analytics_refresh', text: REFRESH_SQL, values: [[id]] });
          await client.query('ROLLBACK');
          latencies.push(performance.now() - started);
        }
      } finally {
        client.release();
      }
    }),
  );
  return { perSecond: Math.round(latencies.length / seconds), p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

buildIfNeeded();
const pool = new pg.Pool({ connectionString: url, max: 12 });
try {
  const { rows } = await pool.query(
    `SELECT id FROM tickets WHERE deleted_at IS NULL AND status IN ('open', 'in_progress') AND created_at > now() - interval '30 days' ORDER BY random() LIMIT 5000`,
  );
  const ids = rows.map((r) => r.id);
  log(`${ids.length} open tickets of the last 30 days; ${seconds} s per case`);
  for (const [name, change] of Object.entries(CASES)) {
    for (const clients of [1, 10]) {
      const r = await run(pool, ids, change, clients);
      log(`${name}, ${clients} client(s): ${r.perSecond} refreshes/s, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms`);
    }
  }
} finally {
  await pool.end();
}
