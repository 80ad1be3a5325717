import { existsSync } from 'node:fs';
import { createApp, createWorker } from './app.factory.js';
import { AppConfig } from './config/app-config.js';
import { ConfigError, parseEnv } from './config/env.js';
import { startEmbeddedPostgres } from './infra/embedded-postgres.js';
import { resolveRedis } from './infra/private-redis.js';
import { MetricsServerError, startMetricsServer } from './adapters/metrics/metrics-server.js';
import { PrometheusMetrics } from './adapters/metrics/prometheus-metrics.js';

const say = (message: string) => process.stdout.write(`[tessera] ${message}\n`);

type Role = 'all' | 'api' | 'worker';
/** `--role=api` (HTTP only), `--role=worker` (relay + queue workers only); default both in one process. */
function roleFromArgs(argv: string[]): Role {
  const arg = argv.find((a) => a.startsWith('--role='));
  const role = arg ? arg.slice('--role='.length) : 'all';
  if (role !== 'all' && role !== 'api' && role !== 'worker') {
    process.stderr.write(`Invalid --role=${role}: use api, worker or all\n`);
    process.exit(1);
  }
  return role;
}

async function main(): Promise<void> {
  const role = roleFromArgs(process.argv.slice(2));
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

  if (role !== 'all' && !env.DATABASE_URL) {
    process.stderr.write(`Invalid configuration: DATABASE_URL is required with --role=${role} (API and workers share one database)\n`);
    process.exit(1);
  }
  const stops: (() => Promise<void>)[] = [];
  // First, before anything is started: a taken metrics port is one line and exit 1.
  let metrics: PrometheusMetrics | undefined;
  if (env.METRICS_PORT !== 0) {
    metrics = new PrometheusMetrics();
    try {
      const server = await startMetricsServer(metrics, env.METRICS_HOST, env.METRICS_PORT);
      stops.push(server.close);
      say(`metrics on http://${env.METRICS_HOST}:${server.port}/metrics`);
    } catch (error) {
      if (!(error instanceof MetricsServerError)) throw error;
      process.stderr.write(`Invalid configuration: ${error.message}\n`);
      process.exit(1);
    }
  }
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

  const config = new AppConfig(env, databaseUrl, redis.url);
  const app =
    role === 'worker' ? await createWorker(config, { metrics }) : await createApp(config, { workers: role === 'all', metrics });
  // This process owns its signals (Nest's shutdown hooks are off: they re-raise the signal once the app has closed,
  // which killed the process before the embedded PostgreSQL and the private Redis were stopped). A second signal
  // during the shutdown changes nothing.
  let closing: Promise<void> | null = null;
  const shutdown = () => {
    closing ??= (async () => {
      let code = 0;
      try {
        await app.close();
      } catch (error) {
        say(`shutdown: ${error instanceof Error ? error.message : String(error)}`);
        code = 1;
      }
      for (const stop of stops.reverse()) await stop().catch((error: unknown) => say(`shutdown: ${String(error)}`));
      process.exit(code);
    })();
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  if (role === 'worker') {
    say('worker running: outbox relay and queue workers (no HTTP)');
    return;
  }
  await (app as Awaited<ReturnType<typeof createApp>>).listen(env.PORT, env.HOST);
  say(
    `listening on http://${env.HOST}:${env.PORT} (API under /api/v1, docs at /docs)` +
      (role === 'api' ? '; background work runs in `npm run start:worker` processes' : '; workers in this process'),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`Tessera failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
