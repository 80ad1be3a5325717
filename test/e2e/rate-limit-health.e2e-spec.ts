import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchDatabase, testRedisPrefix } from '../support/database.js';
import { PrivateRedis } from '../support/private-redis-server.js';
import { startTestApp, type Caller, type TestApp } from '../support/test-app.js';
import { until } from '../support/until.js';
import { expectProblem } from './support/problem.js';

// One app at a time (Passport's strategy registry is process-wide): each describe starts and closes its own.

/** Signs in a Keycloak subject on `t` without the harness' check that /auth/me answered 200. */
async function signIn(t: TestApp, sub: string, roles: string[] = []) {
  const token = await t.keycloak.mint({ sub, roles, email: `${sub}@example.com`, name: sub });
  const me = await t.request('GET', '/api/v1/auth/me', { token });
  return { token, me };
}

const header = (res: { headers: Record<string, unknown> }, name: string) => res.headers[name.toLowerCase()];

describe('rate limiting (RATE_LIMIT_PER_MINUTE=5)', () => {
  const aliceSub = `rl-alice-${randomUUID()}`;
  let t: TestApp;
  // Both instances share one database, as replicas do.
  let db: Awaited<ReturnType<typeof createScratchDatabase>>;

  // Replicas of one installation: one database, one Redis prefix.
  const env = { RATE_LIMIT_PER_MINUTE: '5', QUEUE_PREFIX: `${testRedisPrefix()}-rl-${randomUUID().slice(0, 8)}` };

  beforeAll(async () => {
    db = await createScratchDatabase();
    t = await startTestApp(env, { databaseUrl: db.url });
  });
  afterAll(async () => {
    await t?.close();
    await db?.drop();
  });

  it('counts each request against the caller and reports it in RateLimit-* headers', async () => {
    const { token, me } = await signIn(t, aliceSub);
    expect(me.status).toBe(200);
    expect(header(me, 'RateLimit-Limit')).toBe('5');
    expect(header(me, 'RateLimit-Remaining')).toBe('4');
    const reset = Number(header(me, 'RateLimit-Reset'));
    expect(reset).toBeGreaterThan(0);
    expect(reset).toBeLessThanOrEqual(60);
    for (const remaining of ['3', '2', '1', '0']) {
      const res = await t.request('GET', '/api/v1/tickets', { token });
      expect(res.status).toBe(200);
      expect(header(res, 'RateLimit-Remaining')).toBe(remaining);
    }
  });

  it('answers the 6th request in the window with 429 problem+json, Retry-After and RateLimit-* headers', async () => {
    const token = await t.keycloak.mint({ sub: aliceSub, email: `${aliceSub}@example.com`, name: aliceSub });
    const res = await t.request('GET', '/api/v1/tickets', { token });
    expectProblem(res, 429, 'RATE_LIMITED');
    expect(res.body.title).toBe('Too Many Requests');
    const retryAfter = Number(header(res, 'Retry-After'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(header(res, 'RateLimit-Limit')).toBe('5');
    expect(header(res, 'RateLimit-Remaining')).toBe('0');
    expect(Number(header(res, 'RateLimit-Reset'))).toBeGreaterThan(0);
    // Writes are limited too, and nothing is created.
    const write = await t.request('POST', '/api/v1/tickets', { token, body: { title: 'Over the limit', description: 'x' } });
    expectProblem(write, 429, 'RATE_LIMITED');
  });

  it('limits per caller: another user is still served', async () => {
    const { token, me } = await signIn(t, `rl-bob-${randomUUID()}`);
    expect(me.status).toBe(200);
    const res = await t.request('GET', '/api/v1/tickets', { token });
    expect(res.status).toBe(200);
    expect(header(res, 'RateLimit-Remaining')).toBe('3');
  });

  describe('the counter lives in Redis', () => {
    beforeAll(async () => {
      await t.close();
      t = await startTestApp(env, { databaseUrl: db.url });
    });

    it('continues the same user’s count on a second app instance sharing the Redis', async () => {
      const { me } = await signIn(t, aliceSub);
      // Served (with nothing left) or refused: either way the new instance saw the old instance's hits.
      if (me.status === 429) expectProblem(me, 429, 'RATE_LIMITED');
      else expect(header(me, 'RateLimit-Remaining')).toBe('0');
    });

    it('still limits the same user on a second app instance sharing the Redis', async () => {
      const { me } = await signIn(t, aliceSub);
      expectProblem(me, 429, 'RATE_LIMITED');
    });

    it('starts a new caller on the second instance with a full allowance', async () => {
      const { me } = await signIn(t, `rl-carol-${randomUUID()}`);
      expect(me.status).toBe(200);
      expect(header(me, 'RateLimit-Remaining')).toBe('4');
    });
  });
});

describe('health and API docs', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());

  it('GET /health reports ok with both services up, without a token', async () => {
    const res = await t.request('GET', '/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', services: { database: 'up', redis: 'up' } });
  });

  it('GET /health/live and /health/ready answer 200', async () => {
    const live = await t.request('GET', '/health/live');
    expect(live.status).toBe(200);
    expect(live.body).toEqual({ status: 'ok' });
    const ready = await t.request('GET', '/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ok', details: { database: { status: 'up' } } });
  });

  it('serves health outside the /api/v1 prefix only', async () => {
    expectProblem(await t.request('GET', '/api/v1/health'), 404);
  });

  it('GET /openapi.json is public and lists every route, each non-public one with bearer security', async () => {
    const res = await t.request('GET', '/openapi.json');
    expect(res.status).toBe(200);
    const doc = res.body;
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    const operations = Object.entries(doc.paths as Record<string, Record<string, { security?: unknown[]; responses: Record<string, unknown> }>>)
      .flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ route: `${method.toUpperCase()} ${path}`, op })));
    const publicRoutes = [
      'POST /api/v1/auth/register',
      'POST /api/v1/auth/login',
      'GET /health',
      'GET /health/live',
      'GET /health/ready',
    ];
    const protectedRoutes = [
      'GET /api/v1/auth/me',
      'GET /api/v1/users',
      'GET /api/v1/users/{id}',
      'PATCH /api/v1/users/{id}',
      'GET /api/v1/tickets',
      'POST /api/v1/tickets',
      'GET /api/v1/tickets/{id}',
      'PATCH /api/v1/tickets/{id}',
      'DELETE /api/v1/tickets/{id}',
      'PATCH /api/v1/tickets/{id}/status',
      'PUT /api/v1/tickets/{id}/assignee',
      'POST /api/v1/tickets/{id}/restore',
      'GET /api/v1/tickets/{id}/comments',
      'POST /api/v1/tickets/{id}/comments',
      'GET /api/v1/tickets/{id}/activity',
      'GET /api/v1/categories',
      'POST /api/v1/categories',
      'PATCH /api/v1/categories/{id}',
      'DELETE /api/v1/categories/{id}',
      'GET /api/v1/groups',
      'POST /api/v1/groups',
      'GET /api/v1/groups/{id}',
      'PATCH /api/v1/groups/{id}',
      'DELETE /api/v1/groups/{id}',
      'POST /api/v1/groups/{id}/members',
      'DELETE /api/v1/groups/{id}/members/{userId}',
      'PUT /api/v1/agents/me/availability',
      'GET /api/v1/jobs/failed',
      'POST /api/v1/jobs/failed/{queue}/{id}/retry',
      'GET /api/v1/events',
      'GET /api/v1/webhooks',
      'POST /api/v1/webhooks',
      'GET /api/v1/webhooks/{id}',
      'PATCH /api/v1/webhooks/{id}',
      'DELETE /api/v1/webhooks/{id}',
      'GET /api/v1/webhooks/{id}/deliveries',
      'GET /api/v1/webhooks/{id}/deliveries/{deliveryId}',
      'POST /api/v1/webhooks/{id}/deliveries/{deliveryId}/replay',
      'GET /api/v1/triage/model',
      'POST /api/v1/triage/model/retrain',
      'GET /api/v1/tickets/{id}/triage',
      'GET /api/v1/sla-policies',
      'POST /api/v1/sla-policies',
      'GET /api/v1/sla-policies/{id}',
      'PATCH /api/v1/sla-policies/{id}',
      'DELETE /api/v1/sla-policies/{id}',
      'GET /api/v1/tickets/{id}/sla-events',
      'POST /api/v1/tickets/{id}/satisfaction',
      'GET /api/v1/leaderboard',
      'GET /api/v1/agents/{id}/points',
      'GET /api/v1/recognition/rules',
      'GET /api/v1/analytics/dashboard',
      'GET /api/v1/analytics/agents',
      'GET /api/v1/analytics/agents/{id}',
    ];
    expect(operations.map((o) => o.route).sort()).toEqual([...publicRoutes, ...protectedRoutes].sort());
    for (const { route, op } of operations) {
      if (protectedRoutes.includes(route)) {
        expect(op.security, route).toEqual([{ bearer: [] }]);
        expect(Object.keys(op.responses), route).toEqual(expect.arrayContaining(['401', '429']));
      } else {
        expect(op.security ?? [], route).toEqual([]);
      }
    }
  });

  it('GET /docs serves the Swagger UI as HTML', async () => {
    const res = await t.request('GET', '/docs');
    expect(res.status).toBe(200);
    expect(String(res.headers['content-type'])).toContain('text/html');
    expect(String(res.body)).toMatch(/<html/i);
  });
});

