import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

describe('GET /events (Server-Sent Events through Redis pub/sub)', () => {
  let t: TestApp;
  let base: string;
  let alice: Caller;
  let bob: Caller;
  let agent: Caller;

  beforeAll(async () => {
    t = await startTestApp({ OUTBOX_POLL_MS: '50' });
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
      await new Promise((r) => setTimeout(r, 200)); // subscriptions are in place

      const created = await t.request('POST', '/api/v1/tickets', { as: alice, body: { title: 'Live', description: 'Stream me' } });
      const id = created.body.id;
      await t.request('POST', `/api/v1/tickets/${id}/comments`, { as: agent, body: { body: 'internal: check the logs', internal: true } });
      await t.request('POST', `/api/v1/tickets/${id}/comments`, { as: agent, body: { body: 'On it', internal: false } });

      const forTicket = (s: { events: SseEvent[] }) => s.events.filter((e) => e.data.aggregateId === id);
      await until(async () => forTicket(staff), (e) => e.length >= 3, 10_000);
      await until(async () => forTicket(a), (e) => e.length >= 2, 10_000);
      await new Promise((r) => setTimeout(r, 300));

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
