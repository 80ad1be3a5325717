import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { delimiter, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';

export interface ResolveRedisOptions {
  /** The configured REDIS_URL. */
  url: string;
  /** When the configured Redis does not answer, start a private `redis-server` from the PATH (if any). */
  autostart: boolean;
  /** The app's data folder; a private server works in `${dataDir}/redis` (it persists nothing). */
  dataDir: string;
  log: (msg: string) => void;
}

export interface ResolvedRedis {
  url: string;
  source: 'configured' | 'private' | 'unavailable';
  /** Stops the private server, if this call started one; otherwise does nothing. */
  stop(): Promise<void>;
}

const PING_TIMEOUT_MS = 500;
const START_TIMEOUT_MS = 10_000;

/** True when a Redis answers PING at `url` within `timeoutMs` (auth, TLS and db index taken from the URL). */
export async function pingRedis(url: string, timeoutMs = PING_TIMEOUT_MS): Promise<boolean> {
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

/**
 * Finds the Redis to use: the configured one if it answers; else, when allowed and `redis-server` is on the PATH,
 * a private one on a free loopback port with no persistence; else 'unavailable' (the caller serves the API
 * degraded).
 */
export async function resolveRedis({ url, autostart, dataDir, log }: ResolveRedisOptions): Promise<ResolvedRedis> {
  const noop = async () => undefined;
  if (await pingRedis(url)) return { url, source: 'configured', stop: noop };

  const shown = redact(url);
  if (!autostart) {
    log(`Redis at ${shown} does not answer and REDIS_AUTOSTART is off: running without queues`);
    return { url, source: 'unavailable', stop: noop };
  }
  const binary = await findOnPath('redis-server');
  if (!binary) {
    log(`Redis at ${shown} does not answer and no redis-server is on the PATH: running without queues`);
    return { url, source: 'unavailable', stop: noop };
  }

  const workDir = join(resolve(dataDir), 'redis');
  await mkdir(workDir, { recursive: true });
  let lastError = '';
  // A free port can be taken between finding and binding it: try a few.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const started = await startRedisServer(binary, port, workDir);
    if ('error' in started) {
      lastError = started.error;
      continue;
    }
    log(`Redis at ${shown} does not answer: started a private redis-server on 127.0.0.1:${port} (no persistence)`);
    return { url: `redis://127.0.0.1:${port}`, source: 'private', stop: started.stop };
  }
  log(`Redis at ${shown} does not answer and a private redis-server failed to start (${lastError}): running without queues`);
  return { url, source: 'unavailable', stop: noop };
}

async function startRedisServer(
  binary: string,
  port: number,
  workDir: string,
): Promise<{ stop(): Promise<void> } | { error: string }> {
  const child = spawn(
    binary,
    [
      '--port', String(port),
      '--bind', '127.0.0.1',
      '--protected-mode', 'yes',
      '--save', '',
      '--appendonly', 'no',
      '--daemonize', 'no',
      '--dir', workDir,
      '--loglevel', 'warning',
    ],
    // Own process group: a Ctrl-C in the terminal reaches the app, which drains its workers and then calls stop().
    { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-2_000);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  let spawnError: Error | undefined;
  child.once('error', (error) => (spawnError = error));

  // Should the process end without stop() (an uncaught error, process.exit), the server goes with it.
  const onExit = () => {
    if (child.exitCode === null) child.kill('SIGKILL');
  };
  process.once('exit', onExit);

  const stop = async () => {
    process.removeListener('exit', onExit);
    await terminate(child);
  };

  const url = `redis://127.0.0.1:${port}`;
  for (let waited = 0; waited < START_TIMEOUT_MS; waited += 100) {
    if (spawnError || child.exitCode !== null || child.signalCode !== null) break;
    if (await pingRedis(url, 250)) return { stop };
    await sleep(100);
  }
  await stop();
  return { error: spawnError?.message ?? (output.trim().split('\n').pop() || 'did not answer PING') };
}

async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGTERM');
  const outcome = await Promise.race([exited.then(() => 'exited'), sleep(5_000, 'timeout', { ref: false })]);
  if (outcome === 'timeout') {
    child.kill('SIGKILL');
    await exited;
  }
}

async function findOnPath(command: string): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, command);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.unref();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}
