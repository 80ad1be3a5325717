import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, parseEnv } from '../../src/config/env.js';
import { startTestApp, type Caller, type TestApp } from '../support/test-app.js';

// One app at a time (Passport's strategy registry is process-wide): each describe starts and closes its own.

const APP = 'https://app.example.com';
const ADMIN = 'http://localhost:5173';
const STRANGER = 'https://evil.example.net';
const EXPOSED = 'ETag, Location, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, Retry-After, Idempotent-Replayed';

const preflight = (t: TestApp, origin: string, method = 'PATCH', headers = 'authorization,content-type,if-match,idempotency-key') =>
  t.request('OPTIONS', '/api/v1/tickets/00000000-0000-4000-8000-000000000000', {
    headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': headers },
  });

const corsHeaders = (res: { headers: Record<string, unknown> }) =>
  Object.keys(res.headers).filter((name) => name.startsWith('access-control-'));

describe('CORS with CORS_ORIGINS set', () => {
  let t: TestApp;
  let agent: Caller;

  beforeAll(async () => {
    t = await startTestApp({ CORS_ORIGINS: ` ${APP}, ${ADMIN} ` });
    agent = await t.user('agent');
  });
  afterAll(async () => t?.close());

  it('lets a listed origin read the response and the headers the API sets', async () => {
    const created = await t.request('POST', '/api/v1/tickets', {
      as: agent,
      body: { title: 'From the browser', description: 'CORS' },
      headers: { origin: APP },
    });

    expect(created.status).toBe(201);
    expect(created.headers['access-control-allow-origin']).toBe(APP);
    expect(created.headers['access-control-expose-headers']).toBe(EXPOSED);
    expect(String(created.headers.vary)).toContain('Origin');
    expect(created.headers['access-control-allow-credentials']).toBeUndefined();
    expect(created.headers.location).toMatch(/^\/api\/v1\/tickets\//);
    expect(created.headers.etag).toBeDefined();
    expect(created.headers['ratelimit-remaining']).toBeDefined();

    const other = await t.request('GET', '/api/v1/tickets', { as: agent, headers: { origin: ADMIN } });
    expect(other.status).toBe(200);
    expect(other.headers['access-control-allow-origin']).toBe(ADMIN);
  });

  it('answers a listed origin\'s preflight with the allowed methods and headers', async () => {
    const res = await preflight(t, APP);

    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(APP);
    expect(res.headers['access-control-allow-methods']).toBe('GET, HEAD, POST, PUT, PATCH, DELETE');
    expect(res.headers['access-control-allow-headers']).toBe('Authorization, Content-Type, Idempotency-Key, If-Match');
    expect(res.headers['access-control-max-age']).toBe('600');
    expect(res.headers['access-control-expose-headers']).toBe(EXPOSED);
  });

  it('gives any other origin no CORS header, so the browser refuses the response and the preflight', async () => {
    const read = await t.request('GET', '/api/v1/tickets', { as: agent, headers: { origin: STRANGER } });
    expect(read.status).toBe(200); // CORS is the browser's check: the server only withholds the permission
    expect(corsHeaders(read)).toEqual([]);

    // Near misses are other origins too: another scheme, port or a trailing slash.
    for (const origin of [STRANGER, 'http://app.example.com', 'https://app.example.com:8443', `${APP}/`, 'null']) {
      const res = await preflight(t, origin);
      expect(res.status, origin).toBe(404);
      expect(corsHeaders(res), origin).toEqual([]);
    }
  });
});

describe('CORS by default (no CORS_ORIGINS)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('refuses every browser origin', async () => {
    const agent = await t.user('agent');
    const read = await t.request('GET', '/api/v1/tickets', { as: agent, headers: { origin: APP } });
    expect(read.status).toBe(200);
    expect(corsHeaders(read)).toEqual([]);

    const res = await preflight(t, APP, 'GET', 'authorization');
    expect(res.status).toBe(404);
    expect(corsHeaders(res)).toEqual([]);
  });
});

describe('CORS with CORS_ALLOW_CREDENTIALS=true', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ CORS_ORIGINS: APP, CORS_ALLOW_CREDENTIALS: 'true' });
  });
  afterAll(async () => t?.close());

  it('allows credentials for the listed origin only, naming it exactly (never *)', async () => {
    const agent = await t.user('agent');
    const read = await t.request('GET', '/api/v1/tickets', { as: agent, headers: { origin: APP } });
    expect(read.headers['access-control-allow-origin']).toBe(APP);
    expect(read.headers['access-control-allow-credentials']).toBe('true');

    const res = await preflight(t, APP, 'POST', 'authorization,content-type');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(APP);
    expect(res.headers['access-control-allow-credentials']).toBe('true');

    const stranger = await t.request('GET', '/api/v1/tickets', { as: agent, headers: { origin: STRANGER } });
    expect(corsHeaders(stranger)).toEqual([]);
  });
});

describe('CORS_ORIGINS validation', () => {
  it.each([
    ['*'],
    ['https://app.example.com/'],
    ['https://app.example.com/path'],
    ['app.example.com'],
    ['https://App.example.com'],
    ['https://app.example.com:443'],
    ['ftp://files.example.com'],
    [`${APP},https://app.example.com?x=1`],
  ])('refuses %s, naming the entry', (value) => {
    let error: unknown;
    try {
      parseEnv({ CORS_ORIGINS: value });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe('CORS_ORIGINS');
    expect((error as ConfigError).reason).toMatch(/^has ".+", which is not an origin: write each as scheme:\/\/host\[:port\]/);
  });

  it('accepts exact origins separated by commas, with spaces and ports, and none by default', () => {
    expect(parseEnv({ CORS_ORIGINS: `${APP} , ${ADMIN},http://127.0.0.1:8080` }).CORS_ORIGINS).toEqual([APP, ADMIN, 'http://127.0.0.1:8080']);
    expect(parseEnv({}).CORS_ORIGINS).toEqual([]);
    expect(parseEnv({}).CORS_ALLOW_CREDENTIALS).toBe(false);
  });
});
