import { isIP } from 'node:net';
import { z } from 'zod';
import { PriorityMatrix } from '../core/tickets/priority-matrix.js';
import { LevelScale } from '../core/recognition/level-scale.js';
import { RecognitionRules } from '../core/recognition/recognition-rules.js';

const bool = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1');

const url = (protocols: string[]) =>
  z.string().refine((v) => {
    try {
      return protocols.includes(new URL(v).protocol);
    } catch {
      return false;
    }
  }, `must be a ${protocols.join(' or ')} URL`);

const PROXY_RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/** An IP address or CIDR block (`10.0.0.0/8`, `fd00::/8`), or one of proxy-addr's named ranges. */
function isProxyAddress(entry: string): boolean {
  if (PROXY_RANGE_NAMES.includes(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  const version = isIP(address ?? '');
  if (!version || rest.length) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}

const trustProxy = z.string().transform((value, ctx): boolean | string[] => {
  const v = value.trim().toLowerCase();
  if (v === 'false' || v === '0') return false;
  if (v === 'true' || v === '1') return true;
  const entries = value.split(',').map((e) => e.trim()).filter(Boolean);
  const bad = entries.filter((e) => !isProxyAddress(e));
  if (!entries.length || bad.length) {
    ctx.addIssue({ code: 'custom', message: `must be true, false or a list of proxy addresses/CIDRs (not: ${bad.join(', ') || value})` });
    return z.NEVER;
  }
  return entries;
});

/**
 * A comma-separated list of exact browser origins, `scheme://host[:port]` as browsers send them in `Origin`
 * (lower case, no path, no trailing slash, no default port): anything else could never match, so it is refused.
 */
const origins = z.string().transform((value, ctx) => {
  const list = value.split(',').map((entry) => entry.trim()).filter(Boolean);
  for (const entry of list) {
    let origin: string | undefined;
    try {
      const url = new URL(entry);
      if (url.protocol === 'http:' || url.protocol === 'https:') origin = url.origin;
    } catch {
      // not a URL
    }
    if (origin !== entry) {
      ctx.addIssue({
        code: 'custom',
        message: `has "${entry}", which is not an origin: write each as scheme://host[:port] (lower case, no path or trailing slash), e.g. https://app.example.com`,
      });
      return z.NEVER;
    }
  }
  return list;
});

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Unset: readable lines (pino-pretty) when stdout is a terminal, JSON lines otherwise. */
  LOG_FORMAT: z.enum(['pretty', 'json']).optional(),
  /** Unset: run an embedded PostgreSQL in DATA_DIR. */
  DATABASE_URL: url(['postgres:', 'postgresql:']).optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  DATA_DIR: z.string().min(1).default('.data'),
  EMBEDDED_POSTGRES_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  /** As root only: where the embedded PostgreSQL's binaries and clusters live (default /var/lib/tessera). */
  EMBEDDED_POSTGRES_RUNTIME_DIR: z.string().min(1).refine((v) => v.startsWith('/'), 'must be an absolute path').optional(),
  REDIS_URL: url(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
  /** When REDIS_URL does not answer, start a private redis-server from the PATH (if any). */
  REDIS_AUTOSTART: bool.default(true),
  /** Enterprise mode when set: tokens come from this Keycloak realm. Unset: embedded accounts. */
  OIDC_ISSUER_URL: url(['https:', 'http:']).optional(),
  OIDC_AUDIENCE: z.string().min(1).default('tessera-api'),
  OIDC_JWKS_URL: url(['https:', 'http:']).optional(),
  EMBEDDED_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(3600),
  BOOTSTRAP_ADMIN_EMAIL: z.email().optional(),
  BOOTSTRAP_ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(1200),
  /**
   * Whose X-Forwarded-For to believe for the client address (rate limits): unset/`false` nobody (the peer address
   * counts), `true` any peer, or a comma-separated list of proxy addresses/CIDRs (`10.0.0.0/8,127.0.0.1`, or
   * `loopback`, `linklocal`, `uniquelocal`).
   */
  TRUST_PROXY: trustProxy.default(false),
  /** Failed password sign-ins per account within the window that lock its password sign-in for the rest of it. */
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(1000).default(10),
  LOGIN_FAILURE_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
  /** Browser origins allowed to call the API (CORS); none by default, so browsers on other origins are refused. */
  CORS_ORIGINS: origins.default([]),
  /** Lets those origins send cookies and HTTP authentication (Access-Control-Allow-Credentials: true). */
  CORS_ALLOW_CREDENTIALS: bool.default(false),
  /** JSON impact × urgency table, e.g. {"critical":{"high":"critical",...},...}; defaults documented in README. */
  PRIORITY_MATRIX: z.string().optional(),
  /** Seconds an authenticated caller's role/active flag is cached in process. */
  ACTOR_CACHE_SECONDS: z.coerce.number().int().min(0).max(300).default(10),
  /** Redis key prefix of the BullMQ queues: installations sharing one Redis need different prefixes. */
  QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9:_-]{1,64}$/, 'must be 1–64 letters, digits, : _ or -').default('tessera'),
  /** Jobs each queue's worker runs at once, per process. */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(4),
  /** Assignment jobs at once, per process: they mostly wait for their group's shared drain. */
  ASSIGNMENT_CONCURRENCY: z.coerce.number().int().min(1).max(200).default(16),
  /** New tickets' intake jobs (triage, SLA, assignment) at once, per process. */
  INTAKE_CONCURRENCY: z.coerce.number().int().min(1).max(200).default(24),
  /** Tries per job (first run included) before it lands in the failed set; the wait doubles from JOB_BACKOFF_MS. */
  JOB_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  JOB_BACKOFF_MS: z.coerce.number().int().min(10).max(3_600_000).default(2000),
  /** A crashed worker's job is retried elsewhere after about this long. */
  WORKER_LOCK_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  /** How often an idle outbox relay looks for events written by other processes. */
  OUTBOX_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(200),
  /** A nudge from this process's commits is answered no sooner than this after the relay's previous batch began. */
  OUTBOX_COALESCE_MS: z.coerce.number().int().min(0).max(1000).default(25),
  OUTBOX_BATCH_SIZE: z.coerce.number().int().min(1).max(5000).default(500),
  /** Lets webhooks call loopback, private and link-local addresses (development and tests only). */
  WEBHOOK_ALLOW_PRIVATE_TARGETS: bool.default(false),
  /** One delivery attempt, from DNS to the end of the response. */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /** Sent events are kept this long in the outbox table (for audits and replays), then deleted. */
  OUTBOX_RETENTION_HOURS: z.coerce.number().int().min(1).max(8760).default(168),
  /** How long an Idempotency-Key is remembered. */
  IDEMPOTENCY_RETENTION_HOURS: z.coerce.number().int().min(1).max(8760).default(24),
  /** Triage suggestions at least this confident are applied to fields no person chose; the rest are only stored. */
  TRIAGE_APPLY_CONFIDENCE: z.coerce.number().min(0).max(1).default(0.85),
  /** Open tickets of the same requester at least this similar (0–1) are flagged as likely duplicates. */
  TRIAGE_DUPLICATE_SIMILARITY: z.coerce.number().min(0).max(1).default(0.75),
  /** The triage model is retrained this often (0: only on demand). */
  TRIAGE_RETRAIN_EVERY_MINUTES: z.coerce.number().int().min(0).max(525_600).default(1440),
  /** Fewer resolved/closed tickets than this: no model is trained. */
  TRIAGE_MIN_EXAMPLES: z.coerce.number().int().min(1).max(100_000).default(50),
  /** The newest this many resolved/closed tickets are learned from (memory grows with it). */
  TRIAGE_TRAINING_LIMIT: z.coerce.number().int().min(1).max(100_000).default(20_000),
  /** Trained models kept in the database (the newest is the active one). */
  TRIAGE_MODELS_KEPT: z.coerce.number().int().min(1).max(100).default(5),
  /** How often the SLA sweep re-checks clocks whose at-risk point or due date passed (a backstop for lost timers). */
  SLA_SWEEP_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
  /** Tests and demos only: SLA clocks count every target divided by this (60: a 1-minute target lasts 1 s). */
  SLA_TARGET_DIVISOR: z.coerce.number().int().min(1).max(3600).default(1),
  /** Lifetime of a read-cache entry in Redis (a ticket by id, the category tree); 0 turns the cache off. */
  CACHE_TTL_SECONDS: z.coerce.number().int().min(0).max(86_400).default(60),
  /** Analytics answers are reused for this long per API process (same query, same figures); 0 turns it off. */
  ANALYTICS_CACHE_MS: z.coerce.number().int().min(0).max(3_600_000).default(1000),
  /** Address of this process's own Prometheus endpoint (GET /metrics); loopback by default, never public by accident. */
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  /** Port of GET /metrics, apart from the API; each process (API, worker) serves its own. 0 turns metrics off. */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  /** How often one worker recomputes the database-backed gauges (open tickets, at risk, queues, outbox) into Redis. */
  METRICS_REFRESH_SECONDS: z.coerce.number().int().min(1).max(3600).default(15),
  /** Set: ticket events and the gauges are exported to this InfluxDB (http:// or https://, no path). */
  INFLUX_URL: url(['http:', 'https:']).optional(),
  /** InfluxDB 1.x: the database written to (it must exist). */
  INFLUX_DATABASE: z.string().min(1).max(200).optional(),
  /** InfluxDB 1.x with authentication (HTTP basic). */
  INFLUX_USERNAME: z.string().min(1).optional(),
  INFLUX_PASSWORD: z.string().min(1).optional(),
  /** InfluxDB 2.x: API token, organisation and bucket (/api/v2/write); used when INFLUX_BUCKET is set. */
  INFLUX_TOKEN: z.string().min(1).optional(),
  INFLUX_ORG: z.string().min(1).max(200).optional(),
  INFLUX_BUCKET: z.string().min(1).max(200).optional(),
  /** Points waiting for InfluxDB at most; past it new points are dropped (tessera_influx_points_dropped_total). */
  INFLUX_MAX_BACKLOG: z.coerce.number().int().min(1).max(10_000_000).default(100_000),
  /** Points sent in one write at most. */
  INFLUX_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(500),
  /** One write request, from connect to the answer. */
  INFLUX_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /** Recognition points per rule, JSON overriding the documented defaults, e.g. {"resolved_within_sla":12,"reopened":-10}. */
  GAMIFICATION_RULES: z.string().optional(),
  /** Recognition levels, JSON array replacing the defaults, e.g. [{"name":"Novice","minPoints":0},{"name":"Expert","minPoints":400}]. */
  GAMIFICATION_LEVELS: z.string().optional(),
});

