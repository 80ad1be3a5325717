import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchDatabase, testRedisPrefix } from '../support/database.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { expectProblem } from './support/problem.js';

// Limits an attacker cannot dodge: forwarding headers count only behind a configured proxy, 401s count against
// the client address, and failed sign-ins lock an account's password sign-in on every replica.

const header = (res: { headers: Record<string, unknown> }, name: string) => res.headers[name.toLowerCase()];
const password = 'correct horse battery staple';

describe('X-Forwarded-For without TRUST_PROXY (the default)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '3', OIDC_ISSUER_URL: '' });
  });
  afterAll(() => t?.close());

  it('is ignored: a new header value per request does not get a fresh bucket on /auth/login', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await t.request('POST', '/api/v1/auth/login', {
        body: { email: `nobody-${i}@example.com`, password: 'wrong password' },
        headers: { 'x-forwarded-for': `203.0.113.${i + 1}` },
      });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
  });
});

describe('X-Forwarded-For with TRUST_PROXY naming the proxy', () => {
  let t: TestApp;
  beforeAll(async () => {
    // Injected requests come from 127.0.0.1: the trusted proxy here.
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '3', OIDC_ISSUER_URL: '', TRUST_PROXY: '127.0.0.1/32, 10.0.0.0/8' });
  });
  afterAll(() => t?.close());

  it('names the client: each client address has its own bucket, and one client is still limited', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await t.request('POST', '/api/v1/auth/login', {
        body: { email: `nobody-${i}@example.com`, password: 'wrong password' },
        headers: { 'x-forwarded-for': `198.51.100.${i + 1}` },
      });
      expect(res.status).toBe(401);
      expect(header(res, 'RateLimit-Remaining')).toBe('2');
    }
    const same = [];
    for (let i = 0; i < 4; i++) {
      same.push(
        (
          await t.request('POST', '/api/v1/auth/login', {
            body: { email: 'nobody@example.com', password: 'wrong password' },
            headers: { 'x-forwarded-for': '192.0.2.7' },
          })
        ).status,
      );
    }
    expect(same).toEqual([401, 401, 401, 429]);
  });
});

describe('401 answers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '3' });
  });
  afterAll(() => t?.close());

  it('carry RateLimit-* headers and count against the client address until 429', async () => {
    const first = await t.request('GET', '/api/v1/tickets', { token: 'not-a-token' });
    expectProblem(first, 401);
    expect(header(first, 'RateLimit-Limit')).toBe('3');
    expect(header(first, 'RateLimit-Remaining')).toBe('2');
    expect(Number(header(first, 'RateLimit-Reset'))).toBeGreaterThan(0);
    const second = await t.request('GET', '/api/v1/categories');
    expectProblem(second, 401);
    expect(header(second, 'RateLimit-Remaining')).toBe('1');
    expectProblem(await t.request('GET', '/api/v1/tickets'), 401);
    const limited = await t.request('GET', '/api/v1/tickets', { token: 'still-not-a-token' });
    expectProblem(limited, 429, 'RATE_LIMITED');
    expect(Number(header(limited, 'Retry-After'))).toBeGreaterThan(0);
  });
});

describe('failed sign-ins per account (LOGIN_MAX_FAILURES=3), across replicas', () => {
  let a: TestApp;
  let b: TestApp;
  let db: Awaited<ReturnType<typeof createScratchDatabase>>;
  const email = `locked-${randomUUID()}@example.com`;
  const other = `other-${randomUUID()}@example.com`;
  const login = (t: TestApp, who: string, pw: string) => t.request('POST', '/api/v1/auth/login', { body: { email: who, password: pw } });

  beforeAll(async () => {
    db = await createScratchDatabase();
    // Two instances of one installation: the same database and the same Redis prefix.
    const env = {
      OIDC_ISSUER_URL: '',
      LOGIN_MAX_FAILURES: '3',
      LOGIN_FAILURE_WINDOW_SECONDS: '120',
      QUEUE_PREFIX: `${testRedisPrefix()}-login-${randomUUID().slice(0, 8)}`,
    };
    a = await startTestApp(env, { databaseUrl: db.url });
    b = await startTestApp(env, { databaseUrl: db.url });
    for (const who of [email, other]) {
      expect((await a.request('POST', '/api/v1/auth/register', { body: { email: who, password, name: 'Lock' } })).status).toBe(201);
    }
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await db?.drop();
  });

  it('locks the account after 3 failures on any replica: 429 LOGIN_LOCKED with Retry-After, even with the right password', async () => {
    expectProblem(await login(a, email, 'wrong 1'), 401, 'INVALID_CREDENTIALS');
    expectProblem(await login(b, email, 'wrong 2'), 401, 'INVALID_CREDENTIALS');
    expectProblem(await login(a, email.toUpperCase(), 'wrong 3'), 401, 'INVALID_CREDENTIALS');
    for (const t of [a, b]) {
      const locked = await login(t, email, password);
      expectProblem(locked, 429, 'LOGIN_LOCKED');
      const retryAfter = Number(header(locked, 'Retry-After'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(120);
      expect(JSON.stringify(locked.body)).not.toContain(password);
    }
  });

  it('leaves other accounts alone', async () => {
    const res = await login(b, other, password);
    expect(res.status).toBe(200);
    expect(res.body.accessToken).toEqual(expect.any(String));
  });

  it('locks unknown emails the same way, so a lock tells nothing about which emails have accounts', async () => {
    const ghost = `ghost-${randomUUID()}@example.com`;
    for (let i = 0; i < 3; i++) expectProblem(await login(a, ghost, 'guess'), 401, 'INVALID_CREDENTIALS');
    expectProblem(await login(b, ghost, 'guess'), 429, 'LOGIN_LOCKED');
  });
});
