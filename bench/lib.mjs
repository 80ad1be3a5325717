// Helpers shared by the benchmark scripts (bench/run.mjs, bench/pipeline.mjs): the service as a child process,
// HTTP calls, admin SQL, free ports and /proc sampling.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';

export const ROOT = new URL('..', import.meta.url).pathname;
export const ADMIN_URL = process.env.BENCH_PG_ADMIN_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
/** The embedded-mode admin the benchmarks' services bootstrap and sign in as. */
export const BENCH_ADMIN = { email: 'bench-admin@bench.tessera.test', password: 'bench-admin-password-1234' };
export const pick = (list) => list[Math.floor(Math.random() * list.length)];
export const log = (message) => process.stdout.write(`${message}\n`);
export const seconds = (since) => Number(((Date.now() - since) / 1000).toFixed(1));

export function positiveInt(name, fallback) {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}

export function nonNegativeInt(name, fallback) {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be an integer of 0 or more`);
  return value;
}

/** Builds when dist/ is missing or older than the sources, like `npm start`. */
export function buildIfNeeded() {
  const build = spawnSync(process.execPath, ['scripts/build-if-needed.mjs'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('build failed');
}

/**
 * The service as `npm start` runs it (same command line, heap cap included), with `extraArgs` such as
 * `--role=worker`. Keeps the last output lines and counts distinct warn/error log messages.
 */
export function startService(env, extraArgs = []) {
  const childEnv = { ...process.env, ...env };
  for (const name of ['OIDC_ISSUER_URL', 'OIDC_JWKS_URL', 'PRIORITY_MATRIX']) delete childEnv[name];
  const startArgs = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')).scripts.start.split(/\s+/).slice(1);
  // BENCH_NODE_ARGS (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`) go to the service's node, to profile it under load.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, ...startArgs, ...extraArgs], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  const tail = [];
  const warnings = new Map();
  let partial = '';
  const keep = (chunk) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop().slice(-10_000);
    for (const line of lines.filter(Boolean)) {
      tail.push(line.slice(0, 2000));
      let entry = null;
      try {
        entry = JSON.parse(line);
      } catch {
        // plain text line
      }
      if (entry?.level >= 40) {
        const err = entry.err ? ` ${entry.err.type}: ${entry.err.message}` : '';
        const text = `${entry.level >= 50 ? 'error' : 'warn'}: ${String(entry.msg ?? '').split('\n')[0]}${err}`.slice(0, 400);
        if (warnings.has(text) || warnings.size < 50) warnings.set(text, (warnings.get(text) ?? 0) + 1);
      }
    }
    tail.splice(0, Math.max(0, tail.length - 40));
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timedOut = await Promise.race([exited.then(() => false), sleep(15_000).then(() => true)]);
    if (timedOut) child.kill('SIGKILL');
    await exited;
  };
  return { child, tail, warnings, exited, stop };
}

/** Waits (at most 60 s) for GET /health/ready to answer 200. */
export async function waitReady(service, base) {
  for (let i = 0; i < 240; i++) {
    if (service.child.exitCode !== null) throw new Error(`service exited with ${service.child.exitCode}:\n${service.tail.join('\n')}`);
    try {
      if ((await fetch(`${base}/health/ready`, { signal: AbortSignal.timeout(1000) })).status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`service not ready after 60 s:\n${service.tail.join('\n')}`);
}

/** VmRSS every 500 ms (bounded by the run), VmHWM and CPU time (utime + stime, 100 ticks/s) on demand. */
export function sampleRss(pid) {
  const read = (field) => {
    const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`${field}:\\s+(\\d+) kB`));
    return match ? Math.round(Number(match[1]) / 1024) : null;
  };
  let peak = 0;
  let sincemark = 0;
  let count = 0;
  const timer = setInterval(() => {
    try {
      const rss = read('VmRSS');
      peak = Math.max(peak, rss);
      sincemark = Math.max(sincemark, rss);
      count++;
    } catch {
      clearInterval(timer);
    }
  }, 500);
  timer.unref();
  return {
    mark: () => (sincemark = 0),
    peakSinceMark: () => sincemark,
    peak: () => peak,
    count: () => count,
    hwm: () => read('VmHWM'),
    cpuSeconds: () => {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100;
    },
    stop: () => clearInterval(timer),
  };
}

