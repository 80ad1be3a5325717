import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import {
  locateEmbeddedPostgres,
  prepareEmbeddedPostgres,
  type EmbeddedPostgresLocation,
  type EmbeddedPostgresPlacement,
} from './embedded-postgres-placement.js';
import { firstLine, StartupError } from './startup-error.js';

export interface EmbeddedPostgresOptions {
  /** The app's data folder (DATA_DIR): the cluster lives in `${dataDir}/postgres`, or as root see the placement. */
  dataDir: string;
  port: number;
  log: (msg: string) => void;
  /** As root: where binaries and clusters live (EMBEDDED_POSTGRES_RUNTIME_DIR, default /var/lib/tessera). */
  runtimeDir?: string;
  /** The binaries package's `native/` folder, when not the installed one (tests). */
  binariesDir?: string;
  /** Throw-away data (test runs): durability off, and `stop()` deletes the cluster. */
  temporary?: boolean;
  maxConnections?: number;
}

export interface RunningPostgres {
  /** `postgres://postgres:<password>@127.0.0.1:<port>/tessera` */
  url: string;
  /** Where the cluster and its binaries are. */
  placement: EmbeddedPostgresPlacement;
  stop(): Promise<void>;
}

const DATABASE = 'tessera';
const USER = 'postgres';
const START_TIMEOUT_MS = 30_000;
const READY = 'database system is ready to accept connections';

/**
 * UTF-8 with PostgreSQL 17's built-in C.UTF-8 locale (same case mapping on every OS, no dependence on the host's
 * locales), TCP on loopback only and no Unix socket (so nothing in /tmp can clash with another cluster or go stale).
 */
export const EMBEDDED_INITDB_FLAGS = ['--encoding=UTF8', '--locale=C', '--locale-provider=builtin', '--builtin-locale=C.UTF-8'];
export const EMBEDDED_POSTGRES_FLAGS = ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='];
const THROW_AWAY_FLAGS = ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'];

export { locateEmbeddedPostgres };

