import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProducerQueues } from '../../src/adapters/queue/producer-queues.js';
import { startTestApp, type Caller, type TestApp } from '../support/test-app.js';
import { until } from '../support/until.js';
import { startWebhookReceiver } from '../support/webhook-receiver.js';
import { expectInvalid, expectProblem } from './support/problem.js';

// SLA_TARGET_DIVISOR=60: the clocks count each target minute as a second, so at-risk points and breaches happen
// within seconds. The sweep stays at its 60 s default: what the worker detects here, its timers detected.
const DAY = 86_400_000;
const ALL_DAYS = [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, start: '00:00', end: '24:00' }));
const target = (firstResponseMinutes: number, resolutionMinutes: number) => ({ firstResponseMinutes, resolutionMinutes });
const TARGETS = { critical: target(3, 6), high: target(120, 480), medium: target(240, 960), low: target(480, 2400) };


describe('SLA policies, clocks and their worker', () => {
  let t: TestApp;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let admin: Caller;
  let agent: Caller;
  let requester: Caller;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    t = await startTestApp({ SLA_TARGET_DIVISOR: '60', OUTBOX_POLL_MS: '50', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' });
    admin = await t.user('admin');
    agent = await t.user('agent');
    requester = await t.user('requester');
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
  });

  const category = async () => {
    const res = await t.request('POST', '/api/v1/categories', { as: admin, body: { name: `Cat ${randomUUID()}` } });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const policy = async (body: Record<string, unknown>) => {
    const res = await t.request('POST', '/api/v1/sla-policies', {
      as: admin,
      body: { name: `Policy ${randomUUID()}`, targets: TARGETS, calendar: { timeZone: 'UTC', weeklyHours: ALL_DAYS, holidays: [] }, ...body },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };
  const open = async (categoryId: string, extra: Record<string, unknown> = {}, as = requester) => {
    const res = await t.request('POST', '/api/v1/tickets', {
      as,
      body: { title: 'Mail is down', description: 'Nothing arrives', severity: 'high', urgency: 'medium', categoryId, ...extra },
    });
    expect(res.status).toBe(201);
    return res.body;
  };
  const ticket = async (id: string, as = admin) => (await t.request('GET', `/api/v1/tickets/${id}`, { as })).body;
  const slaEvents = async (id: string, as = admin) => (await t.request('GET', `/api/v1/tickets/${id}/sla-events`, { as })).body;
  const kinds = (events: { clock: string; type: string }[]) => events.map((e) => `${e.clock}:${e.type}`);
  const activityAt = async (id: string, field: string, to: string) => {
    const activity = (await t.request('GET', `/api/v1/tickets/${id}/activity`, { as: admin })).body;
    return new Date(activity.find((a: { field: string; to: unknown }) => a.field === field && a.to === to).occurredAt).getTime();
  };
  const status = async (id: string, to: string) =>
    expect((await t.request('PATCH', `/api/v1/tickets/${id}/status`, { as: agent, body: { status: to } })).status).toBe(200);

  it('computes due dates across a closed weekday and a holiday, in business time of the calendar', async () => {
    const categoryId = await category();
    // Built around today (UTC), so it holds if the ticket is opened just after midnight too: today and tomorrow
    // are closed weekdays, the day after is a holiday, and the calendar opens the day after that at 09:00.
    const today = Math.floor(Date.now() / DAY) * DAY;
    const weekday = (offset: number) => new Date(today + offset * DAY).getUTCDay();
    const date = (offset: number) => new Date(today + offset * DAY).toISOString().slice(0, 10);
    const weeklyHours = [2, 3, 4].map((offset) => ({ day: weekday(offset), start: '09:00', end: '17:00' }));
    const p = await policy({ categoryIds: [categoryId], calendar: { timeZone: 'UTC', weeklyHours, holidays: [date(2)] } });
    const created = await open(categoryId);
    expect(created.sla).toBeNull(); // the worker has not started the clocks yet
    const done = await until(() => ticket(created.id), (x) => x.sla !== null, 10_000);
    expect(done.sla).toEqual({
      policyId: p.id,
      firstResponseDueAt: `${date(3)}T09:02:00.000Z`, // high: 120 min ÷ 60
      resolutionDueAt: `${date(3)}T09:08:00.000Z`,
      firstRespondedAt: null,
      pausedAt: null,
      breached: false,
    });
    const list = (await t.request('GET', `/api/v1/tickets?categoryId=${categoryId}`, { as: admin })).body;
    expect(list.items[0].sla).toEqual(done.sla);
  });

  it('moves the due dates by exactly the time a ticket was paused (pending), and shows pausedAt meanwhile', async () => {
    const categoryId = await category();
    await policy({ categoryIds: [categoryId] });
    const created = await open(categoryId);
    await until(() => ticket(created.id), (x) => x.sla !== null, 10_000);
    await status(created.id, 'pending');
    const paused = await until(() => ticket(created.id), (x) => x.sla.pausedAt !== null, 10_000);
    expect(paused.sla.pausedAt).not.toBeNull();
    await status(created.id, 'open');
    const resumed = await until(() => ticket(created.id), (x) => x.sla.pausedAt === null, 10_000);
    const pausedMs = (await activityAt(created.id, 'status', 'open')) - (await activityAt(created.id, 'status', 'pending'));
    const start = new Date(created.createdAt).getTime();
    expect(new Date(resumed.sla.firstResponseDueAt).getTime()).toBe(start + 120_000 + pausedMs);
    expect(new Date(resumed.sla.resolutionDueAt).getTime()).toBe(start + 480_000 + pausedMs);
    expect(kinds(await slaEvents(created.id))).toEqual([
      'first_response:started',
      'resolution:started',
      'first_response:paused',
      'resolution:paused',
      'first_response:resumed',
      'resolution:resumed',
    ]);
  });

  it('stops the first-response clock at the first public reply of an agent, not at an internal note or the requester’s reply', async () => {
    const categoryId = await category();
    await policy({ categoryIds: [categoryId] });
    const { id } = await open(categoryId);
    const comment = (as: Caller, internal: boolean) =>
      t.request('POST', `/api/v1/tickets/${id}/comments`, { as, body: { body: 'Any news?', ...(internal ? { internal } : {}) } });
    expect((await comment(agent, true)).status).toBe(201);
    expect((await comment(requester, false)).status).toBe(201);
    const reply = await comment(agent, false);
    const answered = await until(() => ticket(id), (x) => x.sla?.firstRespondedAt !== null && x.sla !== null, 10_000);
    expect(answered.sla.firstRespondedAt).toBe(reply.body.createdAt);
    const events = await slaEvents(id, requester); // the requester may read their own ticket's clocks
    expect(kinds(events).filter((k) => k === 'first_response:fulfilled')).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({ clock: 'first_response', type: 'fulfilled', at: reply.body.createdAt, details: { late: false } });
  });

  it('recomputes the due dates on a priority change, keeping the paused time', async () => {
    const categoryId = await category();
    await policy({ categoryIds: [categoryId] });
    const created = await open(categoryId, { severity: 'medium' }); // medium: 4 h → 4 min
    await until(() => ticket(created.id), (x) => x.sla !== null, 10_000);
    await status(created.id, 'pending');
    await status(created.id, 'open');
    const patched = await t.request('PATCH', `/api/v1/tickets/${created.id}`, { as: agent, body: { priority: 'high' } });
    expect(patched.status).toBe(200);
    expect(patched.body.sla).toMatchObject({ policyId: expect.any(String) }); // PATCH results show the clocks too
    const pausedMs = (await activityAt(created.id, 'status', 'open')) - (await activityAt(created.id, 'status', 'pending'));
    const expected = new Date(created.createdAt).getTime() + 120_000 + pausedMs; // high: 2 h → 2 min, + paused
    const changed = await until(() => ticket(created.id), (x) => new Date(x.sla.firstResponseDueAt).getTime() === expected, 10_000);
    expect(new Date(changed.sla.firstResponseDueAt).getTime()).toBe(expected);
    expect(kinds(await slaEvents(created.id))).toContain('first_response:target_changed');
  });

  it('detects at risk and breach on time, records each once (activity, sla-events, event) and escalates to a group', async () => {
    const hook = await t.request('POST', '/api/v1/webhooks', {
      as: admin,
      body: { url: receiver.url, events: ['sla.at_risk', 'sla.breached'] },
    });
    expect(hook.status).toBe(201);
    const categoryId = await category();
    const desk = (await t.request('POST', '/api/v1/groups', { as: admin, body: { name: `Desk ${randomUUID()}`, strategy: 'manual' } })).body;
    const seniors = (await t.request('POST', '/api/v1/groups', { as: admin, body: { name: `Seniors ${randomUUID()}`, strategy: 'manual' } }))
      .body;
    await policy({ categoryIds: [categoryId], atRiskPercent: 50, escalation: { notifyGroup: true, reassignToGroupId: seniors.id } });
    // critical: 3 min to respond, 6 to resolve → 3 s and 6 s; nothing else happens to the ticket after this.
    const created = await open(categoryId, { priority: 'critical', requesterId: requester.id }, agent);
    expect((await t.request('PATCH', `/api/v1/tickets/${created.id}`, { as: agent, body: { groupId: desk.id } })).status).toBe(200);

    const events = await until(
      () => slaEvents(created.id),
      (e) => kinds(e).includes('resolution:breached'),
      15_000,
    );
    expect(kinds(events).filter((k) => /at_risk|breached/.test(k)).sort()).toEqual([
      'first_response:at_risk',
      'first_response:breached',
      'resolution:at_risk',
      'resolution:breached',
    ]);
    for (const e of events.filter((x: { type: string }) => x.type === 'breached')) {
      const late = new Date(e.at).getTime() - new Date(e.dueAt).getTime();
      expect(late).toBeGreaterThanOrEqual(0);
      expect(late).toBeLessThan(60_000); // before the sweep could have run: a timer found it
    }
    const activity = (await t.request('GET', `/api/v1/tickets/${created.id}/activity`, { as: admin })).body;
    const slaEntries = activity.filter((a: { type: string }) => a.type.startsWith('sla_'));
    expect(slaEntries.map((a: { type: string; field: string; actorId: null }) => [a.type, a.field, a.actorId]).sort()).toEqual([
      ['sla_at_risk', 'first_response', null],
      ['sla_at_risk', 'resolution', null],
      ['sla_breached', 'first_response', null],
      ['sla_breached', 'resolution', null],
    ]);
    const escalated = await ticket(created.id);
    expect(escalated).toMatchObject({ groupId: seniors.id, assigneeId: null, sla: { breached: true } });

    const delivered = await until(
      () => Promise.resolve(receiver.payloads().filter((r) => r.data.ticket?.id === created.id)),
      (r) => r.length >= 4,
      15_000,
    );
    expect(delivered.map((r) => `${r.type}:${r.data.clock}`).sort()).toEqual([
      'sla.at_risk:first_response',
      'sla.at_risk:resolution',
      'sla.breached:first_response',
      'sla.breached:resolution',
    ]);
    const firstBreach = delivered.find((r) => r.type === 'sla.breached' && r.data.clock === 'first_response')!;
    expect(firstBreach.data.escalation).toEqual({ notifyGroupId: desk.id, reassignedToGroupId: seniors.id });
    const atRisk = delivered.find((r) => r.type === 'sla.at_risk' && r.data.clock === 'first_response')!;
    expect(atRisk.data.escalation.notifyGroupId).toBe(desk.id);
  });

  describe('bad input and access', () => {
    it('manages policies: admins write, agents read, requesters are refused, deletion of a used policy is a 409', async () => {
      const categoryId = await category();
      const p = await policy({});
      expectProblem(await t.request('GET', '/api/v1/sla-policies'), 401);
      expectProblem(await t.request('POST', '/api/v1/sla-policies', { as: agent, body: { name: 'x', targets: TARGETS, calendar: {} } }), 400);
      expectProblem(
        await t.request('POST', '/api/v1/sla-policies', {
          as: agent,
          body: { name: 'x', targets: TARGETS, calendar: { timeZone: 'UTC', weeklyHours: ALL_DAYS, holidays: [] } },
        }),
        403,
        'SLA_POLICIES_ADMIN_ONLY',
      );
      expect((await t.request('GET', '/api/v1/sla-policies', { as: agent })).body.map((x: { id: string }) => x.id)).toContain(p.id);
      expectProblem(await t.request('GET', '/api/v1/sla-policies', { as: requester }), 403);
      expectProblem(await t.request('GET', `/api/v1/sla-policies/${p.id}`, { as: requester }), 404, 'SLA_POLICY_NOT_FOUND');
      expectProblem(await t.request('GET', `/api/v1/sla-policies/${randomUUID()}`, { as: admin }), 404, 'SLA_POLICY_NOT_FOUND');
      expectProblem(await t.request('GET', '/api/v1/sla-policies/not-a-uuid', { as: admin }), 400);
      expectProblem(await t.request('PATCH', `/api/v1/sla-policies/${randomUUID()}`, { as: admin, body: { name: 'y' } }), 404);
      expectProblem(await t.request('DELETE', `/api/v1/sla-policies/${p.id}`, { as: agent }), 403);

      const patched = await t.request('PATCH', `/api/v1/sla-policies/${p.id}`, { as: admin, body: { atRiskPercent: 60, categoryIds: [categoryId] } });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ atRiskPercent: 60, categoryIds: [categoryId], pauseStatuses: ['pending'], isDefault: false });

      const { id } = await open(categoryId);
      await until(() => ticket(id), (x) => x.sla !== null, 10_000);
      expectProblem(await t.request('DELETE', `/api/v1/sla-policies/${p.id}`, { as: admin }), 409, 'SLA_POLICY_IN_USE');
      const spare = await policy({});
      expect((await t.request('DELETE', `/api/v1/sla-policies/${spare.id}`, { as: admin })).status).toBe(204);
      expectProblem(await t.request('GET', `/api/v1/sla-policies/${spare.id}`, { as: admin }), 404);
    });

    it('rejects malformed policies with 400 naming the field, and unknown references with 422', async () => {
      const post = (body: Record<string, unknown>) =>
        t.request('POST', '/api/v1/sla-policies', {
          as: admin,
          body: { name: 'Bad', targets: TARGETS, calendar: { timeZone: 'UTC', weeklyHours: ALL_DAYS, holidays: [] }, ...body },
        });
      expectInvalid(await post({ colour: 'red' }), ['colour']);
      expectInvalid(await post({ targets: { ...TARGETS, high: { firstResponseMinutes: 'soon', resolutionMinutes: 60 } } }), [
        'targets.high.firstResponseMinutes',
      ]);
      expectInvalid(await post({ targets: { ...TARGETS, high: { ...TARGETS.high, extra: 1 } } }), ['targets.high.extra']);
      expectInvalid(await post({ calendar: { timeZone: 'UTC', weeklyHours: [{ day: 1, start: '09:00' }], holidays: [] } }), [
        'calendar.weeklyHours.0.end',
      ]);
      expectInvalid(await post({ pauseStatuses: ['sleeping'] }), ['pauseStatuses']);
      expectInvalid(await post({ atRiskPercent: 100 }), ['atRiskPercent'], 'INVALID_INPUT');
      expectInvalid(await post({ calendar: { timeZone: 'Mars/Base', weeklyHours: ALL_DAYS, holidays: [] } }), ['calendar.timeZone'], 'INVALID_INPUT');
      expectInvalid(await post({ pauseStatuses: ['resolved'] }), ['pauseStatuses[0]'], 'INVALID_INPUT');
      expectInvalid(await post({ targets: { ...TARGETS, low: target(0, 10) } }), ['targets.low.firstResponseMinutes'], 'INVALID_INPUT');
      expectProblem(await post({ categoryIds: [randomUUID()] }), 422, 'INVALID_REFERENCE');
      expectProblem(await post({ escalation: { notifyGroup: true, reassignToGroupId: randomUUID() } }), 422, 'INVALID_REFERENCE');
      expectProblem(
        await t.request('POST', '/api/v1/sla-policies', { as: admin, rawBody: '{"name":', headers: { 'content-type': 'application/json' } }),
        400,
      );
    });

    it('shows a ticket’s sla-events to whoever may see the ticket, and 404 to others', async () => {
      const categoryId = await category();
      await policy({ categoryIds: [categoryId] });
      const { id } = await open(categoryId);
      await until(() => slaEvents(id), (e) => e.length >= 2, 10_000);
      const other = await t.user('requester', 'other');
      expect((await t.request('GET', `/api/v1/tickets/${id}/sla-events`, { as: requester })).status).toBe(200);
      expect((await t.request('GET', `/api/v1/tickets/${id}/sla-events`, { as: agent })).status).toBe(200);
      expectProblem(await t.request('GET', `/api/v1/tickets/${id}/sla-events`, { as: other }), 404, 'TICKET_NOT_FOUND');
      expectProblem(await t.request('GET', `/api/v1/tickets/${randomUUID()}/sla-events`, { as: admin }), 404, 'TICKET_NOT_FOUND');
      expectProblem(await t.request('GET', '/api/v1/tickets/nope/sla-events', { as: admin }), 400);
      expectProblem(await t.request('GET', `/api/v1/tickets/${id}/sla-events`), 401);
    });
  });
});

describe('the SLA sweep, when timers are lost', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ SLA_TARGET_DIVISOR: '60', SLA_SWEEP_MS: '300', OUTBOX_POLL_MS: '50' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('finds an at-risk point whose timer vanished from Redis', async () => {
    const admin = await t.user('admin');
    const created = await t.request('POST', '/api/v1/sla-policies', {
      as: admin,
      body: { name: 'Fast', isDefault: true, targets: TARGETS, calendar: { timeZone: 'UTC', weeklyHours: ALL_DAYS, holidays: [] } },
    });
    expect(created.status).toBe(201);
    const { id } = (
      await t.request('POST', '/api/v1/tickets', { as: admin, body: { title: 'Lost', description: 'Timer', priority: 'critical' } })
    ).body;
    await until(
      async () => (await t.request('GET', `/api/v1/tickets/${id}`, { as: admin })).body,
      (x) => x.sla !== null,
      10_000,
    );
    // Redis lost the timers (say, a flush): remove the delayed checks of this ticket before they fire.
    const queue = t.app.get(ProducerQueues).byName.get('sla')!;
    const timers = async () => (await queue.getDelayed()).filter((job) => job.data.aggregateId === id);
    expect((await until(timers, (jobs) => jobs.length > 0, 10_000)).length).toBeGreaterThan(0); // set after the commit
    for (const job of await timers()) await job.remove();
    expect(await timers()).toEqual([]);

    const events = await until(
      async () => (await t.request('GET', `/api/v1/tickets/${id}/sla-events`, { as: admin })).body,
      (e: { clock: string; type: string }[]) => e.some((x) => x.clock === 'first_response' && x.type === 'at_risk'),
      15_000,
    );
    expect(events.filter((x: { type: string }) => x.type === 'at_risk').map((x: { clock: string }) => x.clock)).toContain('first_response');
  });
});
