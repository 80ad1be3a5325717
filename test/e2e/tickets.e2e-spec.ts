import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type Caller, type TestApp } from '../support/test-app.js';

let t: TestApp;
let admin: Caller;
let agent: Caller;
let alice: Caller;
let bob: Caller;

beforeAll(async () => {
  t = await startTestApp();
  [admin, agent, alice, bob] = await Promise.all([
    t.user('admin'),
    t.user('agent'),
    t.user('requester', 'alice'),
    t.user('requester', 'bob'),
  ]);
});
afterAll(() => t?.close());

const open = async (as: Caller, body: Record<string, unknown> = {}) => {
  const res = await t.request('POST', '/api/v1/tickets', {
    as,
    body: { title: 'VPN drops', description: 'Every ten minutes the VPN disconnects', ...body },
  });
  expect(res.status).toBe(201);
  return res.body;
};

describe('creating tickets', () => {
  it('returns 201 with Location, ETag and a matrix-derived priority', async () => {
    const res = await t.request('POST', '/api/v1/tickets', {
      as: alice,
      body: { title: '  Printer offline ', description: 'Floor 3 printer', severity: 'critical', urgency: 'high', tags: ['printer', 'printer'] },
    });
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`/api/v1/tickets/${res.body.id}`);
    expect(res.headers.etag).toBe('"1"');
    expect(res.body).toMatchObject({
      title: 'Printer offline',
      status: 'new',
      priority: 'critical',
      priorityReason: { source: 'matrix', severity: 'critical', urgency: 'high' },
      requesterId: alice.id,
      tags: ['printer'],
      version: 1,
    });
    expect(res.body.number).toBeGreaterThanOrEqual(1000);
  });

  it('derives low priority from low severity and low urgency', async () => {
    expect((await open(alice, { severity: 'low', urgency: 'low' })).priority).toBe('low');
  });

  it('forbids a requester from setting priority or opening for someone else', async () => {
    const priority = await t.request('POST', '/api/v1/tickets', {
      as: alice,
      body: { title: 'x', description: 'y', priority: 'critical' },
    });
    expect(priority.status).toBe(403);
    expect(priority.headers['content-type']).toContain('application/problem+json');
    const behalf = await t.request('POST', '/api/v1/tickets', {
      as: alice,
      body: { title: 'x', description: 'y', requesterId: bob.id },
    });
    expect(behalf.status).toBe(403);
  });

  it('lets an agent open on behalf of a requester with an explicit priority, recorded as an override', async () => {
    const ticket = await open(agent, { requesterId: bob.id, priority: 'high', severity: 'low', urgency: 'low' });
    expect(ticket.requesterId).toBe(bob.id);
    expect(ticket.priority).toBe('high');
    expect(ticket.priorityReason).toMatchObject({ source: 'override', by: agent.id });
    const asBob = await t.request('GET', `/api/v1/tickets/${ticket.id}`, { as: bob });
    expect(asBob.status).toBe(200);
  });

  it('replays an Idempotency-Key with the same body and refuses it with another body', async () => {
    const key = `key-${Date.now()}`;
    const body = { title: 'Idempotent', description: 'Created once' };
    const results = await Promise.all(
      [1, 2, 3].map(() => t.request('POST', '/api/v1/tickets', { as: alice, body, headers: { 'idempotency-key': key } })),
    );
    expect(results.map((r) => r.status)).toEqual([201, 201, 201]);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    const other = await t.request('POST', '/api/v1/tickets', {
      as: alice,
      body: { ...body, title: 'Different' },
      headers: { 'idempotency-key': key },
    });
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const mine = await t.request('GET', '/api/v1/tickets?q=Idempotent&includeTotal=true', { as: alice });
    expect(mine.body.total).toBe(1);
  });

  it('replays the first result even after the ticket changed', async () => {
    const key = `key-changed-${Date.now()}`;
    const body = { title: 'Replay me', description: 'As first created' };
    const first = await t.request('POST', '/api/v1/tickets', { as: alice, body, headers: { 'idempotency-key': key } });
    await t.request('PATCH', `/api/v1/tickets/${first.body.id}`, { as: agent, body: { title: 'Renamed since' } });
    const replay = await t.request('POST', '/api/v1/tickets', { as: alice, body, headers: { 'idempotency-key': key } });
    expect(replay.status).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(first.body);
  });
});

