import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, cp, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { arch, platform } from 'node:os';
import { dirname, join, parse, resolve } from 'node:path';
import { promisify } from 'node:util';
import { StartupError } from './startup-error.js';

/** As root, where the embedded PostgreSQL's binaries and clusters live unless EMBEDDED_POSTGRES_RUNTIME_DIR says. */
export const DEFAULT_EMBEDDED_RUNTIME_DIR = '/var/lib/tessera';

export interface PlacementOptions {
  /** The app's data folder (DATA_DIR). */
  dataDir: string;
  /** As root: the folder holding `runtime/` (binaries) and `clusters/` (data). Ignored for other users. */
  runtimeDir?: string;
  /** The `native/` folder of the binaries package (bin, lib, share); found from the installed package when unset. */
  binariesDir?: string;
}

/** Where one embedded cluster lives. Pure: computing it changes nothing on disk. */
export interface EmbeddedPostgresLocation {
  asRoot: boolean;
  /** Holds `postgres/` (the cluster) and `postgres-password`. */
  home: string;
  clusterDir: string;
  passwordFile: string;
  /** As root: the folder the binaries are copied to. */
  runtimeRoot?: string;
}

/** A prepared location: binaries reachable, folders owned by whoever runs the cluster. */
export interface EmbeddedPostgresPlacement extends EmbeddedPostgresLocation {
  /** Folder of `initdb` and `postgres`. */
  binDir: string;
  /** As root, the OS user `postgres` the cluster runs as (PostgreSQL refuses to run as root). */
  runAs?: { uid: number; gid: number };
}

const run = promisify(execFile);
const OS_USER = 'postgres';

/**
 * Not root: everything stays in the project, binaries in node_modules and the cluster in `${dataDir}/postgres`.
 * Root: the cluster runs as the OS user `postgres`, which usually cannot enter the project (a home folder is
 * mode 0700), so the binaries are copied once to `${runtimeRoot}/runtime/<version>` and the cluster lives in
 * `${runtimeRoot}/clusters/<hash of the data folder's path>/postgres`, owned by `postgres`. A cluster an earlier
 * version created in `${dataDir}/postgres` is kept where it is.
 */
export function locateEmbeddedPostgres({ dataDir, runtimeDir }: PlacementOptions): EmbeddedPostgresLocation {
  const dataRoot = resolve(dataDir);
  const asRoot = process.getuid?.() === 0;
  const inDataDir = { home: dataRoot, clusterDir: join(dataRoot, 'postgres'), passwordFile: join(dataRoot, 'postgres-password') };
  if (!asRoot) return { asRoot, ...inDataDir };
  const runtimeRoot = resolve(runtimeDir || DEFAULT_EMBEDDED_RUNTIME_DIR);
  if (existsSync(join(inDataDir.clusterDir, 'PG_VERSION'))) return { asRoot, runtimeRoot, ...inDataDir };
  const home = join(runtimeRoot, 'clusters', createHash('sha256').update(dataRoot).digest('hex').slice(0, 16));
  return { asRoot, runtimeRoot, home, clusterDir: join(home, 'postgres'), passwordFile: join(home, 'postgres-password') };
}

/** Makes the location usable: creates folders, and as root the `postgres` user, the binaries' copy and ownership. */
export async function prepareEmbeddedPostgres(
  location: EmbeddedPostgresLocation,
  options: PlacementOptions & { log: (msg: string) => void },
): Promise<EmbeddedPostgresPlacement> {
  const packaged = options.binariesDir ? customBinaries(options.binariesDir) : await installedBinaries();
  if (!location.asRoot) {
    await mkdir(location.home, { recursive: true });
    await ensureExecutable(join(packaged.dir, 'bin'));
    return { ...location, binDir: join(packaged.dir, 'bin') };
  }

  const runAs = await ensureOsUser(options.log);
  const runtimeRoot = location.runtimeRoot!;
  await mkdir(runtimeRoot, { recursive: true, mode: 0o755 });
  await makeTraversable(runtimeRoot, options.log);
  await assertReachable(runtimeRoot);
  const binDir = join(await stageBinaries(packaged, runtimeRoot, options.log), 'bin');

  await mkdir(location.home, { recursive: true, mode: 0o711 });
  await makeTraversable(location.home, options.log);
  if (location.home !== resolve(options.dataDir)) {
    await writeFile(join(location.home, 'data-dir'), `${resolve(options.dataDir)}\n`);
  }
  await mkdir(location.clusterDir, { recursive: true, mode: 0o700 });
  const { uid } = await stat(location.clusterDir);
  if (uid !== runAs.uid) await chown(location.clusterDir, runAs.uid, runAs.gid);
  await chmod(location.clusterDir, 0o700);
  return { ...location, binDir, runAs };
}

async function installedBinaries(): Promise<{ dir: string; version: string }> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  let initdb: string;
  try {
    // The package embedded-postgres installs for this platform; its module exports the binaries' paths.
    ({ initdb } = (await import(name)) as { initdb: string });
  } catch (error) {
    throw new StartupError(
      `the embedded PostgreSQL binaries (${name}) are not installed`,
      'run npm install again (its install scripts must run), or set DATABASE_URL to a PostgreSQL you run',
      { cause: error },
    );
  }
  const dir = dirname(dirname(initdb));
  const { version } = JSON.parse(await readFile(join(dir, '..', 'package.json'), 'utf8')) as { version: string };
  return { dir, version: `${version}-${platform()}-${arch()}` };
}