export type Env = z.infer<typeof schema>;

/** Parses the environment; the first problem is reported as one line naming the variable. */
export function parseEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(cleaned);
  if (result.success) {
    const env = result.data;
    if (env.BOOTSTRAP_ADMIN_EMAIL && !env.BOOTSTRAP_ADMIN_PASSWORD) {
      throw new ConfigError('BOOTSTRAP_ADMIN_PASSWORD', 'is required when BOOTSTRAP_ADMIN_EMAIL is set');
    }
    if (env.INFLUX_URL) checkInflux(env);
    if (env.PRIORITY_MATRIX) {
      try {
        PriorityMatrix.fromJson(env.PRIORITY_MATRIX);
      } catch (error) {
        throw new ConfigError('PRIORITY_MATRIX', (error as Error).message);
      }
    }
    checkJson('GAMIFICATION_RULES', env.GAMIFICATION_RULES, RecognitionRules.fromJson);
    checkJson('GAMIFICATION_LEVELS', env.GAMIFICATION_LEVELS, LevelScale.fromJson);
    return env;
  }
  const issue = result.error.issues[0]!;
  throw new ConfigError(String(issue.path[0] ?? 'environment'), issue.message);
}

/** InfluxDB 2.x when INFLUX_BUCKET is set (token and org required), else 1.x (a database required). */
function checkInflux(env: Env): void {
  if (env.INFLUX_BUCKET) {
    if (!env.INFLUX_ORG) throw new ConfigError('INFLUX_ORG', 'is required with INFLUX_BUCKET (InfluxDB 2)');
    if (!env.INFLUX_TOKEN) throw new ConfigError('INFLUX_TOKEN', 'is required with INFLUX_BUCKET (InfluxDB 2)');
  } else if (!env.INFLUX_DATABASE) {
    throw new ConfigError('INFLUX_DATABASE', 'is required with INFLUX_URL (InfluxDB 1.x; or set INFLUX_BUCKET for InfluxDB 2)');
  }
  if (env.INFLUX_PASSWORD && !env.INFLUX_USERNAME) throw new ConfigError('INFLUX_USERNAME', 'is required with INFLUX_PASSWORD');
}

/** A JSON setting is parsed once at start, so a mistake stops the process with one line naming the variable. */
function checkJson(variable: string, value: string | undefined, parse: (json: string) => unknown): void {
  if (value === undefined) return;
  try {
    parse(value);
  } catch (error) {
    throw new ConfigError(variable, (error as Error).message);
  }
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly reason: string,
  ) {
    super(`Invalid configuration: ${variable} ${reason}`);
  }
}