/** Share of all CPUs busy over `ms`, from /proc/stat. */
export async function cpuBusyPct(ms) {
  const read = () => readFileSync('/proc/stat', 'utf8').split('\n')[0].split(/\s+/).slice(1).map(Number);
  const a = read();
  await sleep(ms);
  const d = read().map((v, i) => v - a[i]);
  const total = d.reduce((x, y) => x + y, 0);
  return Math.round((100 * (total - d[3] - d[4])) / total);
}

/**
 * How fast this machine is today at what the service does most: a PostgreSQL round trip (`SELECT 1`, one
 * connection, one at a time) and a Redis PING, in µs (median of 2,000 after 200 warm-up). The same kind of
 * machine has measured two to three times apart between sessions (noisy neighbours under the VM): compare figures only
 * alongside these.
 */
export async function calibrate(pgUrl, redisUrl) {
  const median = (list) => list.sort((a, b) => a - b)[Math.floor(list.length / 2)];
  const time = async (once) => {
    const took = [];
    for (let i = 0; i < 2200; i++) {
      const t = process.hrtime.bigint();
      await once();
      if (i >= 200) took.push(Number(process.hrtime.bigint() - t) / 1000);
    }
    return Math.round(median(took));
  };
  const client = new pg.Client({ connectionString: pgUrl });
  await client.connect();
  const { default: Redis } = await import('ioredis');
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    return { pgRoundTripUs: await time(() => client.query('SELECT 1')), redisPingUs: await time(() => redis.ping()) };
  } finally {
    await client.end();
    redis.disconnect();
  }
}

export async function call(base, method, path, token, body) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, text, json };
}

export async function adminQuery(adminUrl, sql) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** The p-th percentile (0–100) of numbers, nearest rank. */
export function percentile(values, p) {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/**
 * Runs a benchmark's `main`: on failure prints the stack and the services' last output lines; always runs `cleanup`
 * (also on Ctrl-C / SIGTERM, then exits 130).
 */
export async function runBench(main, cleanup, services) {
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      log(`\n${signal}: stopping the services and dropping the bench database`);
      cleanup().finally(() => process.exit(130));
    });
  }
  try {
    await main();
  } catch (error) {
    process.exitCode = 1;
    log(`\nBENCH FAILED: ${error instanceof Error ? error.stack : String(error)}`);
    for (const s of services()) if (s?.tail.length) log(`service output (last lines):\n${s.tail.join('\n')}`);
  } finally {
    await cleanup();
  }
}

/** The run's queues and cache entries (every key under `prefix:`) leave nothing behind in a shared Redis. */
export async function deleteRedisKeys(url, prefix) {
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    for await (const keys of redis.scanStream({ match: `${prefix}:*`, count: 1000 })) if (keys.length) await redis.unlink(...keys);
  } finally {
    redis.disconnect();
  }
}

/**
 * What a benchmark run owns: a database `tessera_<kind>_<time>` and the Redis keys under a prefix of the same name.
 * release() deletes both (the database stays with BENCH_KEEP_DB=1). With `reuse` (a database name an earlier run
 * kept), the run works on that database and leaves it in place.
 */
export function benchScratch(kind, reuse) {
  if (reuse !== undefined && !/^tessera_[a-z]+_\d{14}$/.test(reuse)) throw new Error(`not a kept bench database name: ${reuse}`);
  const dbName = reuse ?? `tessera_${kind}_${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}`;
  const queuePrefix = dbName.replaceAll('_', '-');
  const dbUrl = Object.assign(new URL(ADMIN_URL), { pathname: `/${dbName}` }).href;
  let created = false;
  return {
    dbName,
    dbUrl,
    queuePrefix,
    reused: reuse !== undefined,
    async create() {
      if (reuse !== undefined) return;
      await adminQuery(ADMIN_URL, `CREATE DATABASE ${dbName}`);
      created = true;
    },
    async release() {
      await deleteRedisKeys(REDIS_URL, queuePrefix).catch(() => undefined);
      if (!created) return;
      if (process.env.BENCH_KEEP_DB === '1') return log(`kept database ${dbName} (BENCH_KEEP_DB=1): ${dbUrl}`);
      await adminQuery(ADMIN_URL, `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      log(`dropped database ${dbName}`);
    },
  };
}
