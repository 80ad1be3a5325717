import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type Caller, type TestApp } from '../support/test-app.js';
import { expectProblem } from './support/problem.js';

// Identity over HTTP: enterprise mode (Keycloak tokens) first, then embedded mode (local accounts) with its own
// app. Passport's strategy registry is process-wide, so the two apps never run at the same time.

const run = randomUUID().slice(0, 8);

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
const id = randomUUID();
/** Every route that needs a bearer token (bodies are valid, so only authentication can fail). */
const PROTECTED: [Method, string, unknown?][] = [
  ['GET', '/api/v1/auth/me'],
  ['GET', '/api/v1/users'],
  ['GET', `/api/v1/users/${id}`],
  ['PATCH', `/api/v1/users/${id}`, { active: true }],
  ['GET', '/api/v1/tickets'],
  ['POST', '/api/v1/tickets', { title: 'x', description: 'y' }],
  ['GET', `/api/v1/tickets/${id}`],
  ['PATCH', `/api/v1/tickets/${id}`, { title: 'x' }],
  ['DELETE', `/api/v1/tickets/${id}`],
  ['POST', `/api/v1/tickets/${id}/restore`],
  ['PATCH', `/api/v1/tickets/${id}/status`, { status: 'open' }],
  ['PUT', `/api/v1/tickets/${id}/assignee`, { assigneeId: null }],
  ['GET', `/api/v1/tickets/${id}/comments`],
  ['POST', `/api/v1/tickets/${id}/comments`, { body: 'x' }],
  ['GET', `/api/v1/tickets/${id}/activity`],
  ['GET', '/api/v1/categories'],
  ['POST', '/api/v1/categories', { name: 'x' }],
  ['PATCH', `/api/v1/categories/${id}`, { name: 'x' }],
  ['DELETE', `/api/v1/categories/${id}`],
  ['GET', '/api/v1/groups'],
  ['POST', '/api/v1/groups', { name: 'x', strategy: 'manual' }],
  ['GET', `/api/v1/groups/${id}`],
  ['PATCH', `/api/v1/groups/${id}`, { name: 'x' }],
  ['DELETE', `/api/v1/groups/${id}`],
  ['POST', `/api/v1/groups/${id}/members`, { userId: id }],
  ['DELETE', `/api/v1/groups/${id}/members/${id}`],
  ['PUT', '/api/v1/agents/me/availability', { available: false }],
  ['GET', '/api/v1/jobs/failed'],
  ['POST', `/api/v1/jobs/failed/assignment/${id}/retry`],
  ['GET', '/api/v1/events'],
  ['GET', '/api/v1/webhooks'],
  ['POST', '/api/v1/webhooks', { url: 'https://example.com', events: ['ticket.created'] }],
  ['GET', `/api/v1/webhooks/${id}`],
  ['PATCH', `/api/v1/webhooks/${id}`, { active: false }],
  ['DELETE', `/api/v1/webhooks/${id}`],
  ['GET', `/api/v1/webhooks/${id}/deliveries`],
  ['GET', `/api/v1/webhooks/${id}/deliveries/${id}`],
  ['POST', `/api/v1/webhooks/${id}/deliveries/${id}/replay`],
];

