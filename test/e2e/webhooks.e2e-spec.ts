import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifySignature } from '../../src/core/webhooks/webhook-signature.js';
import { startTestApp, type Caller, type TestApp } from '../support/test-app.js';
import { until } from '../support/until.js';
import { startWebhookReceiver, type ReceivedRequest } from '../support/webhook-receiver.js';
import { expectProblem } from './support/problem.js';

describe('webhooks (private targets allowed, as in development)', () => {
  let t: TestApp;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let admin: Caller;
  let agent: Caller;
  let requester: Caller;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    t = await startTestApp({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true', OUTBOX_POLL_MS: '50', JOB_BACKOFF_MS: '50', JOB_ATTEMPTS: '4' });
    admin = await t.user('admin');
    agent = await t.user('agent');
    requester = await t.user('requester');
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
  });

  const forTicket = (ticketId: string, type: string) =>
    receiver.received.filter((r) => {
      const body = JSON.parse(r.body);
      return body.type === type && body.data?.ticket?.id === ticketId;
    });
  const newTicket = async () =>
    (await t.request('POST', '/api/v1/tickets', { as: requester, body: { title: 'Webhook me', description: 'Please' } })).body.id as string;

  it('delivers signed events the receiver can verify, and shows each delivery with its attempts', async () => {
    const created = await t.request('POST', '/api/v1/webhooks', {
      as: admin,
      body: { url: receiver.url, events: ['ticket.created', 'ticket.status_changed'], description: 'CI' },
    });
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^whsec_/);
    expect(created.body.secretHint).toBe(created.body.secret.slice(-4));
    const secret: string = created.body.secret;
    const hook = created.body.id;
    expect((await t.request('GET', `/api/v1/webhooks/${hook}`, { as: admin })).body.secret).toBeUndefined();

    const ticketId = await newTicket();
    const [got] = (await until(async () => forTicket(ticketId, 'ticket.created'), (r) => r.length > 0, 10_000)) as ReceivedRequest[];
    expect(got).toBeDefined();
    expect(got!.headers['tessera-event']).toBe('ticket.created');
    expect(got!.headers['content-type']).toBe('application/json');
    expect(verifySignature(secret, got!.body, String(got!.headers['tessera-signature']), new Date())).toBe(true);
    expect(verifySignature('whsec_wrong-secret-value', got!.body, String(got!.headers['tessera-signature']), new Date())).toBe(false);
    const body = JSON.parse(got!.body);
    expect(body).toMatchObject({ type: 'ticket.created', data: { ticket: { id: ticketId, status: 'new' } } });

    const deliveryId = String(got!.headers['tessera-delivery']);
    const detail = await until(
      () => t.request('GET', `/api/v1/webhooks/${hook}/deliveries/${deliveryId}`, { as: admin }),
      (r) => r.body.status === 'succeeded',
    );
    expect(detail.body).toMatchObject({ id: deliveryId, eventType: 'ticket.created', status: 'succeeded', attempts: 1, body: got!.body });
    expect(detail.body.attemptLog).toEqual([expect.objectContaining({ attempt: 1, ok: true, statusCode: 200, error: null, responseBody: 'thanks' })]);
    const list = await t.request('GET', `/api/v1/webhooks/${hook}/deliveries?limit=100`, { as: admin });
    expect(list.body.items.map((d: { id: string }) => d.id)).toContain(deliveryId);

    // Events the webhook did not subscribe to are not sent.
    await t.request('POST', `/api/v1/tickets/${ticketId}/comments`, { as: requester, body: { body: 'hello' } });
    const moved = await t.request('PATCH', `/api/v1/tickets/${ticketId}/status`, { as: agent, body: { status: 'open' } });
    expect(moved.status).toBe(200);
    await until(async () => forTicket(ticketId, 'ticket.status_changed'), (r) => r.length > 0, 10_000);
    expect(receiver.received.some((r) => JSON.parse(r.body).type === 'comment.created')).toBe(false);

    // Replay: the same body and delivery id, a fresh signature, one more attempt.
    const replayed = await t.request('POST', `/api/v1/webhooks/${hook}/deliveries/${deliveryId}/replay`, { as: admin });
    expect(replayed.status).toBe(202);
    const again = await until(async () => forTicket(ticketId, 'ticket.created'), (r) => r.length === 2, 10_000);
    expect(again[1]!.body).toBe(got!.body);
    expect(again[1]!.headers['tessera-delivery']).toBe(deliveryId);
    const afterReplay = await until(
      () => t.request('GET', `/api/v1/webhooks/${hook}/deliveries/${deliveryId}`, { as: admin }),
      (r) => r.body.attempts === 2,
    );
    expect(afterReplay.body.attemptLog).toHaveLength(2);
    expect((await t.request('DELETE', `/api/v1/webhooks/${hook}`, { as: admin })).status).toBe(204);
  });

  it('retries a failing receiver with backoff, recording every attempt, until it answers 2xx', async () => {
    const hook = (await t.request('POST', '/api/v1/webhooks', { as: admin, body: { url: receiver.url, events: ['ticket.created'] } })).body
      .id;
    receiver.nextStatuses.push(500, 503);
    const ticketId = await newTicket();
    await until(async () => forTicket(ticketId, 'ticket.created'), (r) => r.length === 3, 15_000);
    const page = await t.request('GET', `/api/v1/webhooks/${hook}/deliveries`, { as: admin });
    const deliveryId = page.body.items.find((d: { body: string }) => JSON.parse(d.body).data.ticket.id === ticketId).id;
    const detail = await until(
      () => t.request('GET', `/api/v1/webhooks/${hook}/deliveries/${deliveryId}`, { as: admin }),
      (r) => r.body.status === 'succeeded',
    );
    expect(detail.body.attemptLog.map((a: { statusCode: number; ok: boolean; error: string | null }) => [a.statusCode, a.ok, a.error])).toEqual([
      [500, false, 'HTTP 500'],
      [503, false, 'HTTP 503'],
      [200, true, null],
    ]);
    await t.request('DELETE', `/api/v1/webhooks/${hook}`, { as: admin });
  });

  it('admins only; bad input is a 400 naming the field; unknown ids 404', async () => {
    expectProblem(await t.request('GET', '/api/v1/webhooks', { as: agent }), 403);
    expectProblem(await t.request('POST', '/api/v1/webhooks', { as: agent, body: { url: receiver.url, events: ['ticket.created'] } }), 403);
    for (const [body, field] of [
      [{ url: receiver.url, events: ['ticket.exploded'] }, 'events'],
      [{ url: receiver.url, events: [] }, 'events'],
      [{ url: 'ftp://example.com/x', events: ['ticket.created'] }, 'url'],
      [{ url: 'https://user:pw@example.com/x', events: ['ticket.created'] }, 'url'],
      [{ url: receiver.url, events: ['ticket.created'], secret: 'short' }, 'secret'],
      [{ url: receiver.url, events: ['ticket.created'], extra: 1 }, 'extra'],
    ] as const) {
      const res = await t.request('POST', '/api/v1/webhooks', { as: admin, body });
      expectProblem(res, 400);
      expect(res.body.errors.map((e: { field: string }) => e.field), JSON.stringify(body)).toContain(field);
    }
    const missing = '00000000-0000-4000-8000-000000000000';
    expectProblem(await t.request('GET', `/api/v1/webhooks/${missing}`, { as: admin }), 404, 'WEBHOOK_NOT_FOUND');
    const hook = (await t.request('POST', '/api/v1/webhooks', { as: admin, body: { url: receiver.url, events: ['sla.breached'] } })).body.id;
    expectProblem(await t.request('GET', `/api/v1/webhooks/${hook}/deliveries/${missing}`, { as: admin }), 404, 'DELIVERY_NOT_FOUND');
    expectProblem(await t.request('GET', `/api/v1/webhooks/${hook}/deliveries?cursor=forged`, { as: admin }), 400);
    const rotated = await t.request('PATCH', `/api/v1/webhooks/${hook}`, { as: admin, body: { secret: 'a-new-secret-of-enough-length', active: false } });
    expect(rotated.body).toMatchObject({ secret: 'a-new-secret-of-enough-length', secretHint: 'ngth', active: false });
  });
});

describe('webhooks (default: private targets refused)', () => {
  let t: TestApp;
  let admin: Caller;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.user('admin');
  });
  afterAll(async () => {
    await t?.close();
  });

  it.each([
    ['loopback', 'http://127.0.0.1:8080/hook'],
    ['localhost', 'http://localhost/hook'],
    ['cloud metadata (link-local)', 'http://169.254.169.254/latest/meta-data'],
    ['private network', 'https://10.1.2.3/hook'],
    ['IPv4-mapped loopback', 'http://[::ffff:127.0.0.1]/hook'],
  ])('refuses a %s target with 422', async (_what, url) => {
    const res = await t.request('POST', '/api/v1/webhooks', { as: admin, body: { url, events: ['ticket.created'] } });
    expectProblem(res, 422, 'WEBHOOK_TARGET_REFUSED');
    expect(res.body.errors[0].field).toBe('url');
  });
});
