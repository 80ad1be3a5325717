import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecognitionProcessor } from '../../src/adapters/queue/processors/recognition.processor.js';
import type { EventJobData } from '../../src/adapters/queue/queues.js';
import { periodStart } from '../../src/core/recognition/read-recognition.use-case.js';
import { startTestApp, type Caller, type TestApp } from '../support/test-app.js';
import { until } from '../support/until.js';
import { expectInvalid, expectProblem } from './support/problem.js';

// SLA_TARGET_DIVISOR=60: a target minute lasts a second. High: first response 2 min → 2 s... see TARGETS.
const ALL_DAYS = [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, start: '00:00', end: '24:00' }));
const target = (firstResponseMinutes: number, resolutionMinutes: number) => ({ firstResponseMinutes, resolutionMinutes });
// Critical breaches its first response in 2 s; the others leave minutes (at divisor 60) to meet their targets.
const TARGETS = { critical: target(2, 600), high: target(600, 1200), medium: target(600, 1200), low: target(600, 1200) };

interface Entry {
  id: string;
  points: number;
  reason: string;
  rule: string;
  eventId: string;
  ticketId: string | null;
  at: string;
}

let t: TestApp;
let admin: Caller;
let requester: Caller;
let categoryId: string;

beforeAll(async () => {
  t = await startTestApp({ SLA_TARGET_DIVISOR: '60', OUTBOX_POLL_MS: '50' });
  [admin, requester] = await Promise.all([t.user('admin'), t.user('requester')]);
  const category = await t.request('POST', '/api/v1/categories', { as: admin, body: { name: `Recognition ${randomUUID()}` } });
  categoryId = category.body.id;
  const policy = await t.request('POST', '/api/v1/sla-policies', {
    as: admin,
    body: {
      name: `Recognition ${randomUUID()}`,
      targets: TARGETS,
      calendar: { timeZone: 'UTC', weeklyHours: ALL_DAYS, holidays: [] },
      categoryIds: [categoryId],
    },
  });
  expect(policy.status, JSON.stringify(policy.body)).toBe(201);
});
afterAll(() => t?.close());

const db = () => t.app.get(DataSource);
const open = async (severity = 'medium', urgency = 'medium') => {
  const res = await t.request('POST', '/api/v1/tickets', {
    as: requester,
    body: { title: 'Laptop will not boot', description: 'Black screen', severity, urgency, categoryId },
  });
  expect(res.status).toBe(201);
  // The SLA worker starts the clocks.
  await until(() => ticket(res.body.id), (x) => x.sla !== null, 10_000);
  return res.body.id as string;
};
const ticket = async (id: string) => (await t.request('GET', `/api/v1/tickets/${id}`, { as: admin })).body;
const assign = async (id: string, to: Caller) =>
  expect((await t.request('PUT', `/api/v1/tickets/${id}/assignee`, { as: admin, body: { assigneeId: to.id } })).status).toBe(200);
