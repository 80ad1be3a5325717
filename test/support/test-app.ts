import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/app.factory.js';
import { AppConfig } from '../../src/config/app-config.js';
import { parseEnv } from '../../src/config/env.js';
import type { Role } from '../../src/core/identity/role.js';
import { createScratchDatabase, testRedisPrefix, testRedisUrl } from './database.js';
import { startKeycloakStub, type KeycloakStub } from './keycloak-stub.js';
import { assertMatchesOpenApi } from './openapi-responses.js';

export interface Caller {
  /** The user's id in Tessera (provisioned on the first request). */
  id: string;
  token: string;
  role: Role;
}

export interface Response {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface TestApp {
  app: NestFastifyApplication;
  keycloak: KeycloakStub;
  /** A new user of the given role, signed in through the Keycloak stand-in. */
  user(role: Role, name?: string): Promise<Caller>;
  request(
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE' | 'OPTIONS',
    url: string,
    options?: { as?: Caller; token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> },
  ): Promise<Response>;
  close(): Promise<void>;
}

/**
 * The whole application over its real HTTP stack (Fastify in-process injection), in enterprise mode against a
 * local Keycloak stand-in that signs realistic tokens. Each app gets a fresh database of its own (dropped on close)
 * unless given one: apps of test files running side by side must not relay each other's outbox events.
 * `workers: false` starts the API alone (`--role=api`): worker processes of the test do the background work.
 * Every response `request` returns has been checked against the committed openapi.json (a mismatch throws).
 */
export async function startTestApp(
  env: Record<string, string> = {},
  options: { databaseUrl?: string; workers?: boolean } = {},
): Promise<TestApp> {
  const keycloak = await startKeycloakStub();
  const own = options.databaseUrl ? null : await createScratchDatabase();
  const config = new AppConfig(
    parseEnv({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      OIDC_ISSUER_URL: keycloak.issuerUrl,
      RATE_LIMIT_PER_MINUTE: '100000',
      // Queues of their own: apps of other test files (other databases) share this Redis.
      QUEUE_PREFIX: `${testRedisPrefix()}-${randomUUID().slice(0, 8)}`,
      ...env,
    }),
    options.databaseUrl ?? own!.url,
    env.REDIS_URL ?? testRedisUrl(),
  );
  const app = await createApp(config, { logs: false, workers: options.workers });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();

  const request: TestApp['request'] = async (method, url, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    const token = options.token ?? options.as?.token;
    if (token) headers.authorization = `Bearer ${token}`;
    let payload: string | undefined = options.rawBody;
    if (options.body !== undefined) payload = JSON.stringify(options.body);
    if (payload !== undefined) headers['content-type'] ??= 'application/json';
    const res = await app.inject({ method, url, headers, payload });
    const type = String(res.headers['content-type'] ?? '');
    // Every response of the e2e suite must be one the committed openapi.json documents (status, type, body).
    assertMatchesOpenApi({ method, url, status: res.statusCode, contentType: type, body: res.body });
    return {
      status: res.statusCode,
      headers: res.headers,
      body: type.includes('json') && res.body ? JSON.parse(res.body) : res.body,
    };
  };

  const user: TestApp['user'] = async (role, name = role) => {
    const sub = `${name}-${randomUUID()}`;
    const roles = role === 'requester' ? ['offline_access'] : [role];
    const token = await keycloak.mint({ sub, roles, email: `${sub}@example.com`, name });
    const me = await request('GET', '/api/v1/auth/me', { token });
    if (me.status !== 200) throw new Error(`could not sign in ${sub}: ${me.status} ${JSON.stringify(me.body)}`);
    return { id: me.body.id, token, role };
  };

  return {
    app,
    keycloak,
    user,
    request,
    close: async () => {
      await app.close();
      await keycloak.close();
      await own?.drop();
    },
  };
}
