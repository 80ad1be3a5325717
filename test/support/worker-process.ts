import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Compiles dist/ when it is missing or older than the sources (as `npm start` does); throws if tsc fails. */
export function buildIfNeeded(): void {
  const result = spawnSync(process.execPath, [join(root, 'scripts', 'build-if-needed.mjs')], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`build failed:\n${result.stdout}\n${result.stderr}`);
}

/**
 * A real worker process, `node dist/src/main.js --role=worker`, as `npm run start:worker` runs it: the outbox relay
 * and the queue workers, on the given database and Redis. Its output is kept for the failure message.
 */
export class WorkerProcess {
  readonly output: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(private readonly child: ChildProcess) {
    const keep = (chunk: Buffer) => {
      this.output.push(...chunk.toString().split('\n').filter(Boolean));
      this.output.splice(0, Math.max(0, this.output.length - 200));
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  get pid(): number {
    return this.child.pid!;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /**
   * Starts it and waits until it says it is running (relay and workers started). `role` and `ready` start another
   * layout the same way, e.g. `npm start`'s (`all`, ready when it says it is listening).
   */
  static async start(env: Record<string, string>, { role = 'worker', ready = 'worker running' } = {}): Promise<WorkerProcess> {
    const child = spawn(process.execPath, [join(root, 'dist', 'src', 'main.js'), `--role=${role}`], {
      // An empty working directory: no developer's .env is read.
      cwd: mkdtempSync(join(tmpdir(), 'tessera-worker-')),
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_LEVEL: 'warn', REDIS_AUTOSTART: 'false', METRICS_PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const worker = new WorkerProcess(child);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`worker did not start:\n${worker.output.join('\n')}`)), 60_000);
      const check = () => {
        if (worker.output.some((line) => line.includes(ready))) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout!.on('data', check);
      void worker.exited.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(new Error(`worker exited (${code ?? signal}) while starting:\n${worker.output.join('\n')}`));
      });
    });
    return worker;
  }

  kill(signal: NodeJS.Signals): void {
    if (this.running) this.child.kill(signal);
  }

  /** SIGKILL if still running, and wait for the exit: for afterAll. */
  async stop(): Promise<void> {
    this.kill('SIGKILL');
    await this.exited;
  }
}
