import { existsSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { migrations } from '../migrations/index.js';
import { SqlAnalyticsProjection } from './adapters/persistence/analytics/sql-analytics-projection.js';
import { ConfigError, parseEnv } from './config/env.js';
import { startEmbeddedPostgres } from './infra/embedded-postgres.js';

const say = (message: string) => process.stdout.write(`[tessera] ${message}\n`);

/**
 * `npm run analytics:rebuild`: recomputes every analytics fact and rollup from the raw rows, in one transaction
 * (the analytics worker's refreshes wait for it and then continue on the rebuilt tables). Uses DATABASE_URL, or
 * the embedded PostgreSQL in DATA_DIR like `npm start`; applies pending migrations first.
 */
async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const env = parseEnv();
  const stops: (() => Promise<void>)[] = [];
  let url = env.DATABASE_URL;
  if (!url) {
    const pg = await startEmbeddedPostgres({ dataDir: env.DATA_DIR, port: env.EMBEDDED_POSTGRES_PORT, log: say });
    url = pg.url;
    stops.push(pg.stop);
  }
  const db = new DataSource({ type: 'postgres', url, migrations, entities: [], extra: { max: 2 } });
  try {
    await db.initialize();
    await db.runMigrations({ transaction: 'each' });
    const started = Date.now();
    const { tickets } = await new SqlAnalyticsProjection(db).rebuild();
    say(`analytics rebuilt from the raw rows: ${tickets} tickets in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    if (db.isInitialized) await db.destroy();
    for (const stop of stops) await stop();
  }
}

main().catch((error: unknown) => {
  const message = error instanceof ConfigError || error instanceof Error ? error.message : String(error);
  process.stderr.write(`analytics rebuild failed: ${message}\n`);
  process.exit(1);
});
