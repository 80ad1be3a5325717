import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type Caller, type TestApp } from '../support/test-app.js';
import { expectInvalid, expectProblem } from './support/problem.js';

const today = () => new Date().toISOString().slice(0, 10);

describe('Analytics API', () => {
  let t: TestApp;
  let admin: Caller;
  let agent: Caller;
  let otherAgent: Caller;
  let requester: Caller;

  beforeAll(async () => {
    // No answer cache: each poll below sees the rollups as they are.
    t = await startTestApp({ OUTBOX_POLL_MS: '50', ANALYTICS_CACHE_MS: '0' });
    admin = await t.user('admin');
    agent = await t.user('agent', 'Ana Agent');
    otherAgent = await t.user('agent', 'Otto Agent');
    requester = await t.user('requester');
  });
  afterAll(async () => {
    await t?.close();
  });

  const get = (url: string, as: Caller) => t.request('GET', url, { as });
  const open = async (body: Record<string, unknown> = {}) => {
    const res = await t.request('POST', '/api/v1/tickets', {
      as: requester,
      body: { title: 'Printer jam', description: 'Tray empty', severity: 'high', urgency: 'high', ...body },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string };
  };

  it('answers the documented shape, every day of the range listed, tz echoed', async () => {
    const res = await get('/api/v1/analytics/dashboard?from=2026-11-01&to=2026-11-03&tz=Europe/Madrid', admin);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({
      from: '2026-11-01',
      to: '2026-11-03',
      timeZone: 'Europe/Madrid',
      totals: { created: 0, resolved: 0, reopened: 0, open: 0, slaBreached: 0 },
      backlog: expect.objectContaining({ byStatus: expect.any(Object), byPriority: expect.any(Object) }),
      perDay: ['2026-11-01', '2026-11-02', '2026-11-03'].map((date) => ({ date, created: 0, resolved: 0 })),
      firstResponse: { count: 0, averageMinutes: 0, medianMinutes: 0, p90Minutes: 0 },
      resolution: { count: 0, averageMinutes: 0, medianMinutes: 0, p90Minutes: 0 },
      sla: {
        firstResponse: { met: 0, breached: 0, compliance: 1 },
        resolution: { met: 0, breached: 0, compliance: 1 },
      },
      reopenRate: 0,
      satisfaction: { count: 0, average: null, distribution: { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 } },
    });
    expect(Object.keys(res.body.backlog.byStatus).sort()).toEqual(['in_progress', 'new', 'open', 'pending']);
    expect(Object.keys(res.body.backlog.byPriority).sort()).toEqual(['critical', 'high', 'low', 'medium']);
  });

  it('defaults to the 30 days ending today in UTC', async () => {
    const res = await get('/api/v1/analytics/dashboard', agent);
    expect(res.status).toBe(200);
    expect(res.body.to).toBe(today());
    expect(res.body.perDay).toHaveLength(30);
    expect(res.body.timeZone).toBe('UTC');
  });

  it('a new ticket, its assignment, resolution and reopen reach the figures within 5 s each', async () => {
    const { id } = await open();
    const url = `/api/v1/analytics/dashboard?from=${today()}&to=${today()}&priority=critical`;
    await expect.poll(async () => (await get(url, admin)).body.totals.created, { timeout: 5000, interval: 100 }).toBe(1);
    const assigned = await t.request('PUT', `/api/v1/tickets/${id}/assignee`, { as: admin, body: { assigneeId: agent.id } });
    expect(assigned.status, JSON.stringify(assigned.body)).toBe(200);
    const mine = `/api/v1/analytics/agents/${agent.id}?from=${today()}&to=${today()}`;
    await expect.poll(async () => (await get(mine, agent)).body.assigned, { timeout: 5000, interval: 100 }).toBe(1);
    expect((await get(mine, agent)).body).toMatchObject({ agentId: agent.id, name: 'Ana Agent', open: 1, resolved: 0 });

    expect((await t.request('PATCH', `/api/v1/tickets/${id}/status`, { as: agent, body: { status: 'resolved' } })).status).toBe(200);
    await expect.poll(async () => (await get(url, admin)).body.totals.resolved, { timeout: 5000, interval: 100 }).toBe(1);
    const resolved = (await get(url, admin)).body;
    expect(resolved.totals).toMatchObject({ created: 1, resolved: 1, open: 0 });
    expect(resolved.resolution.count).toBe(1);
    expect(resolved.resolution.averageMinutes).toBeGreaterThan(0);
    expect((await get(mine, agent)).body).toMatchObject({ resolved: 1, open: 0 });

    // The requester rates the resolution: satisfaction, and the rating's recognition points on the agent's row.
    const rated = await t.request('POST', `/api/v1/tickets/${id}/satisfaction`, { as: requester, body: { rating: 4 } });
    expect(rated.status, JSON.stringify(rated.body)).toBe(201);
    await expect.poll(async () => (await get(url, admin)).body.satisfaction, { timeout: 5000, interval: 100 }).toEqual({
      count: 1,
      average: 4,
      distribution: { '1': 0, '2': 0, '3': 0, '4': 1, '5': 0 },
    });
    await expect.poll(async () => (await get(mine, agent)).body.satisfaction.count, { timeout: 5000, interval: 100 }).toBe(1);
    await expect.poll(async () => (await get(mine, agent)).body.points, { timeout: 5000, interval: 100 }).toBeGreaterThan(0);
    const me = (await get('/api/v1/auth/me', agent)).body;
    expect((await get(mine, agent)).body).toMatchObject({ points: me.points, level: me.level });

    // The requester reopens: not resolved any more, counted as reopened, open again.
    expect((await t.request('PATCH', `/api/v1/tickets/${id}/status`, { as: requester, body: { status: 'open' } })).status).toBe(200);
    await expect.poll(async () => (await get(url, admin)).body.totals, { timeout: 5000, interval: 100 }).toMatchObject({
      created: 1,
      resolved: 0,
      reopened: 1,
      open: 1,
    });
    const backlog = (await get(url, admin)).body.backlog;
    expect(backlog.byStatus.open).toBe(1);
    expect(backlog.byAssignee).toEqual([{ agentId: agent.id, name: 'Ana Agent', count: 1 }]);

    // The rollups keep "any group / any category" under the all-ones uuid: sent as a filter, in any case, it names
    // no group or category, so it matches nothing.
    for (const any of ['ffffffff-ffff-ffff-ffff-ffffffffffff', 'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF']) {
      for (const key of ['groupId', 'categoryId']) {
        const none = await get(`${url}&${key}=${any}`, admin);
        expect(none.status).toBe(200);
        expect(none.body.totals, `${key}=${any}`).toMatchObject({ created: 0, open: 0 });
        expect(none.body.backlog.byStatus.open, `${key}=${any}`).toBe(0);
        expect(none.body.perDay[0].created, `${key}=${any}`).toBe(0);
      }
    }
  });

  it('the team view lists every agent, for admins', async () => {
    const res = await get(`/api/v1/analytics/agents?from=${today()}&to=${today()}`, admin);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const ids = res.body.items.map((i: { agentId: string }) => i.agentId);
    expect(ids).toEqual(expect.arrayContaining([agent.id, otherAgent.id]));
    const other = res.body.items.find((i: { agentId: string }) => i.agentId === otherAgent.id);
    expect(other).toEqual({
      agentId: otherAgent.id,
      name: 'Otto Agent',
      assigned: 0,
      resolved: 0,
      open: 0,
      firstResponse: { count: 0, averageMinutes: 0, medianMinutes: 0, p90Minutes: 0 },
      resolution: { count: 0, averageMinutes: 0, medianMinutes: 0, p90Minutes: 0 },
      sla: { firstResponse: { met: 0, breached: 0, compliance: 1 }, resolution: { met: 0, breached: 0, compliance: 1 } },
      satisfaction: { count: 0, average: null, distribution: { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 } },
      points: 0,
      level: 'Novice',
    });
  });

  it('requesters get 403 everywhere; an agent reads only their own figures; the team view is for admins', async () => {
    for (const url of ['/api/v1/analytics/dashboard', '/api/v1/analytics/agents', `/api/v1/analytics/agents/${agent.id}`]) {
      expectProblem(await get(url, requester), 403, 'ANALYTICS_FORBIDDEN');
    }
    expectProblem(await get(`/api/v1/analytics/agents/${otherAgent.id}`, agent), 403, 'ANALYTICS_FORBIDDEN');
    expectProblem(await get('/api/v1/analytics/agents', agent), 403, 'ANALYTICS_FORBIDDEN');
    expect((await get(`/api/v1/analytics/agents/${otherAgent.id}`, admin)).status).toBe(200);
    expectProblem(await t.request('GET', '/api/v1/analytics/dashboard'), 401);
  });

  it('unknown agents and groups are 404', async () => {
    expectProblem(await get(`/api/v1/analytics/agents/${randomUUID()}`, admin), 404, 'AGENT_NOT_FOUND');
    expectProblem(await get(`/api/v1/analytics/agents/${requester.id}`, admin), 404, 'AGENT_NOT_FOUND');
    expectProblem(await get(`/api/v1/analytics/agents?groupId=${randomUUID()}`, admin), 404);
  });

  it('bad input is a 400 problem naming the field', async () => {
    const cases: [string, string][] = [
      ['from=2026-13-01', 'from'],
      ['from=2026-02-30', 'from'],
      ['from=yesterday', 'from'],
      ['to=2026-11-01T00:00:00Z', 'to'],
      ['from=2026-11-02&to=2026-11-01', 'from'],
      ['from=2025-01-01&to=2026-02-05', 'to'],
      ['tz=Mars/Olympus', 'tz'],
      ['tz=', 'tz'],
    ];
    for (const [query, field] of cases) {
      for (const path of ['dashboard', 'agents', `agents/${agent.id}`]) {
        const res = await get(`/api/v1/analytics/${path}?${query}`, admin);
        expect(res.status, `${path}?${query}: ${JSON.stringify(res.body)}`).toBe(400);
        expectInvalid(res, [field], res.body.code);
      }
    }
    expectInvalid(await get('/api/v1/analytics/dashboard?groupId=nope', admin), ['groupId']);
    expectInvalid(await get('/api/v1/analytics/dashboard?categoryId=1', admin), ['categoryId']);
    expectInvalid(await get('/api/v1/analytics/dashboard?priority=urgent', admin), ['priority']);
    expectInvalid(await get('/api/v1/analytics/dashboard?from=2026-01-01&from=2026-01-02', admin), ['from']);
    expectInvalid(await get('/api/v1/analytics/dashboard?limit=5', admin), ['limit']);
    expectInvalid(await get('/api/v1/analytics/agents/123', admin), ['id']);
    // Exactly 400 days is allowed.
    expect((await get('/api/v1/analytics/dashboard?from=2025-01-01&to=2026-02-04', admin)).status).toBe(200);
  });
});