describe('representation', () => {
  it('lists a ticket exactly as it reads alone', async () => {
    const tag = `repr-${Date.now()}`;
    const ticket = await open(agent, { requesterId: bob.id, priority: 'high', tags: [tag, 'second'], severity: 'low' });
    await t.request('PATCH', `/api/v1/tickets/${ticket.id}/status`, { as: agent, body: { status: 'resolved' } });
    await t.request('PUT', `/api/v1/tickets/${ticket.id}/assignee`, { as: agent, body: { assigneeId: agent.id } });
    const plain = await open(alice, { tags: [tag] });
    const alone = await t.request('GET', `/api/v1/tickets/${ticket.id}`, { as: agent });
    const plainAlone = await t.request('GET', `/api/v1/tickets/${plain.id}`, { as: agent });
    const listed = await t.request('GET', `/api/v1/tickets?tag=${tag}&sort=createdAt`, { as: agent });
    expect(listed.body.items).toEqual([alone.body, plainAlone.body]);
  });
});

describe('visibility', () => {
  it('hides another requester’s ticket as 404, in reads, lists and writes', async () => {
    const ticket = await open(alice);
    for (const [method, url, body] of [
      ['GET', `/api/v1/tickets/${ticket.id}`, undefined],
      ['GET', `/api/v1/tickets/${ticket.id}/comments`, undefined],
      ['GET', `/api/v1/tickets/${ticket.id}/activity`, undefined],
      ['POST', `/api/v1/tickets/${ticket.id}/comments`, { body: 'me too' }],
      ['PATCH', `/api/v1/tickets/${ticket.id}`, { title: 'mine now' }],
      ['PATCH', `/api/v1/tickets/${ticket.id}/status`, { status: 'closed' }],
    ] as const) {
      const res = await t.request(method, url, { as: bob, body });
      expect(res.status, `${method} ${url}`).toBe(404);
    }
    const list = await t.request('GET', `/api/v1/tickets?requesterId=${alice.id}`, { as: bob });
    expect(list.body.items).toEqual([]);
    const own = await t.request('GET', '/api/v1/tickets?limit=100', { as: bob });
    expect(own.body.items.every((i: { requesterId: string }) => i.requesterId === bob.id)).toBe(true);
  });

  it('never shows internal notes to the requester, in comments or activity', async () => {
    const ticket = await open(alice);
    const note = await t.request('POST', `/api/v1/tickets/${ticket.id}/comments`, {
      as: agent,
      body: { body: 'Internal: user is on the old client', internal: true },
    });
    expect(note.status).toBe(201);
    await t.request('POST', `/api/v1/tickets/${ticket.id}/comments`, { as: agent, body: { body: 'Please update' } });
    const asAlice = await t.request('GET', `/api/v1/tickets/${ticket.id}/comments`, { as: alice });
    expect(asAlice.body.map((c: { body: string }) => c.body)).toEqual(['Please update']);
    const activity = await t.request('GET', `/api/v1/tickets/${ticket.id}/activity`, { as: alice });
    expect(activity.body.filter((a: { type: string }) => a.type === 'commented')).toHaveLength(1);
    expect(JSON.stringify(activity.body)).not.toContain(note.body.id);
    const asAgent = await t.request('GET', `/api/v1/tickets/${ticket.id}/comments`, { as: agent });
    expect(asAgent.body).toHaveLength(2);
  });

  it('forbids requesters from writing internal notes', async () => {
    const ticket = await open(alice);
    const res = await t.request('POST', `/api/v1/tickets/${ticket.id}/comments`, {
      as: alice,
      body: { body: 'secret', internal: true },
    });
    expect(res.status).toBe(403);
  });
});

