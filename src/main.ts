import { existsSync } from 'node:fs';
import { createApp } from './app.factory.js';
import { AppConfig } from './config/app-config.js';
import { ConfigError, parseEnv } from './config/env.js';
import { startEmbeddedPostgres } from './infra/embedded-postgres.js';
import { resolveRedis } from './infra/private-redis.js';

const say = (message: string) => process.stdout.write(`[tessera] ${message}\n`);

async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  let env;
  try {
    env = parseEnv();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }

  const stops: (() => Promise<void>)[] = [];
  let databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    say(`DATABASE_URL is not set: starting the embedded PostgreSQL in ${env.DATA_DIR}/postgres`);
    const pg = await startEmbeddedPostgres({ dataDir: env.DATA_DIR, port: env.EMBEDDED_POSTGRES_PORT, log: say });
    databaseUrl = pg.url;
    stops.push(pg.stop);
  }
  const redis = await resolveRedis({ url: env.REDIS_URL, autostart: env.REDIS_AUTOSTART, dataDir: env.DATA_DIR, log: say });
  stops.push(redis.stop);
  if (redis.source === 'unavailable') {
    say(
      `WARNING: Redis at ${env.REDIS_URL} is unreachable and no redis-server could be started. ` +
        'The API serves in degraded mode (see GET /health): rate limits are not enforced and events wait in the outbox.',
    );
  }

  const app = await createApp(new AppConfig(env, databaseUrl, redis.url));
  const shutdown = async () => {
    await app.close();
    for (const stop of stops.reverse()) await stop();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  await app.listen(env.PORT, env.HOST);
  say(`listening on http://${env.HOST}:${env.PORT} (API under /api/v1, docs at /docs)`);
}

main().catch((error: unknown) => {
  process.stderr.write(`Tessera failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
