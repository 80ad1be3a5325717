import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './free-port.js';

/** A throw-away redis-server of this test only; stop() ends just that process. */
export class PrivateRedis {
  private child: ChildProcess | null = null;

  /** With `persistent`, data goes to an append-only file and survives stop() + restart(). */
  private constructor(
    readonly port: number,
    private readonly dataDir: string | null = null,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(options: { persistent?: boolean } = {}): Promise<PrivateRedis> {
    const dataDir = options.persistent ? mkdtempSync(join(tmpdir(), 'tessera-redis-')) : null;
    const redis = new PrivateRedis(await freePort(), dataDir);
    await redis.restart();
    return redis;
  }

  /** Freezes the server (SIGSTOP): connections stay open and data stays, but nothing answers until resume(). */
  pause(): void {
    this.child?.kill('SIGSTOP');
  }

  resume(): void {
    this.child?.kill('SIGCONT');
  }

  async restart(): Promise<void> {
    const child = spawn(
      'redis-server',
      [
        ...['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--loglevel', 'warning'],
        ...(this.dataDir ? ['--appendonly', 'yes', '--appendfsync', 'always', '--dir', this.dataDir] : ['--appendonly', 'no']),
      ],
      { stdio: 'ignore' },
    );
    this.child = child;
    const { Redis } = await import('ioredis');
    for (let waited = 0; waited < 5_000; waited += 100) {
      if (child.exitCode !== null) break;
      const client = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      client.on('error', () => undefined);
      const up = await client
        .connect()
        .then(() => client.ping())
        .then((r) => r === 'PONG')
        .catch(() => false);
      client.disconnect();
      if (up) return;
      await sleep(100);
    }
    throw new Error(`private redis-server on port ${this.port} did not start`);
  }

  /** Stops the server; `{ keepData: false }` (the default for a final stop) also deletes a persistent one's files. */
  async stop(options: { keepData?: boolean } = {}): Promise<void> {
    await this.stopProcess();
    if (this.dataDir && !options.keepData) rmSync(this.dataDir, { recursive: true, force: true });
  }

  private async stopProcess(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGCONT');
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(5_000)]);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  }
}