describe('status workflow', () => {
  it('follows the workflow and names the allowed next states on a 409', async () => {
    const ticket = await open(alice);
    const go = (as: Caller, status: string) =>
      t.request('PATCH', `/api/v1/tickets/${ticket.id}/status`, { as, body: { status } });
    expect((await go(agent, 'in_progress')).status).toBe(200);
    const resolved = await go(agent, 'resolved');
    expect(resolved.body.resolvedAt).not.toBeNull();
    const illegal = await go(agent, 'pending');
    expect(illegal.status).toBe(409);
    expect(illegal.body).toMatchObject({ code: 'ILLEGAL_STATUS_TRANSITION', allowed: ['open', 'closed'] });
    const reopened = await go(alice, 'open');
    expect(reopened.status).toBe(200);
    expect(reopened.body.resolvedAt).toBeNull();
    expect((await go(alice, 'in_progress')).status).toBe(403);
    const closed = await go(alice, 'closed');
    expect(closed.body.closedAt).not.toBeNull();
    const final = await go(admin, 'open');
    expect(final.status).toBe(409);
    expect(final.body.allowed).toEqual([]);
    const activity = await t.request('GET', `/api/v1/tickets/${ticket.id}/activity`, { as: agent });
    expect(activity.body.filter((a: { type: string }) => a.type === 'status_changed').map((a: { to: string }) => a.to)).toEqual(
      ['in_progress', 'resolved', 'open', 'closed'],
    );
  });

  it('serialises two agents racing: exactly one of two conflicting changes wins, none is lost', async () => {
    const ticket = await open(alice);
    const [a, b] = await Promise.all([
      t.request('PATCH', `/api/v1/tickets/${ticket.id}/status`, { as: agent, body: { status: 'resolved' } }),
      t.request('PATCH', `/api/v1/tickets/${ticket.id}/status`, { as: admin, body: { status: 'pending' } }),
    ]);
    const final = await t.request('GET', `/api/v1/tickets/${ticket.id}`, { as: agent });
    const activity = await t.request('GET', `/api/v1/tickets/${ticket.id}/activity`, { as: agent });
    const changes = activity.body.filter((x: { type: string }) => x.type === 'status_changed');
    // Either order is legal (new→resolved→… is illegal for pending, pending→resolved is legal).
    expect([a.status, b.status].filter((s) => s === 200).length).toBeGreaterThanOrEqual(1);
    expect(changes).toHaveLength([a, b].filter((r) => r.status === 200).length);
    expect(final.body.version).toBe(1 + changes.length);
    expect(final.body.status).toBe(changes.at(-1).to);
  });

  it('applies 20 concurrent status changes one at a time with no lost version', async () => {
    const ticket = await open(alice);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.request('PATCH', `/api/v1/tickets/${ticket.id}/status`, { as: agent, body: { status: i % 2 ? 'pending' : 'in_progress' } }),
      ),
    );
    const ok = results.filter((r) => r.status === 200).length;
    expect(results.every((r) => r.status === 200 || r.status === 409)).toBe(true);
    const final = await t.request('GET', `/api/v1/tickets/${ticket.id}`, { as: agent });
    expect(final.body.version).toBe(1 + ok);
  });
});

