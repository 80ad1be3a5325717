import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { locateEmbeddedPostgres } from '../../src/infra/embedded-postgres.js';
import { testRedisPrefix, testRedisUrl } from '../support/database.js';
import { freePort } from '../support/free-port.js';
import { buildIfNeeded, WorkerProcess } from '../support/worker-process.js';

/** Whether something accepts connections on 127.0.0.1:port. */
const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

describe('npm start with no DATABASE_URL (embedded PostgreSQL), stopped with SIGTERM', () => {
  let dataDir = '';
  let service: WorkerProcess | undefined;

  afterAll(async () => {
    await service?.stop();
    if (!dataDir) return;
    // If the test failed with the server still up, stop it by its lock file's PID.
    const { home, clusterDir } = locateEmbeddedPostgres({ dataDir });
    const lock = join(clusterDir, 'postmaster.pid');
    if (existsSync(lock)) {
      try {
        process.kill(Number(readFileSync(lock, 'utf8').split('\n')[0]), 'SIGINT');
      } catch {
        // already gone
      }
    }
    await rm(dataDir, { recursive: true, force: true });
    await rm(home, { recursive: true, force: true });
  });

  it('closes the app, stops the embedded PostgreSQL and exits 0', { timeout: 120_000 }, async () => {
    buildIfNeeded();
    dataDir = await mkdtemp(join(tmpdir(), 'tessera-embedded-'));
    const [pgPort, port] = [await freePort(), await freePort()];
    service = await WorkerProcess.start(
      {
        DATA_DIR: dataDir,
        EMBEDDED_POSTGRES_PORT: String(pgPort),
        HOST: '127.0.0.1',
        PORT: String(port),
        REDIS_URL: testRedisUrl(),
        QUEUE_PREFIX: `${testRedisPrefix()}-embedded`,
      },
      { role: 'all', ready: 'listening on' },
    );
    expect((await fetch(`http://127.0.0.1:${port}/health/ready`)).status).toBe(200);
    expect(await listening(pgPort)).toBe(true);

    service.kill('SIGTERM');
    expect(await service.exited).toEqual({ code: 0, signal: null });

    expect(await listening(pgPort)).toBe(false);
    const { clusterDir } = locateEmbeddedPostgres({ dataDir });
    expect(existsSync(join(clusterDir, 'PG_VERSION'))).toBe(true);
    expect(existsSync(join(clusterDir, 'postmaster.pid'))).toBe(false);
  });
});