/**
 * Runs the PostgreSQL bundled in the `embedded-postgres` package (its binaries, spawned here: as root they run
 * from a copy the `postgres` user can reach, which the package's own runner cannot do). The cluster is initialised
 * only when its folder holds none, and the database `tessera` is created when missing. Call `stop()` on shutdown;
 * if the process dies without it, the next start clears the stale lock (and stops a postmaster orphaned by the
 * previous run). Every failure an operator can fix is a StartupError.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const { port, log } = options;
  const location = locateEmbeddedPostgres(options);
  await clearStaleLock(location.clusterDir, log);
  await assertPortFree(port);
  const placement = await prepareEmbeddedPostgres(location, options);
  const password = await readOrCreatePassword(location);
  const recentOutput: string[] = [];
  const spawnOptions: SpawnOptions = {
    ...placement.runAs,
    cwd: placement.home,
    env: { ...process.env, LC_ALL: 'C', LC_MESSAGES: 'C' },
    stdio: ['ignore', 'pipe', 'pipe'],
  };

  if (!existsSync(join(placement.clusterDir, 'PG_VERSION'))) {
    log(`Initialising embedded PostgreSQL in ${placement.clusterDir}`);
    await initialise(placement, password, spawnOptions, options.temporary === true, recentOutput);
  }

  const flags = [
    ...EMBEDDED_POSTGRES_FLAGS,
    ...(options.temporary ? THROW_AWAY_FLAGS : []),
    ...(options.maxConnections ? ['-c', `max_connections=${options.maxConnections}`] : []),
  ];
  // Own process group: a Ctrl-C in the terminal reaches the app, which drains its workers and then calls stop().
  const child = spawn(join(placement.binDir, 'postgres'), ['-D', placement.clusterDir, '-p', String(port), ...flags], {
    ...spawnOptions,
    detached: true,
  });
  const outcome = await waitUntilReady(child, recentOutput);
  if (outcome !== 'ready') {
    await terminate(child);
    throw startFailure(outcome, port, recentOutput, placement);
  }
  // Keep draining its output, or PostgreSQL blocks once the pipe is full.
  child.stdout!.resume();
  child.stderr!.on('data', () => undefined);

  // If the process exits without calling stop() (an uncaught error, process.exit), ask the postmaster to shut down.
  const onExit = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
  };
  process.once('exit', onExit);

  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      process.removeListener('exit', onExit);
      await terminate(child);
      if (options.temporary) await removeCluster(placement);
    })();
    return stopped;
  };

  try {
    await ensureDatabase(`postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`);
  } catch (error) {
    await stop();
    throw error;
  }
  log(`Embedded PostgreSQL ready on 127.0.0.1:${port} (data in ${placement.clusterDir}, binaries in ${placement.binDir})`);
  return { url: `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${DATABASE}`, placement, stop };
}

async function initialise(
  placement: EmbeddedPostgresPlacement,
  password: string,
  spawnOptions: SpawnOptions,
  temporary: boolean,
  output: string[],
): Promise<void> {
  // initdb wants an empty folder: a folder without PG_VERSION is what an interrupted initdb leaves behind.
  await rm(placement.clusterDir, { recursive: true, force: true });
  await mkdir(placement.clusterDir, { mode: 0o700 });
  const passwordFile = join(placement.home, `.initdb-password-${process.pid}`);
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  if (placement.runAs) {
    await chown(placement.clusterDir, placement.runAs.uid, placement.runAs.gid);
    await chown(passwordFile, placement.runAs.uid, placement.runAs.gid);
  }
  try {
    const child = spawn(
      join(placement.binDir, 'initdb'),
      [
        `--pgdata=${placement.clusterDir}`,
        '--auth=scram-sha-256',
        `--username=${USER}`,
        `--pwfile=${passwordFile}`,
        ...EMBEDDED_INITDB_FLAGS,
        ...(temporary ? ['--no-sync'] : []),
      ],
      spawnOptions,
    );
    const collect = (chunk: Buffer) => remember(output, chunk.toString('utf8'));
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    const { code, error } = await new Promise<{ code: number | null; error?: Error }>((done) => {
      child.once('error', (error) => done({ code: null, error }));
      child.once('close', (code) => done({ code }));
    });
    if (code !== 0) {
      throw new StartupError(
        `initdb could not create the embedded PostgreSQL cluster in ${placement.clusterDir} ` +
          `(${error ? firstLine(error) : lastLines(output)})`,
        placement.runAs
          ? `make sure the OS user postgres can reach ${placement.binDir} and ${placement.clusterDir}, ` +
              'set EMBEDDED_POSTGRES_RUNTIME_DIR to another folder, or set DATABASE_URL'
          : `check that ${placement.home} is writable and has free space, or set DATABASE_URL`,
        { cause: error },
      );
    }
  } finally {
    await rm(passwordFile, { force: true });
  }
}

async function waitUntilReady(child: ChildProcess, output: string[]): Promise<'ready' | 'exited' | 'timeout' | Error> {
  return new Promise((done) => {
    const timer = setTimeout(() => done('timeout'), START_TIMEOUT_MS);
    timer.unref();
    const finish = (outcome: 'ready' | 'exited' | Error) => {
      clearTimeout(timer);
      done(outcome);
    };
    const collect = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      remember(output, text);
      if (text.includes(READY)) finish('ready');
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    child.once('error', finish);
    child.once('exit', () => finish('exited'));
  });
}

function startFailure(
  outcome: 'exited' | 'timeout' | Error,
  port: number,
  output: string[],
  placement: EmbeddedPostgresPlacement,
): StartupError {
  const said = output.join('\n');
  if (/could not bind|address already in use/i.test(said)) return portTaken(port);
  const what =
    outcome === 'timeout'
      ? `did not become ready within ${START_TIMEOUT_MS / 1000}s`
      : outcome === 'exited'
        ? `exited while starting (${lastLines(output)})`
        : `could not be started (${firstLine(outcome)})`;
  return new StartupError(
    `the embedded PostgreSQL on port ${port} ${what}`,
    `read its full log by starting ${join(placement.binDir, 'postgres')} -D ${placement.clusterDir} by hand, ` +
      `delete ${placement.clusterDir} to start with an empty database, or set DATABASE_URL`,
  );
}

function portTaken(port: number): StartupError {
  return new StartupError(
    `port ${port} on 127.0.0.1, where the embedded PostgreSQL listens, is already in use`,
    'stop the program using it, or set EMBEDDED_POSTGRES_PORT to a free port',
  );
}

async function assertPortFree(port: number): Promise<void> {
  const free = await new Promise<boolean>((done) => {
    const server = createServer();
    server.unref();
    server.once('error', () => done(false));
    server.listen(port, '127.0.0.1', () => server.close(() => done(true)));
  });
  if (!free) throw portTaken(port);
}

function remember(output: string[], text: string): void {
  for (const line of text.split('\n')) if (line.trim()) output.push(line.trim());
  output.splice(0, Math.max(0, output.length - 40));
}

/** The last meaningful line PostgreSQL wrote (FATAL/ERROR lines first). */
function lastLines(output: string[]): string {
  const fatal = [...output].reverse().find((line) => /FATAL|ERROR|PANIC|error|cannot|could not/.test(line));
  return fatal ?? output.at(-1) ?? 'no output';
}

