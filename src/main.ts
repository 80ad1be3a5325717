import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import type { INestApplicationContext } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp, createWorker } from './app.factory.js';
import { AppConfig } from './config/app-config.js';
import { ConfigError, parseEnv, type Env } from './config/env.js';
import { preflightDatabase, redact } from './infra/database-preflight.js';
import { startEmbeddedPostgres } from './infra/embedded-postgres.js';
import { StartupNestLogger, resolveLogFormat, startupLogger } from './infra/logging.js';
import { resolveRedis } from './infra/private-redis.js';
import { StartupError, firstLine, startupFailureLine } from './infra/startup-error.js';
import { MetricsServerError, startMetricsServer } from './adapters/metrics/metrics-server.js';
import { PrometheusMetrics } from './adapters/metrics/prometheus-metrics.js';

type Role = 'all' | 'api' | 'worker';

/** Stops what start-up began (embedded PostgreSQL, private Redis), newest first. */
const stops: (() => Promise<void>)[] = [];

/** `--role=api` (HTTP only), `--role=worker` (relay + queue workers only); default both in one process. */
function roleFromArgs(argv: string[]): Role {
  const arg = argv.find((a) => a.startsWith('--role='));
  const role = arg ? arg.slice('--role='.length) : 'all';
  if (role !== 'all' && role !== 'api' && role !== 'worker') {
    throw new StartupError(`unknown --role=${role}`, 'use --role=api, --role=worker, or no --role for both in one process');
  }
  return role;
}

function readEnv(): Env {
  try {
    if (existsSync('.env')) process.loadEnvFile('.env');
  } catch (error) {
    throw new StartupError(`the file .env cannot be read (${firstLine(error)})`, 'write it as KEY=value lines, or remove it');
  }
  try {
    return parseEnv();
  } catch (error) {
    if (error instanceof ConfigError) {
      throw new StartupError(
        `invalid configuration: ${error.variable} ${error.reason}`,
        `correct ${error.variable} in the environment or in .env (the README's configuration table lists every variable)`,
      );
    }
    throw error;
  }
}

async function assertPortFree(host: string, port: number): Promise<void> {
  if (port === 0) return;
  const problem = await new Promise<string | undefined>((done) => {
    const server = createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
    server.listen(port, host, () => server.close(() => done(undefined)));
  });
  if (problem === 'EADDRINUSE') {
    throw new StartupError(`port ${port} on ${host} is already in use`, 'stop the program using it, or set PORT to a free port');
  }
  if (problem) {
    throw new StartupError(`cannot listen on ${host}:${port} (${problem})`, 'set HOST to an address of this machine and PORT to a free port above 1023');
  }
}

async function main(): Promise<void> {
  const role = roleFromArgs(process.argv.slice(2));
  const env = readEnv();
  const rootLogger = startupLogger(resolveLogFormat(env.LOG_FORMAT), env.LOG_LEVEL);
  // Start-up milestones (where the data lives, the address listened on) are written even at LOG_LEVEL=warn or error.
  const logger = rootLogger.child({ context: 'Tessera' }, { level: env.LOG_LEVEL === 'silent' ? 'silent' : milestoneLevel(env.LOG_LEVEL) });
  const say = (message: string) => logger.info(message);

  if (role !== 'all' && !env.DATABASE_URL) {
    throw new StartupError(
      `DATABASE_URL is required with --role=${role} (API and worker processes share one database)`,
      'set DATABASE_URL, or run `npm start` for API and workers in one process on the embedded PostgreSQL',
    );
  }
  if (role !== 'worker') await assertPortFree(env.HOST, env.PORT);
  // Before anything is started: this process's GET /metrics (a taken port stops the start here).
  let metrics: PrometheusMetrics | undefined;
  if (env.METRICS_PORT !== 0) {
    metrics = new PrometheusMetrics();
    try {
      const server = await startMetricsServer(metrics, env.METRICS_HOST, env.METRICS_PORT);
      stops.push(server.close);
      say(`metrics on http://${env.METRICS_HOST}:${server.port}/metrics`);
    } catch (error) {
      if (error instanceof MetricsServerError) throw new StartupError(error.reason, error.fix);
      throw error;
    }
  }

  let databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    say('DATABASE_URL is not set: starting the embedded PostgreSQL');
    const pg = await startEmbeddedPostgres({
      dataDir: env.DATA_DIR,
      port: env.EMBEDDED_POSTGRES_PORT,
      runtimeDir: env.EMBEDDED_POSTGRES_RUNTIME_DIR,
      log: say,
    });
    databaseUrl = pg.url;
    stops.push(pg.stop);
  }
  await preflightDatabase(databaseUrl, say);

  const redis = await resolveRedis({ url: env.REDIS_URL, autostart: env.REDIS_AUTOSTART, dataDir: env.DATA_DIR, log: say });
  stops.push(redis.stop);
  if (redis.source === 'unavailable') {
    if (role === 'worker') {
      throw new StartupError(
        `Redis at ${redact(env.REDIS_URL)} does not answer, and a worker process has nothing to do without it`,
        'start Redis there or correct REDIS_URL',
      );
    }
    logger.warn(
      `Redis at ${redact(env.REDIS_URL)} is unreachable and no redis-server could be started. ` +
        'The API serves in degraded mode (see GET /health): rate limits are not enforced and events wait in the outbox.',
    );
  }

  const config = new AppConfig(env, databaseUrl, redis.url);
  let app: INestApplicationContext;
  try {
    const startupLogger = new StartupNestLogger(rootLogger);
    app =
      role === 'worker'
        ? await createWorker(config, { startupLogger, metrics })
        : await createApp(config, { workers: role === 'all', startupLogger, metrics });
  } catch (error) {
    throw new StartupError(
      `the application failed to initialise (${firstLine(error)})`,
      'read the log lines above; run again with LOG_LEVEL=debug for more detail',
      { cause: error },
    );
  }
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
        logger.error(`shutdown: ${firstLine(error)}`);
        code = 1;
      }
      await stopAll((error) => logger.error(`shutdown: ${firstLine(error)}`));
      process.exit(code);
    })();
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  if (role === 'worker') {
    say('worker running: outbox relay and queue workers (no HTTP)');
    return;
  }
  try {
    await (app as NestFastifyApplication).listen(env.PORT, env.HOST);
  } catch (error) {
    await app.close().catch(() => undefined);
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new StartupError(`port ${env.PORT} on ${env.HOST} is already in use`, 'stop the program using it, or set PORT to a free port');
    }
    throw error;
  }
  say(
    `listening on http://${env.HOST}:${env.PORT} (API under /api/v1, docs at /docs)` +
      (role === 'api' ? '; background work runs in `npm run start:worker` processes' : '; workers in this process'),
  );
}

function milestoneLevel(level: Env['LOG_LEVEL']): Env['LOG_LEVEL'] {
  return ['debug', 'trace'].includes(level) ? level : 'info';
}

async function stopAll(report: (error: unknown) => void): Promise<void> {
  while (stops.length) await stops.pop()!().catch(report);
}

let failing = false;
async function fail(error: unknown): Promise<void> {
  if (failing) return;
  failing = true;
  // Whatever started is stopped first, so the failure line is the last thing printed.
  await stopAll(() => undefined);
  process.stderr.write(`${startupFailureLine(error)}\n`);
  process.exit(1);
}

// Until the service is up, an error thrown outside main's own flow (an event emitter's unhandled 'error') is a
// start failure like any other.
process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);
main().then(
  () => {
    process.removeListener('uncaughtException', fail);
    process.removeListener('unhandledRejection', fail);
  },
  fail,
);