describe('editing', () => {
  it('honours If-Match and returns a new ETag', async () => {
    const ticket = await open(alice);
    const got = await t.request('GET', `/api/v1/tickets/${ticket.id}`, { as: agent });
    const etag = String(got.headers.etag);
    const first = await t.request('PATCH', `/api/v1/tickets/${ticket.id}`, {
      as: agent,
      headers: { 'if-match': etag },
      body: { urgency: 'high', severity: 'high' },
    });
    expect(first.status).toBe(200);
    expect(first.headers.etag).toBe('"2"');
    expect(first.body.priority).toBe('critical');
    const stale = await t.request('PATCH', `/api/v1/tickets/${ticket.id}`, {
      as: agent,
      headers: { 'if-match': etag },
      body: { title: 'Lost update' },
    });
    expect(stale.status).toBe(412);
    expect(stale.body.code).toBe('VERSION_MISMATCH');
  });

  it('keeps a priority override until it is cleared, then recomputes from the matrix', async () => {
    const ticket = await open(alice, { severity: 'low', urgency: 'low' });
    const url = `/api/v1/tickets/${ticket.id}`;
    const override = await t.request('PATCH', url, { as: agent, body: { priority: 'critical' } });
    expect(override.body.priorityReason).toMatchObject({ source: 'override', by: agent.id });
    const severity = await t.request('PATCH', url, { as: agent, body: { severity: 'high' } });
    expect(severity.body.priority).toBe('critical');
    const cleared = await t.request('PATCH', url, { as: agent, body: { priority: null } });
    expect(cleared.body.priority).toBe('medium');
    expect(cleared.body.priorityReason).toEqual({ source: 'matrix', severity: 'high', urgency: 'low' });
    const activity = await t.request('GET', `${url}/activity`, { as: agent });
    const priorityChanges = activity.body.filter((a: { field: string }) => a.field === 'priority');
    expect(priorityChanges.map((a: { from: string; to: string }) => [a.from, a.to])).toEqual([
      ['low', 'critical'],
      ['critical', 'medium'],
    ]);
  });

  it('lets requesters edit only title, description and tags', async () => {
    const ticket = await open(alice);
    const url = `/api/v1/tickets/${ticket.id}`;
    expect((await t.request('PATCH', url, { as: alice, body: { title: 'Better title' } })).status).toBe(200);
    expect((await t.request('PATCH', url, { as: alice, body: { priority: 'critical' } })).status).toBe(403);
    expect((await t.request('PATCH', url, { as: alice, body: { severity: 'critical' } })).status).toBe(403);
    expect((await t.request('PUT', `${url}/assignee`, { as: alice, body: { assigneeId: agent.id } })).status).toBe(403);
  });
});

describe('assignment and deletion', () => {
  it('assigns to active staff only and logs it', async () => {
    const ticket = await open(alice);
    const url = `/api/v1/tickets/${ticket.id}/assignee`;
    expect((await t.request('PUT', url, { as: agent, body: { assigneeId: bob.id } })).status).toBe(422);
    const ok = await t.request('PUT', url, { as: agent, body: { assigneeId: agent.id } });
    expect(ok.body.assigneeId).toBe(agent.id);
    const list = await t.request('GET', `/api/v1/tickets?assigneeId=${agent.id}&limit=100`, { as: agent });
    expect(list.body.items.map((i: { id: string }) => i.id)).toContain(ticket.id);
    const unassigned = await t.request('PUT', url, { as: agent, body: { assigneeId: null } });
    expect(unassigned.body.assigneeId).toBeNull();
  });

  it('soft-deletes (admin only), hides from lists and reads, and restores', async () => {
    const ticket = await open(alice, { title: 'Deletable zebra' });
    const url = `/api/v1/tickets/${ticket.id}`;
    expect((await t.request('DELETE', url, { as: agent })).status).toBe(403);
    expect((await t.request('DELETE', url, { as: admin })).status).toBe(204);
    expect((await t.request('GET', url, { as: alice })).status).toBe(404);
    expect((await t.request('GET', url, { as: agent })).status).toBe(404);
    const search = await t.request('GET', '/api/v1/tickets?q=zebra', { as: admin });
    expect(search.body.items).toEqual([]);
    const restored = await t.request('POST', `${url}/restore`, { as: admin });
    expect(restored.status).toBe(200);
    expect((await t.request('GET', url, { as: alice })).status).toBe(200);
    const activity = await t.request('GET', `${url}/activity`, { as: admin });
    expect(activity.body.map((a: { type: string }) => a.type)).toEqual(['created', 'deleted', 'restored']);
  });
});