async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGINT'); // fast shutdown: open transactions are rolled back, the data is consistent
  const outcome = await Promise.race([exited.then(() => 'exited'), sleep(15_000, 'timeout', { ref: false })]);
  if (outcome === 'timeout') {
    child.kill('SIGQUIT');
    await exited;
  }
}

async function removeCluster(placement: EmbeddedPostgresLocation): Promise<void> {
  if (placement.home.startsWith(`${placement.runtimeRoot ?? '\0'}/`)) {
    await rm(placement.home, { recursive: true, force: true });
  } else {
    await rm(placement.clusterDir, { recursive: true, force: true });
    await rm(placement.passwordFile, { force: true });
  }
}

async function readOrCreatePassword({ passwordFile, clusterDir }: EmbeddedPostgresLocation): Promise<string> {
  try {
    const password = (await readFile(passwordFile, 'utf8')).trim();
    if (password) return password;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (existsSync(join(clusterDir, 'PG_VERSION'))) {
    throw new StartupError(
      `the embedded PostgreSQL cluster ${clusterDir} exists but its password file ${passwordFile} is missing or empty`,
      `restore the file, or delete ${clusterDir} to start with an empty database`,
    );
  }
  const password = randomBytes(24).toString('base64url');
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  await chmod(passwordFile, 0o600);
  return password;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readProc(pid: number, file: string): Promise<string | undefined> {
  try {
    return await readFile(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * After a crash `postmaster.pid` stays behind. PostgreSQL ignores it only when its PID is free; when the PID was
 * reused (by any process of the `postgres` user, e.g. another cluster) it refuses to start. So: a lock whose
 * process is gone or is not a postmaster of this folder is removed; a postmaster of this folder whose Tessera
 * process is still running means the cluster is in use (a start failure); one that outlived its Tessera process
 * is shut down (fast) first.
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
  const commandLine = (await readProc(pid, 'cmdline'))?.split('\0').join(' ');
  if (commandLine === undefined) return; // No /proc: let PostgreSQL decide.
  if (!commandLine.includes(clusterDir)) {
    log(`Removing stale ${lockFile} (PID ${pid} now belongs to another process)`);
    await rm(lockFile, { force: true });
    return;
  }
  const parent = Number.parseInt((await readProc(pid, 'stat'))?.split(') ')[1]?.split(' ')[1] ?? '', 10);
  const parentCommand = parent > 1 ? (await readProc(parent, 'cmdline'))?.split('\0').join(' ') : undefined;
  if (parentCommand && /node/.test(parentCommand)) {
    throw new StartupError(
      `the embedded PostgreSQL in ${clusterDir} is in use by another Tessera process (PID ${parent})`,
      'stop that process first, or give this one its own DATA_DIR and EMBEDDED_POSTGRES_PORT',
    );
  }
  log(`Stopping embedded PostgreSQL (PID ${pid}) left running by a previous run`);
  process.kill(pid, 'SIGINT');
  for (let waited = 0; isAlive(pid); waited += 100) {
    if (waited === 10_000) process.kill(pid, 'SIGQUIT');
    if (waited >= 15_000) {
      throw new StartupError(
        `the embedded PostgreSQL (PID ${pid}) left running by a previous run does not stop`,
        `stop it by hand (kill -QUIT ${pid})`,
      );
    }
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
