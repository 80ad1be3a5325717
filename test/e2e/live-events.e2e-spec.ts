import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchDatabase, testRedisPrefix, testRedisUrl } from '../support/database.js';
import { startTestApp, type Caller, type TestApp } from '../support/test-app.js';
import { until } from '../support/until.js';

interface SseEvent {
  event: string;
  id?: string;
  data: { id: string; type: string; aggregateId: string; payload: Record<string, unknown> };
}

/** An open GET /api/v1/events over a real socket, collecting the parsed events. */
function listen(base: string, token: string | null): Promise<{ status: number; events: SseEvent[]; close(): void; response: IncomingMessage }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}/api/v1/events`, { headers: token ? { authorization: `Bearer ${token}` } : {} }, (res) => {
      const events: SseEvent[] = [];
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = Object.fromEntries(block.split('\n').map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]));
          if (fields['data'] && fields['event'] !== 'ping') events.push({ event: fields['event'], id: fields['id'], data: JSON.parse(fields['data']) });
        }
      });
      resolve({ status: res.statusCode ?? 0, events, close: () => req.destroy(), response: res });
    });
    req.on('error', (error) => (error.message.includes('socket hang up') ? undefined : reject(error)));
    req.end();
  });
}

/** Resolves once `n` API instances' subscribers are on the live channel of `prefix` (a stream then hears everything). */
async function subscribedOn(prefix: string, n: number): Promise<void> {
  const redis = new Redis(testRedisUrl());
  try {
    await until(async () => Number(((await redis.pubsub('NUMSUB', `${prefix}:live-events`)) as [string, number])[1]), (c) => c >= n, 10_000);
  } finally {
    redis.disconnect();
  }
}

describe('GET /events (Server-Sent Events through Redis pub/sub)', () => {
  let t: TestApp;
  let base: string;
  let alice: Caller;
  let bob: Caller;
  let agent: Caller;

  const prefix = `${testRedisPrefix()}-live-${randomUUID().slice(0, 8)}`;
  const subscribed = (n: number) => subscribedOn(prefix, n);

  beforeAll(async () => {
    t = await startTestApp({ OUTBOX_POLL_MS: '50', QUEUE_PREFIX: prefix });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    alice = await t.user('requester', 'alice');
    bob = await t.user('requester', 'bob');
    agent = await t.user('agent');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('needs a token', async () => {
    const anonymous = await listen(base, null);
    expect(anonymous.status).toBe(401);
    anonymous.close();
  });

  it('streams what each caller may see: requesters their own tickets and public replies only; staff everything', async () => {
    const [a, b, staff] = await Promise.all([listen(base, alice.token), listen(base, bob.token), listen(base, agent.token)]);
    try {
      expect([a.status, b.status, staff.status]).toEqual([200, 200, 200]);
      expect(String(a.response.headers['content-type'])).toContain('text/event-stream');
      await subscribed(1);

      const created = await t.request('POST', '/api/v1/tickets', { as: alice, body: { title: 'Live', description: 'Stream me' } });
      const id = created.body.id;
      await t.request('POST', `/api/v1/tickets/${id}/comments`, { as: agent, body: { body: 'internal: check the logs', internal: true } });
      await t.request('POST', `/api/v1/tickets/${id}/comments`, { as: agent, body: { body: 'On it', internal: false } });

      const forTicket = (s: { events: SseEvent[] }) => s.events.filter((e) => e.data.aggregateId === id);
      await until(async () => forTicket(staff), (e) => e.length >= 3, 10_000);
      await until(async () => forTicket(a), (e) => e.length >= 2, 10_000);
      // Nothing more is on its way: later tickets of each requester arrive after everything above (one relay,
      // one ordered channel), so once they are in, whatever was going to arrive for the first ticket has.
      const [later, bobs] = await Promise.all([
        t.request('POST', '/api/v1/tickets', { as: alice, body: { title: 'Later', description: 'x' } }),
        t.request('POST', '/api/v1/tickets', { as: bob, body: { title: 'Bob', description: 'x' } }),
      ]);
      const has = (s: { events: SseEvent[] }, ticket: string) => s.events.some((e) => e.data.aggregateId === ticket);
      await until(async () => has(a, later.body.id) && has(staff, later.body.id) && has(b, bobs.body.id), Boolean, 10_000);

      expect(forTicket(staff).map((e) => [e.event, (e.data.payload['comment'] as { internal: boolean } | undefined)?.internal])).toEqual([
        ['ticket.created', undefined],
        ['comment.created', true],
        ['comment.created', false],
      ]);
      expect(forTicket(a).map((e) => [e.event, (e.data.payload['comment'] as { internal: boolean } | undefined)?.internal])).toEqual([
        ['ticket.created', undefined],
        ['comment.created', false],
      ]);
      expect(forTicket(a)[0]!.id).toBe(forTicket(a)[0]!.data.id);
      expect(forTicket(b)).toEqual([]);
    } finally {
      for (const s of [a, b, staff]) s.close();
    }
  });
});

describe("a user's streams end on every instance when an admin deactivates or demotes them", () => {
  let a: TestApp;
  let b: TestApp;
  let db: Awaited<ReturnType<typeof createScratchDatabase>>;
  let baseB: string;
  let adminToken: string;
  let alice: { id: string; token: string };
  const prefix = `${testRedisPrefix()}-revoke-${randomUUID().slice(0, 8)}`;
  const password = 'correct horse battery staple';

  /** A local account (embedded mode: roles are Tessera's to change), signed in on A. */
  async function account(role: 'requester' | 'agent'): Promise<{ id: string; token: string }> {
    const email = `${role}-${randomUUID()}@example.com`;
    const created = await a.request('POST', '/api/v1/auth/register', { body: { email, password, name: role } });
    expect(created.status).toBe(201);
    if (role !== 'requester') {
      expect((await a.request('PATCH', `/api/v1/users/${created.body.id}`, { token: adminToken, body: { role } })).status).toBe(200);
    }
    const login = await a.request('POST', '/api/v1/auth/login', { body: { email, password } });
    expect(login.status).toBe(200);
    return { id: created.body.id, token: login.body.accessToken };
  }

  beforeAll(async () => {
    db = await createScratchDatabase();
    // Two replicas of one installation: one database (and signing key), one Redis prefix. A runs the workers.
    const env = { OIDC_ISSUER_URL: '', QUEUE_PREFIX: prefix, BOOTSTRAP_ADMIN_EMAIL: 'root@example.com', BOOTSTRAP_ADMIN_PASSWORD: password };
    a = await startTestApp({ ...env, OUTBOX_POLL_MS: '50' }, { databaseUrl: db.url });
    b = await startTestApp(env, { databaseUrl: db.url, workers: false });
    await b.app.listen(0, '127.0.0.1');
    baseB = `http://127.0.0.1:${(b.app.getHttpServer().address() as AddressInfo).port}`;
    adminToken = (await a.request('POST', '/api/v1/auth/login', { body: { email: 'root@example.com', password } })).body.accessToken;
    alice = await account('requester');
    await subscribedOn(prefix, 2);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await db?.drop();
  });

  const ended = (s: { response: IncomingMessage }) =>
    new Promise<void>((resolve) => (s.response.complete || s.response.readableEnded ? resolve() : s.response.once('end', resolve)));

  it.each([
    ['deactivated', { active: false }, 403],
    ['demoted to requester', { role: 'requester' }, 200],
  ])('an agent %s on instance A loses the stream open on instance B; other streams go on', async (_name, change, reconnect) => {
    const agent = await account('agent');
    const [agentStream, aliceStream] = await Promise.all([listen(baseB, agent.token), listen(baseB, alice.token)]);
    try {
      expect([agentStream.status, aliceStream.status]).toEqual([200, 200]);
      const first = await a.request('POST', '/api/v1/tickets', { token: alice.token, body: { title: 'Before', description: 'x' } });
      await until(async () => agentStream.events.some((e) => e.data.aggregateId === first.body.id), Boolean, 10_000);

      expect((await a.request('PATCH', `/api/v1/users/${agent.id}`, { token: adminToken, body: change })).status).toBe(200);
      await ended(agentStream);

      const after = await a.request('POST', '/api/v1/tickets', { token: alice.token, body: { title: 'After', description: 'x' } });
      await until(async () => aliceStream.events.some((e) => e.data.aggregateId === after.body.id), Boolean, 10_000);
      expect(agentStream.events.some((e) => e.data.aggregateId === after.body.id)).toBe(false);
      // A new stream is authorised with the new rights: refused when deactivated, a requester's when demoted.
      const again = await listen(baseB, agent.token);
      again.close();
      expect(again.status).toBe(reconnect);
    } finally {
      agentStream.close();
      aliceStream.close();
    }
  });
});
