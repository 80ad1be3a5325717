import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface FinishedProcess {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string[];
  stderr: string[];
}

/**
 * Runs `node dist/src/main.js [args]` (what `npm start` runs; call buildIfNeeded() first) in an empty folder with
 * only the given environment, until it exits; fails after `timeoutMs`. For start-ups that must fail.
 */
export function runService(env: Record<string, string>, args: string[] = [], timeoutMs = 60_000): Promise<FinishedProcess> {
  const child = spawn(process.execPath, [join(root, 'dist', 'src', 'main.js'), ...args], {
    cwd: mkdtempSync(join(tmpdir(), 'tessera-run-')),
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const lines = (chunks: string[]) => chunks.join('').split('\n').filter(Boolean);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`still running after ${timeoutMs} ms:\n${stdout.join('')}${stderr.join('')}`));
    }, timeoutMs);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: lines(stdout), stderr: lines(stderr) });
    });
  });
}
