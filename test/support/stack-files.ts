import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** The repository's root folder (tests run from it). */
export const repoRoot = join(import.meta.dirname, '..', '..');
export const dockerDir = join(repoRoot, 'docker');

export const readRepoFile = (path: string): string => readFileSync(join(repoRoot, path), 'utf8');

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end; a missing binary is an error that names it (CI installs them: .ci/run). */
export async function runCommand(
  command: string,
  args: string[],
  options: { cwd?: string; input?: string; env?: Record<string, string> } = {},
): Promise<CommandResult> {
  const env = { ...process.env, ...options.env };
  const child = promisify(execFile)(command, args, { cwd: options.cwd ?? repoRoot, env, maxBuffer: 16 * 1024 * 1024 });
  if (options.input !== undefined) child.child.stdin?.end(options.input);
  try {
    const { stdout, stderr } = await child;
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { code?: number | string; stdout?: string; stderr?: string };
    if (failure.code === 'ENOENT') throw new Error(`${command} is not installed (.ci/run installs it: apt-get install -y docker-compose prometheus)`);
    return { code: typeof failure.code === 'number' ? failure.code : 1, stdout: failure.stdout ?? '', stderr: failure.stderr ?? '' };
  }
}

/** YAML to a plain value through Python's PyYAML, which Debian's docker-compose package depends on. */
export async function parseYaml(text: string): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const result = await runCommand('python3', ['-c', 'import json, sys, yaml; print(json.dumps(yaml.safe_load(sys.stdin)))'], { input: text });
  if (result.code !== 0) throw new Error(`YAML did not parse: ${result.stderr}`);
  return JSON.parse(result.stdout);
}