describe('enterprise mode (Keycloak)', () => {
  let t: TestApp;
  let admin: Caller;
  let agent: Caller;
  let alice: Caller;
  let bob: Caller;

  beforeAll(async () => {
    t = await startTestApp();
    [admin, agent, alice, bob] = await Promise.all([
      t.user('admin', `admin-${run}`),
      t.user('agent', `agent-${run}`),
      t.user('requester', `alice-${run}`),
      t.user('requester', `bob-${run}`),
    ]);
  });
  afterAll(() => t?.close());

  describe('GET /auth/me', () => {
    it('returns the caller, provisioned from the token claims', async () => {
      const res = await t.request('GET', '/api/v1/auth/me', { as: alice });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        id: alice.id,
        email: expect.stringMatching(/^alice-.*@example\.com$/),
        name: `alice-${run}`,
        role: 'requester',
        active: true,
        source: 'sso',
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      expect((await t.request('GET', '/api/v1/auth/me', { as: admin })).body).toMatchObject({ id: admin.id, role: 'admin' });
      expect((await t.request('GET', '/api/v1/auth/me', { as: agent })).body).toMatchObject({ id: agent.id, role: 'agent' });
    });

    it('provisions one user per subject, however many tokens', async () => {
      const sub = `carol-${randomUUID()}`;
      const tokens = await Promise.all([1, 2, 3].map(() => t.keycloak.mint({ sub, name: 'Carol', email: `${sub}@example.com` })));
      const results = await Promise.all(tokens.map((token) => t.request('GET', '/api/v1/auth/me', { token })));
      expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
      expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    });
  });

  describe('GET /users', () => {
    it('lists users for staff, filtered by role and q', async () => {
      for (const as of [agent, admin]) {
        const res = await t.request('GET', `/api/v1/users?q=${run}&limit=100`, { as });
        expect(res.status).toBe(200);
        expect(res.body.items.map((u: { id: string }) => u.id).sort()).toEqual([admin.id, agent.id, alice.id, bob.id].sort());
        expect(res.body.nextCursor).toBeNull();
      }
      const agents = await t.request('GET', `/api/v1/users?q=${run}&role=agent`, { as: agent });
      expect(agents.body.items.map((u: { id: string }) => u.id)).toEqual([agent.id]);
      const requesters = await t.request('GET', `/api/v1/users?q=alice-${run}&role=requester&active=true`, { as: agent });
      expect(requesters.body.items).toHaveLength(1);
      expect(requesters.body.items[0]).toMatchObject({ id: alice.id, role: 'requester', source: 'sso' });
      const noMatch = await t.request('GET', `/api/v1/users?q=${encodeURIComponent(`%_${run}`)}`, { as: agent });
      expect(noMatch.body.items).toEqual([]);
    });

    it('pages through users with a cursor', async () => {
      const name = `pager-${run}`;
      const created = await Promise.all([1, 2, 3].map(() => t.user('requester', name)));
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await t.request('GET', `/api/v1/users?q=${name}&limit=1${cursor ? `&cursor=${cursor}` : ''}`, { as: admin });
        expect(res.status).toBe(200);
        seen.push(...res.body.items.map((u: { id: string }) => u.id));
        cursor = res.body.nextCursor;
      } while (cursor && seen.length < 10);
      expect(seen.sort()).toEqual(created.map((c) => c.id).sort());
    });

    it('is 403 for requesters', async () => {
      expectProblem(await t.request('GET', '/api/v1/users', { as: alice }), 403, 'FORBIDDEN');
    });
  });

  describe('GET /users/{id}', () => {
    it('lets a requester read only themselves; anyone else is 404', async () => {
      const self = await t.request('GET', `/api/v1/users/${alice.id}`, { as: alice });
      expect(self.status).toBe(200);
      expect(self.body.id).toBe(alice.id);
      for (const other of [bob.id, agent.id, admin.id, randomUUID()]) {
        expectProblem(await t.request('GET', `/api/v1/users/${other}`, { as: alice }), 404, 'USER_NOT_FOUND');
      }
    });

    it('lets staff read anyone, and answers 404 for unknown ids', async () => {
      for (const as of [agent, admin]) {
        const res = await t.request('GET', `/api/v1/users/${bob.id}`, { as });
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ id: bob.id, role: 'requester' });
      }
      expectProblem(await t.request('GET', `/api/v1/users/${randomUUID()}`, { as: agent }), 404, 'USER_NOT_FOUND');
    });
  });

  describe('PATCH /users/{id}', () => {
    it('is admin only', async () => {
      for (const as of [agent, alice]) {
        expectProblem(await t.request('PATCH', `/api/v1/users/${bob.id}`, { as, body: { active: false } }), 403, 'FORBIDDEN');
      }
      expectProblem(await t.request('PATCH', `/api/v1/users/${alice.id}`, { as: alice, body: { active: true } }), 403);
      const still = await t.request('GET', '/api/v1/auth/me', { as: bob });
      expect(still.body.active).toBe(true);
    });

    it('deactivates a user: their very next request is 403 ACCOUNT_DEACTIVATED, until reactivated', async () => {
      const dave = await t.user('requester', `dave-${run}`);
      expect((await t.request('GET', '/api/v1/tickets', { as: dave })).status).toBe(200);
      const off = await t.request('PATCH', `/api/v1/users/${dave.id}`, { as: admin, body: { active: false } });
      expect(off.status).toBe(200);
      expect(off.body).toMatchObject({ id: dave.id, active: false });
      for (const [method, url, body] of [
        ['GET', '/api/v1/auth/me'],
        ['GET', '/api/v1/tickets'],
        ['POST', '/api/v1/tickets', { title: 'x', description: 'y' }],
      ] as const) {
        expectProblem(await t.request(method, url, { as: dave, body }), 403, 'ACCOUNT_DEACTIVATED');
      }
      // A fresh token for the same subject does not bring the account back.
      const fresh = await t.keycloak.mint({ sub: await subjectOf(dave), name: `dave-${run}` });
      expectProblem(await t.request('GET', '/api/v1/auth/me', { token: fresh }), 403, 'ACCOUNT_DEACTIVATED');
      const listed = await t.request('GET', `/api/v1/users?q=dave-${run}&active=false`, { as: admin });
      expect(listed.body.items.map((u: { id: string }) => u.id)).toEqual([dave.id]);

      const on = await t.request('PATCH', `/api/v1/users/${dave.id}`, { as: admin, body: { active: true } });
      expect(on.body.active).toBe(true);
      expect((await t.request('GET', '/api/v1/auth/me', { as: dave })).status).toBe(200);
    });

    it('refuses to change the role of an SSO user (422), but accepts their current role', async () => {
      const res = await t.request('PATCH', `/api/v1/users/${agent.id}`, { as: admin, body: { role: 'admin' } });
      expectProblem(res, 422, 'ROLE_MANAGED_BY_IDENTITY_PROVIDER');
      const same = await t.request('PATCH', `/api/v1/users/${agent.id}`, { as: admin, body: { role: 'agent' } });
      expect(same.status).toBe(200);
      expect((await t.request('GET', `/api/v1/users/${agent.id}`, { as: admin })).body.role).toBe('agent');
    });

    it('does not let an admin deactivate or demote themselves (422)', async () => {
      expectProblem(
        await t.request('PATCH', `/api/v1/users/${admin.id}`, { as: admin, body: { active: false } }),
        422,
        'CANNOT_CHANGE_OWN_ACCESS',
      );
      expectProblem(
        await t.request('PATCH', `/api/v1/users/${admin.id}`, { as: admin, body: { role: 'agent' } }),
        422,
        'CANNOT_CHANGE_OWN_ACCESS',
      );
      const me = await t.request('GET', '/api/v1/auth/me', { as: admin });
      expect(me.body).toMatchObject({ role: 'admin', active: true });
    });
  });

  describe('authentication', () => {
    it.each(PROTECTED)('%s %s is 401 without a token and with a garbage one', async (method, url, body) => {
      const none = await t.request(method, url, { body });
      expectProblem(none, 401, 'UNAUTHENTICATED');
      const garbage = await t.request(method, url, { body, token: 'not.a.jwt' });
      expectProblem(garbage, 401, 'UNAUTHENTICATED');
      const basic = await t.request(method, url, { body, headers: { authorization: 'Basic YWxpY2U6c2VjcmV0' } });
      expectProblem(basic, 401, 'UNAUTHENTICATED');
    });

    it('refuses expired, foreign, mis-addressed and forged tokens with 401', async () => {
      const sub = `mallory-${randomUUID()}`;
      const tokens = {
        expired: await t.keycloak.mint({ sub, expiresIn: -120 }),
        notYetValid: await t.keycloak.mint({ sub, notBefore: 600 }),
        otherIssuer: await t.keycloak.mint({ sub, iss: 'http://127.0.0.1:1/realms/evil' }),
        otherAudience: await t.keycloak.mint({ sub, aud: 'someone-else', azp: 'someone-else' }),
        unsigned: await t.keycloak.mint({ sub, signWith: 'none' }),
        hmac: await t.keycloak.mint({ sub, signWith: 'hs256' }),
        otherKey: await t.keycloak.mint({ sub, signWith: 'other-key', roles: ['admin'] }),
      };
      for (const [name, token] of Object.entries(tokens)) {
        const res = await t.request('GET', '/api/v1/auth/me', { token });
        expect(res.status, name).toBe(401);
        expectProblem(res, 401, 'UNAUTHENTICATED');
      }
      const valid = await t.keycloak.mint({ sub });
      expect((await t.request('GET', '/api/v1/auth/me', { token: valid })).status).toBe(200);
      expect((await t.request('GET', '/api/v1/auth/me', { token: `${valid}x` })).status).toBe(401);
    });

    it('keeps health, OpenAPI and the docs public', async () => {
      expect((await t.request('GET', '/health/live')).status).toBe(200);
      expect((await t.request('GET', '/openapi.json')).status).toBe(200);
      expect((await t.request('GET', '/docs')).status).toBe(200);
    });

    it('disables register and login (404): people sign in through Keycloak', async () => {
      const register = await t.request('POST', '/api/v1/auth/register', {
        body: { email: `nobody-${run}@example.com`, password: 'long enough password', name: 'Nobody' },
      });
      expectProblem(register, 404, 'NOT_FOUND');
      const login = await t.request('POST', '/api/v1/auth/login', {
        body: { email: `nobody-${run}@example.com`, password: 'long enough password' },
      });
      expectProblem(login, 404, 'NOT_FOUND');
    });
  });

  /** The Keycloak subject behind a caller (test-app names it `<name>-<uuid>` and uses it in the email). */
  async function subjectOf(caller: Caller): Promise<string> {
    const res = await t.request('GET', `/api/v1/users/${caller.id}`, { as: admin });
    return String(res.body.email).replace(/@example\.com$/, '');
  }
});