describe('when Redis goes away', () => {
  let redis: PrivateRedis;
  let t: TestApp;
  let requester: Caller;
  let admin: Caller;

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    // One resolved ticket is enough to ask for a training run.
    t = await startTestApp({ REDIS_URL: redis.url, TRIAGE_MIN_EXAMPLES: '1' });
    requester = await t.user('requester');
    admin = await t.user('admin');
  });
  afterAll(async () => {
    await t?.close();
    await redis?.stop();
  });

  const health = () => t.request('GET', '/health');

  it('reports ok while the private Redis runs', async () => {
    expect((await health()).body).toEqual({ status: 'ok', services: { database: 'up', redis: 'up' } });
  });

  it('degrades (200, redis down) but keeps serving when Redis stops, and recovers when it is back', async () => {
    await redis.stop();
    const degraded = await until(health, (res) => res.body?.status === 'degraded');
    expect(degraded.status).toBe(200);
    expect(degraded.body).toEqual({ status: 'degraded', services: { database: 'up', redis: 'down' } });

    const created = await t.request('POST', '/api/v1/tickets', {
      as: requester,
      body: { title: 'Redis is down', description: 'The API still takes tickets' },
    });
    expect(created.status).toBe(201);
    expect((await t.request('GET', `/api/v1/tickets/${created.body.id}`, { as: requester })).status).toBe(200);
    expect((await t.request('GET', '/health/live')).status).toBe(200);
    expect((await t.request('GET', '/health/ready')).status).toBe(200);
    const resolved = await t.request('PATCH', `/api/v1/tickets/${created.body.id}/status`, {
      as: admin,
      body: { status: 'resolved' },
    });
    expect(resolved.status).toBe(200);
    // What needs Redis itself says so: 503 problem+json with Retry-After, never a 500.
    for (const [method, path] of [
      ['POST', '/api/v1/triage/model/retrain'],
      ['GET', '/api/v1/jobs/failed'],
      ['POST', `/api/v1/jobs/failed/triage/${created.body.id}/retry`],
    ] as const) {
      const res = await t.request(method, path, { as: admin });
      expect(res.status, `${method} ${path}`).toBe(503);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.headers['retry-after']).toBeDefined();
      expect(res.body).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
    }

    await redis.restart();
    const recovered = await until(health, (res) => res.body?.status === 'ok', 8_000);
    expect(recovered.body).toEqual({ status: 'ok', services: { database: 'up', redis: 'up' } });
    expect((await t.request('GET', '/api/v1/tickets?limit=1', { as: requester })).status).toBe(200);
  });
});