const status = async (id: string, to: string, as: Caller) => {
  const res = await t.request('PATCH', `/api/v1/tickets/${id}/status`, { as, body: { status: to } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
};
const ledger = async (agent: Caller, as: Caller = agent, query = ''): Promise<{ points: number; level: string; items: Entry[]; nextCursor: string | null }> => {
  const res = await t.request('GET', `/api/v1/agents/${agent.id}/points${query}`, { as });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
};
const rules = async (agent: Caller) => (await ledger(agent)).items.map((e) => `${e.rule}:${e.points}`).sort();
const waitForRules = (agent: Caller, expected: string[]) =>
  until(() => rules(agent), (r) => JSON.stringify(r) === JSON.stringify([...expected].sort()), 15_000);
const leaderboard = async (period: string, as: Caller = admin) => {
  const res = await t.request('GET', `/api/v1/leaderboard?period=${period}`, { as });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
};
const me = async (as: Caller) => (await t.request('GET', '/api/v1/auth/me', { as })).body;
const ledgerSum = async (agentId: string) =>
  Number((await db().query(`SELECT coalesce(sum(points), 0) AS s FROM agent_points WHERE agent_id = $1`, [agentId]))[0].s);

describe('recognition over the pipeline', () => {
  it('awards a response and a resolution within SLA and a 5-star rating; a reopen takes the resolution back', async () => {
    const [ana, ben] = await Promise.all([t.user('agent', 'ana'), t.user('agent', 'ben')]);
    const id = await open();
    await assign(id, ana);
    expect((await t.request('POST', `/api/v1/tickets/${id}/comments`, { as: ana, body: { body: 'On it' } })).status).toBe(201);
    await status(id, 'resolved', ana);
    expect((await t.request('POST', `/api/v1/tickets/${id}/satisfaction`, { as: requester, body: { rating: 5 } })).status).toBe(201);
    expect(await waitForRules(ana, ['first_response_within_sla:5', 'resolved_within_sla:10', 'rating_5:5'])).toEqual(
      ['first_response_within_sla:5', 'rating_5:5', 'resolved_within_sla:10'],
    );
    const page = await ledger(ana);
    expect(page.points).toBe(20);
    expect(page.level).toBe('Novice');
    for (const entry of page.items) {
      expect(entry).toEqual({
        id: expect.any(String),
        points: expect.any(Number),
        reason: expect.stringContaining('#'),
        rule: expect.any(String),
        eventId: expect.any(String),
        ticketId: id,
        at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      });
    }
    expect(await me(ana)).toMatchObject({ id: ana.id, points: 20, level: 'Novice' });
    const all = await leaderboard('all');
    expect(all.items.find((i: { agentId: string }) => i.agentId === ana.id)).toMatchObject({ name: 'ana', points: 20, level: 'Novice' });
    expect((await leaderboard('week')).items.find((i: { agentId: string }) => i.agentId === ana.id).points).toBe(20);

    // The requester reopens: −8 and the resolution award taken back. Ben takes it over and resolves it in time.
    await status(id, 'open', requester);
    await waitForRules(ana, ['first_response_within_sla:5', 'resolved_within_sla:10', 'rating_5:5', 'reopened:-8', 'resolution_taken_back:-10']);
    await assign(id, ben);
    await status(id, 'resolved', ben);
    expect(await waitForRules(ben, ['resolved_within_sla:10'])).toEqual(['resolved_within_sla:10']);
    expect((await ledger(ana)).points).toBe(2);
    expect(await ledgerSum(ana.id)).toBe(2);
    expect((await me(ben)).points).toBe(10);
    expect(await ledgerSum(ben.id)).toBe(10);
    const taken = (await ledger(ana)).items.find((e) => e.rule === 'resolution_taken_back')!;
    expect(taken.reason).toMatch(/taken back/);
  });

  it('penalises the assignee of a breached ticket and a 1-star rating', async () => {
    const cleo = await t.user('agent', 'cleo');
    const id = await open('critical', 'high');
    await assign(id, cleo);
    await waitForRules(cleo, ['sla_breached:-5']);
    await status(id, 'resolved', cleo);
    expect((await t.request('POST', `/api/v1/tickets/${id}/satisfaction`, { as: requester, body: { rating: 1 } })).status).toBe(201);
    // Breached first response, then resolved within the resolution target (the first-response fulfilment is late).
    expect(await waitForRules(cleo, ['sla_breached:-5', 'resolved_within_sla:10', 'rating_1:-5'])).toEqual(
      ['rating_1:-5', 'resolved_within_sla:10', 'sla_breached:-5'],
    );
    expect((await me(cleo)).points).toBe(0);
  });

  it('a replayed or retried job never awards twice', async () => {
    const dan = await t.user('agent', 'dan');
    const id = await open();
    await assign(id, dan);
    await status(id, 'resolved', dan);
    expect((await t.request('POST', `/api/v1/tickets/${id}/satisfaction`, { as: requester, body: { rating: 4 } })).status).toBe(201);
    await waitForRules(dan, ['resolved_within_sla:10', 'rating_4:2']);
    const events: { id: string; type: string; aggregate_id: string; actor_id: string | null; payload: Record<string, unknown>; occurred_at: Date }[] =
      await db().query(`SELECT * FROM outbox WHERE aggregate_id = $1 AND type IN ('ticket.rated', 'sla.fulfilled') ORDER BY occurred_at`, [id]);
    expect(events.length).toBeGreaterThanOrEqual(2);
    const processor = t.app.get(RecognitionProcessor);
    for (const e of events) {
      const job: EventJobData = {
        id: e.id,
        type: e.type,
        aggregateId: e.aggregate_id,
        actorId: e.actor_id,
        occurredAt: e.occurred_at.toISOString(),
        payload: e.payload,
      };
      // The job once more, and then twice at the same time: nothing new is recorded.
      expect(await processor.process(job)).toEqual({ awarded: 0 });
      expect(await Promise.all([processor.process(job), processor.process(job)])).toEqual([{ awarded: 0 }, { awarded: 0 }]);
    }
    expect(await rules(dan)).toEqual(['rating_4:2', 'resolved_within_sla:10']);
    expect((await me(dan)).points).toBe(12);
    expect(await ledgerSum(dan.id)).toBe(12);
  });
});

describe('ledger pages and leaderboard periods', () => {
  /** Awards `rating_N` through the worker's processor as if a rating event of `at` had been relayed. */
  const rated = async (agent: Caller, ticketId: string, rating: number, at: Date) =>
    t.app.get(RecognitionProcessor).process({
      id: randomUUID(),
      type: 'ticket.rated',
      aggregateId: ticketId,
      actorId: requester.id,
      occurredAt: at.toISOString(),
      payload: { ticket: { id: ticketId, number: 1, assigneeId: agent.id }, rating: { rating, assigneeId: agent.id } },
    });

  it('pages a ledger newest first with nextCursor, every entry once', async () => {
    const eve = await t.user('agent', 'eve');
    const id = await open();
    const base = Date.now() - 3_600_000;
    // 23 entries, some sharing an instant: the id breaks the tie.
    for (let i = 0; i < 23; i++) await rated(eve, id, 5, new Date(base + Math.floor(i / 2) * 1000));
    const seen: Entry[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await ledger(eve, eve, `?limit=5${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(5);
      seen.push(...page.items);
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(5);
    expect(seen).toHaveLength(23);
    expect(new Set(seen.map((e) => e.id)).size).toBe(23);
    const order = seen.map((e) => [Date.parse(e.at), e.id] as const);
    const sorted = [...order].sort((a, b) => b[0] - a[0] || (a[1] < b[1] ? 1 : -1));
    expect(order).toEqual(sorted);
    expect((await ledger(eve, admin)).points).toBe(115);
    expect((await ledger(eve, admin, '?limit=100')).items).toHaveLength(23);
  });

  it('sums each period from its start (week: Monday 00:00 UTC, month: the 1st), ranks, and all = the ledger', async () => {
    const [fay, gus] = await Promise.all([t.user('agent', 'fay'), t.user('agent', 'gus')]);
    const id = await open();
    const now = new Date();
    const week = periodStart('week', now)!;
    const month = periodStart('month', now)!;
    const times = [new Date(week.getTime()), new Date(week.getTime() - 1), new Date(month.getTime() - 1), new Date(now.getTime() - 400 * 86_400_000)];
    for (const at of times) await rated(fay, id, 5, at); // +5 each
    await rated(gus, id, 4, now); // +2
    const sumSince = (since: Date | null) => times.filter((at) => !since || at >= since).length * 5;
    type Row = { agentId: string; rank: number; points: number; level: string };
    const row = (board: { items: Row[] }, agent: Caller) => board.items.find((i) => i.agentId === agent.id)!;
    const [w, m, a] = await Promise.all([leaderboard('week'), leaderboard('month'), leaderboard('all')]);
    expect(w.from).toBe(week.toISOString());
    expect(m.from).toBe(month.toISOString());
    expect(a.from).toBeNull();
    expect(row(w, fay).points).toBe(sumSince(week));
    expect(row(m, fay).points).toBe(sumSince(month));
    expect(row(a, fay).points).toBe(20);
    expect(row(a, fay).points).toBe(await ledgerSum(fay.id));
    expect(row(a, fay).points).toBe((await me(fay)).points);
    expect(row(w, gus).points).toBe(2);
    // The same figures straight from the ledger's rows.
    const rawSince = async (agent: Caller, since: Date) =>
      Number((await db().query(`SELECT coalesce(sum(points), 0) AS s FROM agent_points WHERE agent_id = $1 AND at >= $2`, [agent.id, since]))[0].s);
    expect(row(w, fay).points).toBe(await rawSince(fay, week));
    expect(row(m, fay).points).toBe(await rawSince(fay, month));
    for (const board of [w, m, a]) {
      const points = board.items.map((i: { points: number }) => i.points);
      expect(points).toEqual([...points].sort((x, y) => y - x));
      board.items.forEach((item: { rank: number; points: number }, i: number) => {
        const expected = i === 0 || item.points !== board.items[i - 1].points ? i + 1 : board.items[i - 1].rank;
        expect(item.rank).toBe(expected);
      });
      expect(board.items.some((i: { agentId: string }) => i.agentId === requester.id)).toBe(false);
      expect(board.items.some((i: { agentId: string }) => i.agentId === admin.id)).toBe(true);
    }
  });
});

describe('who may read what, and bad input', () => {
  it('leaderboard: staff only (requester 403); an unknown period is 400', async () => {
    const agent = await t.user('agent');
    expect((await t.request('GET', '/api/v1/leaderboard', { as: agent })).body.period).toBe('all');
    expectProblem(await t.request('GET', '/api/v1/leaderboard?period=week', { as: requester }), 403);
    expectProblem(await t.request('GET', '/api/v1/leaderboard', { as: requester }), 403);
    for (const query of ['period=year', 'period=WEEK', 'period=', 'period=week&period=month', 'period[]=week', 'top=3']) {
      expectProblem(await t.request('GET', `/api/v1/leaderboard?${query}`, { as: agent }), 400);
    }
    expectInvalid(await t.request('GET', '/api/v1/leaderboard?period=year', { as: agent }), ['period']);
    expectProblem(await t.request('GET', '/api/v1/leaderboard'), 401);
  });

  it('ledger: the agent themselves and admins; another agent and requesters 403; bad id, cursor or limit 400', async () => {
    const [hal, ivy] = await Promise.all([t.user('agent', 'hal'), t.user('agent', 'ivy')]);
    expect((await ledger(hal)).items).toEqual([]);
    expect(await ledger(hal, admin)).toEqual({ agentId: hal.id, points: 0, level: 'Novice', items: [], nextCursor: null });
    expectProblem(await t.request('GET', `/api/v1/agents/${hal.id}/points`, { as: ivy }), 403, 'LEDGER_FORBIDDEN');
    expectProblem(await t.request('GET', `/api/v1/agents/${randomUUID()}/points`, { as: ivy }), 403, 'LEDGER_FORBIDDEN');
    expectProblem(await t.request('GET', `/api/v1/agents/${hal.id}/points`, { as: requester }), 403, 'LEDGER_FORBIDDEN');
    expectProblem(await t.request('GET', `/api/v1/agents/${requester.id}/points`, { as: requester }), 403, 'LEDGER_FORBIDDEN');
    expectProblem(await t.request('GET', `/api/v1/agents/${randomUUID()}/points`, { as: admin }), 404, 'USER_NOT_FOUND');
    expectProblem(await t.request('GET', `/api/v1/agents/${hal.id}/points`), 401);
    expectInvalid(await t.request('GET', '/api/v1/agents/not-a-uuid/points', { as: admin }), ['id']);
    const month13 = Buffer.from(JSON.stringify(['2026-13-01 00:00:00+00', randomUUID()])).toString('base64url');
    const wrongShape = Buffer.from(JSON.stringify(['x', 1, 2])).toString('base64url');
    for (const cursor of ['garbage', wrongShape, month13, Buffer.from('[]').toString('base64url')]) {
      expectInvalid(await t.request('GET', `/api/v1/agents/${hal.id}/points?cursor=${cursor}`, { as: hal }), ['cursor'], 'INVALID_INPUT');
    }
    expectInvalid(await t.request('GET', `/api/v1/agents/${hal.id}/points?cursor=${'x'.repeat(501)}`, { as: hal }), ['cursor']);
    for (const limit of ['0', '101', 'abc', '-1', '1.5']) {
      expectInvalid(await t.request('GET', `/api/v1/agents/${hal.id}/points?limit=${limit}`, { as: hal }), ['limit']);
    }
    expectProblem(await t.request('GET', `/api/v1/agents/${hal.id}/points?sort=at`, { as: hal }), 400);
  });

  it('/auth/me: points and level for staff only; the rules in force for staff', async () => {
    expect(await me(requester)).not.toHaveProperty('points');
    expect(await me(requester)).not.toHaveProperty('level');
    expect(await me(admin)).toMatchObject({ points: expect.any(Number), level: expect.any(String) });
    const res = await t.request('GET', '/api/v1/recognition/rules', { as: admin });
    expect(res.status).toBe(200);
    expect(res.body.rules).toMatchObject({ resolved_within_sla: 10, first_response_within_sla: 5, rating_5: 5, rating_4: 2, rating_1: -5, reopened: -8, sla_breached: -5 });
    expect(res.body.levels[0]).toEqual({ name: 'Novice', minPoints: 0 });
    expectProblem(await t.request('GET', '/api/v1/recognition/rules', { as: requester }), 403);
  });
});