describe('embedded mode (local accounts)', () => {
  let t: TestApp;
  const adminEmail = `root-${run}@example.com`;
  const adminPassword = `bootstrap-${run}-password`;
  const password = 'correct horse battery staple';

  beforeAll(async () => {
    t = await startTestApp({ OIDC_ISSUER_URL: '', BOOTSTRAP_ADMIN_EMAIL: adminEmail, BOOTSTRAP_ADMIN_PASSWORD: adminPassword });
  });
  afterAll(() => t?.close());

  const register = (email: string, name = 'Ana Souza', pw = password) =>
    t.request('POST', '/api/v1/auth/register', { body: { email, password: pw, name } });
  const login = (email: string, pw = password) => t.request('POST', '/api/v1/auth/login', { body: { email, password: pw } });

  it('registers a requester, normalising the email', async () => {
    const email = `Ana.${run}@Example.com`;
    const res = await register(email, '  Ana Souza ');
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      email: email.toLowerCase(),
      name: 'Ana Souza',
      role: 'requester',
      active: true,
      source: 'local',
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(JSON.stringify(res.body)).not.toContain(password);
  });

  // Regression (fixed): PostgreSQL text cannot hold U+0000 and nothing refuses it earlier, so the insert fails and answers 500
  // (src/adapters/http/users/user.dto.ts RegisterRequest.name).
  it('refuses a NUL character in the name with 400, not 500', async () => {
    const res = await register(`nul-${run}@example.com`, 'Ana\u0000Souza');
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(res.body.errors).toEqual([{ field: 'name', message: expect.any(String) }]);
  });

  it('refuses a duplicate email, whatever its case, with 409', async () => {
    const email = `dup-${run}@example.com`;
    expect((await register(email)).status).toBe(201);
    expectProblem(await register(email), 409, 'EMAIL_TAKEN');
    expectProblem(await register(email.toUpperCase()), 409, 'EMAIL_TAKEN');
    const [a, b] = await Promise.all([register(`race-${run}@example.com`), register(`RACE-${run}@example.com`)]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
  });

  it('logs in with a bearer token that works on /auth/me', async () => {
    const email = `login-${run}@example.com`;
    const created = (await register(email, 'Luis')).body;
    const res = await login(email.toUpperCase());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ accessToken: expect.any(String), tokenType: 'Bearer', expiresIn: 3600 });
    const me = await t.request('GET', '/api/v1/auth/me', { token: res.body.accessToken });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: created.id, email, role: 'requester', source: 'local' });
    const ticket = await t.request('POST', '/api/v1/tickets', {
      token: res.body.accessToken,
      body: { title: 'Local ticket', description: 'Opened with a local token' },
    });
    expect(ticket.status).toBe(201);
    expect(ticket.body.requesterId).toBe(created.id);
  });

  it('answers a wrong password and an unknown email alike: 401 INVALID_CREDENTIALS', async () => {
    const email = `wrong-${run}@example.com`;
    await register(email);
    const wrong = await login(email, 'not the right password');
    expectProblem(wrong, 401, 'INVALID_CREDENTIALS');
    const unknown = await login(`ghost-${run}@example.com`);
    expectProblem(unknown, 401, 'INVALID_CREDENTIALS');
    expect(unknown.body.detail).toBe(wrong.body.detail);
  });

  it('creates the bootstrap admin from BOOTSTRAP_ADMIN_EMAIL/PASSWORD, who can log in and administer', async () => {
    const res = await login(adminEmail, adminPassword);
    expect(res.status).toBe(200);
    const token = res.body.accessToken as string;
    const me = await t.request('GET', '/api/v1/auth/me', { token });
    expect(me.body).toMatchObject({ email: adminEmail, role: 'admin', source: 'local', active: true });
    expect((await t.request('GET', '/api/v1/users', { token })).status).toBe(200);
    const category = await t.request('POST', '/api/v1/categories', { token, body: { name: `Local ${run}` } });
    expect(category.status).toBe(201);
  });

  it('lets the admin change a local user’s role and deactivate them', async () => {
    const adminToken = (await login(adminEmail, adminPassword)).body.accessToken as string;
    const email = `promote-${run}@example.com`;
    const user = (await register(email)).body;
    const token = (await login(email)).body.accessToken as string;
    expectProblem(await t.request('GET', '/api/v1/users', { token }), 403);

    const promoted = await t.request('PATCH', `/api/v1/users/${user.id}`, { token: adminToken, body: { role: 'agent' } });
    expect(promoted.status).toBe(200);
    expect(promoted.body).toMatchObject({ role: 'agent', source: 'local' });
    // The role is read from the database, so the token issued before the change acts as an agent now.
    expect((await t.request('GET', '/api/v1/users', { token })).status).toBe(200);

    const off = await t.request('PATCH', `/api/v1/users/${user.id}`, { token: adminToken, body: { active: false } });
    expect(off.body.active).toBe(false);
    expectProblem(await t.request('GET', '/api/v1/auth/me', { token }), 403, 'ACCOUNT_DEACTIVATED');
    expectProblem(await login(email), 403, 'ACCOUNT_DEACTIVATED');
  });

  it('refuses Keycloak-stub tokens and tampered local tokens with 401', async () => {
    const foreign = await t.keycloak.mint({ sub: randomUUID(), roles: ['admin'] });
    expectProblem(await t.request('GET', '/api/v1/auth/me', { token: foreign }), 401, 'UNAUTHENTICATED');
    const email = `tamper-${run}@example.com`;
    await register(email);
    const token = (await login(email)).body.accessToken as string;
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: randomUUID(), role: 'admin' })).toString('base64url');
    expectProblem(await t.request('GET', '/api/v1/auth/me', { token: `${header}.${forged}.${signature}` }), 401);
    expectProblem(await t.request('GET', '/api/v1/auth/me'), 401, 'UNAUTHENTICATED');
  });
});