function customBinaries(dir: string): { dir: string; version: string } {
  const resolved = resolve(dir);
  return { dir: resolved, version: `custom-${createHash('sha256').update(resolved).digest('hex').slice(0, 12)}` };
}

/** Copies bin/, lib/ and share/ to `${runtimeRoot}/runtime/<version>` once (atomically), readable by everyone. */
async function stageBinaries(
  packaged: { dir: string; version: string },
  runtimeRoot: string,
  log: (msg: string) => void,
): Promise<string> {
  const target = join(runtimeRoot, 'runtime', packaged.version);
  if (existsSync(join(target, 'bin', 'postgres'))) return target;
  await mkdir(dirname(target), { recursive: true, mode: 0o755 });
  await makeTraversable(dirname(target), log);
  const staging = `${target}.partial-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  await cp(packaged.dir, staging, {
    recursive: true,
    verbatimSymlinks: true,
    // Static libraries and pkg-config files are for compiling against PostgreSQL, not for running it.
    filter: (source) => !source.endsWith('.a') && !source.includes('pkgconfig'),
  });
  await openUp(staging);
  await rm(target, { recursive: true, force: true }).catch(() => undefined);
  try {
    await rename(staging, target);
  } catch (error) {
    // Another process staged the same version at the same moment: use theirs.
    await rm(staging, { recursive: true, force: true });
    if (!existsSync(join(target, 'bin', 'postgres'))) throw error;
  }
  log(`Copied the embedded PostgreSQL binaries to ${target} (as root, the cluster runs as the OS user postgres)`);
  return target;
}

/** Folders 0755, executables 0755, other files 0644: an install made under umask 077 is unreadable to others. */
async function openUp(dir: string): Promise<void> {
  await chmod(dir, 0o755);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await openUp(path);
    else if (entry.isFile()) await chmod(path, (await stat(path)).mode & 0o111 ? 0o755 : 0o644);
  }
}

async function ensureExecutable(binDir: string): Promise<void> {
  for (const name of ['initdb', 'postgres']) {
    const path = join(binDir, name);
    const { mode } = await stat(path);
    if ((mode & 0o500) !== 0o500) await chmod(path, mode | 0o500);
  }
}

async function ensureOsUser(log: (msg: string) => void): Promise<{ uid: number; gid: number }> {
  const existing = await lookUpUser();
  if (existing) return existing;
  try {
    await run('groupadd', ['--system', OS_USER]).catch(async (error: { code?: number }) => {
      if (error.code !== 9) throw error; // 9: the group exists already
    });
    await run('useradd', ['--system', '--gid', OS_USER, '--no-create-home', '--shell', '/usr/sbin/nologin', OS_USER]);
  } catch (error) {
    throw new StartupError(
      `running as root, the embedded PostgreSQL needs an OS user "${OS_USER}" and creating it failed (${String((error as Error).message).trim()})`,
      `create it (useradd --system ${OS_USER}), run Tessera as an ordinary user, or set DATABASE_URL`,
      { cause: error },
    );
  }
  log(`Created the OS user ${OS_USER}: the embedded PostgreSQL refuses to run as root`);
  const created = await lookUpUser();
  if (!created) throw new StartupError(`the OS user "${OS_USER}" cannot be found after creating it`, 'check /etc/passwd');
  return created;
}

async function lookUpUser(): Promise<{ uid: number; gid: number } | undefined> {
  try {
    const [{ stdout: uid }, { stdout: gid }] = await Promise.all([run('id', ['-u', OS_USER]), run('id', ['-g', OS_USER])]);
    return { uid: Number.parseInt(uid, 10), gid: Number.parseInt(gid, 10) };
  } catch {
    return undefined;
  }
}

/** The folder itself belongs to Tessera: others may pass through it (they still cannot list it). */
async function makeTraversable(dir: string, log: (msg: string) => void): Promise<void> {
  const { mode } = await stat(dir);
  if ((mode & 0o001) === 0) {
    await chmod(dir, (mode & 0o777) | 0o711);
    log(`Made ${dir} traversable so the postgres OS user can reach the embedded PostgreSQL`);
  }
}

/** Every folder above `dir` must let others through, or the `postgres` user cannot reach the binaries or data. */
async function assertReachable(dir: string): Promise<void> {
  for (let current = dirname(dir); ; current = dirname(current)) {
    const { mode } = await stat(current);
    if ((mode & 0o001) === 0) {
      throw new StartupError(
        `the OS user postgres cannot reach ${dir}: ${current} is mode ${(mode & 0o777).toString(8).padStart(4, '0')}`,
        `set EMBEDDED_POSTGRES_RUNTIME_DIR to a folder every user can pass through (default ${DEFAULT_EMBEDDED_RUNTIME_DIR})`,
      );
    }
    if (current === parse(current).root) return;
  }
}
