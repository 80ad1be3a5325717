import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './free-port.js';
import { until } from './until.js';

/**
 * A throw-away InfluxDB 1.x (`influxd` from Debian's `influxdb` package) of this test only: its own meta, data and
 * WAL folders and free ports. stop() ends just that process (data kept for restart()); close() also deletes the data.
 */
export class PrivateInfluxd {
  private child: ChildProcess | null = null;
  private readonly output: string[] = [];

  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly configFile: string,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<PrivateInfluxd> {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-influxd-'));
    const [port, rpcPort] = [await freePort(), await freePort()];
    const configFile = join(dir, 'influxd.conf');
    writeFileSync(
      configFile,
      [
        'reporting-disabled = true',
        `bind-address = "127.0.0.1:${rpcPort}"`,
        '[meta]',
        `  dir = "${join(dir, 'meta')}"`,
        '[data]',
        `  dir = "${join(dir, 'data')}"`,
        `  wal-dir = "${join(dir, 'wal')}"`,
        '  query-log-enabled = false',
        '[http]',
        '  enabled = true',
        `  bind-address = "127.0.0.1:${port}"`,
        '  log-enabled = false',
        '[monitor]',
        '  store-enabled = false',
        '[continuous_queries]',
        '  enabled = false',
        '',
      ].join('\n'),
    );
    const influx = new PrivateInfluxd(port, dir, configFile);
    await influx.restart();
    return influx;
  }

  async restart(): Promise<void> {
    const child = spawn('influxd', ['-config', this.configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk: Buffer) => {
      this.output.push(chunk.toString());
      this.output.splice(0, Math.max(0, this.output.length - 50));
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    this.child = child;
    // Up when /ping answers 204; given up when the process exits first or after 15 s.
    const ping = () =>
      fetch(`${this.url}/ping`, { signal: AbortSignal.timeout(500) })
        .then((r) => (r.status === 204 ? 'up' : 'starting'))
        .catch(() => 'starting');
    const state = await until(async () => (child.exitCode !== null ? 'exited' : await ping()), (s) => s !== 'starting', 15_000).catch(
      () => 'starting',
    );
    if (state !== 'up') throw new Error(`private influxd on port ${this.port} did not start (${state}):\n${this.output.join('')}`);
  }

  /** InfluxQL over /query (GET for reads, POST for statements such as CREATE DATABASE). */
  async query(q: string, db?: string): Promise<{ columns: string[]; values: unknown[][] }[]> {
    const params = new URLSearchParams({ q, epoch: 'ns', ...(db ? { db } : {}) });
    const isRead = /^\s*(SELECT|SHOW)\b/i.test(q);
    const res = await fetch(`${this.url}/query?${params}`, { method: isRead ? 'GET' : 'POST' });
    const body = (await res.json()) as { results?: { series?: { columns: string[]; values: unknown[][] }[]; error?: string }[]; error?: string };
    const error = body.error ?? body.results?.find((r) => r.error)?.error;
    if (!res.ok || error) throw new Error(`influx query failed (${res.status}): ${error}`);
    return body.results?.[0]?.series ?? [];
  }

  /** Rows of a SELECT as objects (column → value). */
  async rows(q: string, db: string): Promise<Record<string, unknown>[]> {
    const series = await this.query(q, db);
    return series.flatMap((s) => s.values.map((v) => Object.fromEntries(s.columns.map((c, i) => [c, v[i]]))));
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(10_000)]);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  }

  async close(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
