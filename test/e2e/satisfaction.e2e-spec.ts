import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type Caller, type TestApp } from '../support/test-app.js';
import { until } from '../support/until.js';
import { startWebhookReceiver } from '../support/webhook-receiver.js';
import { expectInvalid, expectProblem } from './support/problem.js';

let t: TestApp;
let admin: Caller;
let agent: Caller;
let alice: Caller;
let bob: Caller;

let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  t = await startTestApp({ OUTBOX_POLL_MS: '50', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' });
  [admin, agent, alice, bob] = await Promise.all([
    t.user('admin'),
    t.user('agent'),
    t.user('requester', 'alice'),
    t.user('requester', 'bob'),
  ]);
});
afterAll(async () => {
  await t?.close();
  await receiver?.close();
});

const open = async (as: Caller = alice) => {
  const res = await t.request('POST', '/api/v1/tickets', { as, body: { title: 'VPN drops', description: 'Every ten minutes' } });
  expect(res.status).toBe(201);
  return res.body.id as string;
};
const status = async (id: string, to: string, as: Caller = agent) => {
  const res = await t.request('PATCH', `/api/v1/tickets/${id}/status`, { as, body: { status: to } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
};
const resolved = async () => {
  const id = await open();
  await status(id, 'resolved');
  return id;
};
const rate = (id: string, body: unknown, as: Caller = alice) => t.request('POST', `/api/v1/tickets/${id}/satisfaction`, { as, body });
const ticket = async (id: string, as: Caller = alice) => (await t.request('GET', `/api/v1/tickets/${id}`, { as })).body;
const outbox = (id: string): Promise<{ type: string; payload: Record<string, any> }[]> => // eslint-disable-line @typescript-eslint/no-explicit-any
  t.app.get(DataSource).query(`SELECT type, payload FROM outbox WHERE aggregate_id = $1 AND type = 'ticket.rated' ORDER BY occurred_at`, [id]);

describe('POST /api/v1/tickets/{id}/satisfaction', () => {
  it('a new ticket carries satisfaction: null in create, read and list', async () => {
    const created = await t.request('POST', '/api/v1/tickets', { as: alice, body: { title: 'A', description: 'B' } });
    expect(created.body.satisfaction).toBeNull();
    expect((await ticket(created.body.id)).satisfaction).toBeNull();
    const list = await t.request('GET', '/api/v1/tickets?limit=100', { as: alice });
    const row = list.body.items.find((x: { id: string }) => x.id === created.body.id);
    expect(row).toHaveProperty('satisfaction', null);
  });

  it('rates a resolved ticket: 201, shown on the ticket, logged, and announced as ticket.rated', async () => {
    const id = await resolved();
    expect((await ticket(id)).satisfaction).toBeNull(); // read (and cached) before the rating
    const res = await rate(id, { rating: 5, comment: '  Quick and friendly  ' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.headers.location).toBe(`/api/v1/tickets/${id}`);
    expect(res.body).toEqual({
      ticketId: id,
      rating: 5,
      comment: 'Quick and friendly',
      ratedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      resolutionAt: (await ticket(id)).resolvedAt,
    });
    const shown = { rating: 5, comment: 'Quick and friendly', ratedAt: res.body.ratedAt };
    expect((await ticket(id)).satisfaction).toEqual(shown);
    expect((await ticket(id, agent)).satisfaction).toEqual(shown);
    const list = await t.request('GET', `/api/v1/tickets?requesterId=${alice.id}&limit=100`, { as: agent });
    expect(list.body.items.find((x: { id: string }) => x.id === id).satisfaction).toEqual(shown);

    const activity = (await t.request('GET', `/api/v1/tickets/${id}/activity`, { as: alice })).body;
    expect(activity.at(-1)).toMatchObject({
      type: 'rated',
      actorId: alice.id,
      field: 'satisfaction',
      to: { rating: 5, comment: 'Quick and friendly' },
    });
    const events = await outbox(id);
    expect(events).toHaveLength(1);
    expect(events[0]!.payload).toMatchObject({
      ticket: { id, status: 'resolved', requesterId: alice.id, priority: expect.any(String) },
      rating: { rating: 5, comment: 'Quick and friendly', hasComment: true, assigneeId: null },
    });
  });

  it('one rating per resolution: a second is 409 until the ticket is reopened and resolved again', async () => {
    const id = await resolved();
    expect((await rate(id, { rating: 2 })).status).toBe(201);
    expectProblem(await rate(id, { rating: 4 }), 409, 'ALREADY_RATED');
    await status(id, 'open', alice); // the requester reopens
    expect((await ticket(id)).satisfaction).toMatchObject({ rating: 2 }); // the latest rating stays shown
    expectProblem(await rate(id, { rating: 4 }), 409, 'TICKET_NOT_RESOLVED');
    await status(id, 'resolved');
    const second = await rate(id, { rating: 4 });
    expect(second.status).toBe(201);
    expect((await ticket(id)).satisfaction).toEqual({ rating: 4, comment: null, ratedAt: second.body.ratedAt });
    expectProblem(await rate(id, { rating: 5 }), 409, 'ALREADY_RATED');
    expect((await outbox(id)).map((e) => e.payload.rating.rating)).toEqual([2, 4]);
  });

  it('a closed ticket can be rated (resolved then closed, or closed straight away), once', async () => {
    const id = await resolved();
    await status(id, 'closed', alice);
    expect((await rate(id, { rating: 3 })).status).toBe(201);
    expectProblem(await rate(id, { rating: 3 }), 409, 'ALREADY_RATED');
    const direct = await open();
    await status(direct, 'closed');
    expect((await rate(direct, { rating: 1, comment: 'Closed without a fix' })).status).toBe(201);
    expect((await ticket(direct)).satisfaction).toMatchObject({ rating: 1, comment: 'Closed without a fix' });
    // Rating a resolved ticket then closing it keeps one rating for that resolution.
    const later = await resolved();
    expect((await rate(later, { rating: 5 })).status).toBe(201);
    await status(later, 'closed');
    expectProblem(await rate(later, { rating: 4 }), 409, 'ALREADY_RATED');
  });

  it('a ticket not yet resolved is 409', async () => {
    const id = await open();
    expectProblem(await rate(id, { rating: 5 }), 409, 'TICKET_NOT_RESOLVED');
    await status(id, 'in_progress');
    expectProblem(await rate(id, { rating: 5 }), 409, 'TICKET_NOT_RESOLVED');
  });

  it("someone else's ticket, a missing or a deleted one is 404; staff cannot rate (403)", async () => {
    const id = await resolved();
    expectProblem(await rate(id, { rating: 5 }, bob), 404, 'TICKET_NOT_FOUND');
    expectProblem(await rate(randomUUID(), { rating: 5 }), 404, 'TICKET_NOT_FOUND');
    expectProblem(await rate(id, { rating: 5 }, agent), 403, 'RATING_FORBIDDEN');
    expectProblem(await rate(id, { rating: 5 }, admin), 403, 'RATING_FORBIDDEN');
    expectProblem(await rate(randomUUID(), { rating: 5 }, agent), 403, 'RATING_FORBIDDEN');
    expect((await t.request('DELETE', `/api/v1/tickets/${id}`, { as: admin })).status).toBe(204);
    expectProblem(await rate(id, { rating: 5 }), 404, 'TICKET_NOT_FOUND');
    expectProblem(await t.request('POST', `/api/v1/tickets/${id}/satisfaction`, { body: { rating: 5 } }), 401);
    expect((await outbox(id))).toEqual([]);
  });

  it('refuses anything but an integer rating 1–5 and a comment of at most 2,000 characters (400, never 500)', async () => {
    const id = await resolved();
    for (const body of [
      { rating: 3.5 },
      { rating: '5' },
      {},
      { rating: null },
      { rating: 0 },
      { rating: 6 },
      { rating: -1 },
      { rating: true },
      { rating: [5] },
      { rating: 1e308 },
    ]) {
      expectInvalid(await rate(id, body), ['rating']);
    }
    expectInvalid(await rate(id, { rating: 5, comment: 'x'.repeat(2001) }), ['comment']);
    expectInvalid(await rate(id, { rating: 5, comment: 42 }), ['comment']);
    expectInvalid(await rate(id, { rating: 5, comment: 'a\u0000b' }), ['comment']);
    expectInvalid(await rate(id, { rating: 5, stars: 5 }), ['stars']);
    expectProblem(await rate(id, [5]), 400);
    expectProblem(await rate(id, 'five'), 400);
    expectProblem(await t.request('POST', `/api/v1/tickets/${id}/satisfaction`, { as: alice, rawBody: '{"rating":' }), 400);
    expectInvalid(await rate('not-a-uuid', { rating: 5 }), ['id']);
    expect((await ticket(id)).satisfaction).toBeNull();
    // 2,000 characters exactly is fine, and so is no comment, an empty one or null.
    expect((await rate(id, { rating: 4, comment: 'y'.repeat(2000) })).status).toBe(201);
    const other = await resolved();
    expect((await rate(other, { rating: 4, comment: null })).status).toBe(201);
    expect((await ticket(other)).satisfaction).toMatchObject({ comment: null });
  });

  it('two racing ratings of one resolution: exactly one wins', async () => {
    const id = await resolved();
    const results = await Promise.all([1, 2, 3, 4].map((rating) => rate(id, { rating })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
    expect(await outbox(id)).toHaveLength(1);
  });

  it('ticket.rated reaches a webhook subscribed to it', async () => {
    const hook = await t.request('POST', '/api/v1/webhooks', { as: admin, body: { url: receiver.url, events: ['ticket.rated'] } });
    expect(hook.status, JSON.stringify(hook.body)).toBe(201);
    const id = await resolved();
    expect((await rate(id, { rating: 4, comment: 'Good' })).status).toBe(201);
    const delivered = await until(
      async () => receiver.payloads().filter((p) => p.type === 'ticket.rated' && p.data.ticket?.id === id),
      (list) => list.length > 0,
      10_000,
    );
    expect(delivered).toHaveLength(1);
    expect(delivered[0]!.data).toMatchObject({ ticket: { id, requesterId: alice.id }, rating: { rating: 4, comment: 'Good', hasComment: true } });
  });
});
