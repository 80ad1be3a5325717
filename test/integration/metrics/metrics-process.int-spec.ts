import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createScratchDatabase, testRedisPrefix, testRedisUrl } from '../../support/database.js';
import { freePort } from '../../support/free-port.js';
import { parseExposition, promtoolCheck, sampleValue } from '../../support/prometheus-text.js';
import { until } from '../../support/until.js';
import { buildIfNeeded, WorkerProcess } from '../../support/worker-process.js';

const main = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'dist', 'src', 'main.js');

/** TCP ports the process listens on: its socket inodes (/proc/PID/fd) among the LISTEN sockets of /proc/net/tcp{,6}. */
function listeningPorts(pid: number): number[] {
  const inodes = new Set(
    readdirSync(`/proc/${pid}/fd`)
      .map((fd) => {
        try {
          return /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
        } catch {
          return undefined; // closed meanwhile
        }
      })
      .filter((inode): inode is string => inode !== undefined),
  );
  const ports = new Set<number>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      // local_address (hex ip:port), st (0A = LISTEN), inode
      if (cols.length > 9 && cols[3] === '0A' && inodes.has(cols[9]!)) ports.add(parseInt(cols[1]!.split(':')[1]!, 16));
    }
  }
  return [...ports];
}

/** The real processes (`node dist/src/main.js`), as `npm start` and `npm run start:worker` run them. */
describe('each process serves its own /metrics', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  beforeAll(() => buildIfNeeded(), 240_000);
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function workerEnv(extra: Record<string, string> = {}) {
    const db = await createScratchDatabase();
    cleanups.push(() => db.drop());
    return {
      DATABASE_URL: db.url,
      REDIS_URL: testRedisUrl(),
      QUEUE_PREFIX: `${testRedisPrefix()}-mp-${randomUUID().slice(0, 8)}`,
      DATABASE_POOL_SIZE: '3',
      METRICS_REFRESH_SECONDS: '1',
      ...extra,
    };
  }

  it('a worker process serves GET /metrics on METRICS_HOST:METRICS_PORT, with the snapshot gauges', async () => {
    const port = await freePort();
    const worker = await WorkerProcess.start(await workerEnv({ METRICS_PORT: String(port) }));
    cleanups.push(() => worker.stop());
    expect(worker.output.join('\n')).toContain(`metrics on http://127.0.0.1:${port}/metrics`);
    const scrape = async () => {
      const res = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(res.status).toBe(200);
      return res.text();
    };
    const text = await until(scrape, (body) => body.includes('tessera_tickets_open{'), 20_000);
    const samples = parseExposition(text);
    expect(sampleValue(samples, 'tessera_queue_jobs', { queue: 'metrics', state: 'failed' })).toBe(0);
    expect(sampleValue(samples, 'tessera_outbox_pending')).toBe(0);
    expect(sampleValue(samples, 'tessera_tickets_open', { status: 'new', priority: 'high' })).toBe(0);
    expect(samples.some((s) => s.name === 'nodejs_eventloop_lag_seconds')).toBe(true);
    expect(promtoolCheck(text).status).toBe(0);
    // Only /metrics is served there.
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${port}/metrics`, { method: 'POST' })).status).toBe(405);
    expect(listeningPorts(worker.pid)).toEqual([port]);
  }, 90_000);

  it('METRICS_PORT=0 serves nothing', async () => {
    const worker = await WorkerProcess.start(await workerEnv({ METRICS_PORT: '0' }));
    cleanups.push(() => worker.stop());
    // Started (the positive signal), and listening on no port at all.
    expect(worker.output.join('\n')).toContain('worker running');
    expect(worker.output.join('\n')).not.toContain('metrics on');
    expect(listeningPorts(worker.pid)).toEqual([]);
  }, 90_000);

  it('a taken METRICS_PORT stops the start with exit 1 and one line naming the cause and the fix', async () => {
    const holder: Server = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => holder.close(resolve)));
    const port = (holder.address() as { port: number }).port;
    const child = spawn(process.execPath, [main, '--role=worker'], {
      cwd: mkdtempSync(join(tmpdir(), 'tessera-metrics-')),
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'test',
        LOG_LEVEL: 'warn',
        REDIS_AUTOSTART: 'false',
        DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/never_connected',
        METRICS_PORT: String(port),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(stdout).toBe('');
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`METRICS_PORT ${port} is already in use`);
    expect(lines[0]).toContain('set METRICS_PORT');
    expect(stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
