#!/usr/bin/env node
// `prestart`: compiles with tsc -p tsconfig.build.json when dist/src/main.js is missing or older than any file
// in src/, migrations/ or the tsconfig files. Keeps `npm start` quick when nothing changed.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const output = join(root, 'dist', 'src', 'main.js');

function newestIn(path) {
  if (!existsSync(path)) return 0;
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs; // a deleted or renamed file changes its folder's mtime
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestIn(join(path, entry)));
  return newest;
}

const sources = ['src', 'migrations', 'tsconfig.json', 'tsconfig.build.json', 'package.json'].map((p) => join(root, p));
const built = existsSync(output) ? statSync(output).mtimeMs : 0;
const newestSource = Math.max(...sources.map(newestIn));

if (built === 0 || newestSource > built) {
  console.log(built === 0 ? 'dist/ is missing: building' : 'Sources changed since the last build: building');
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
  if (!existsSync(output)) {
    console.error('Build finished but dist/src/main.js is missing (is there a src/main.ts?)');
    process.exit(1);
  }
}
