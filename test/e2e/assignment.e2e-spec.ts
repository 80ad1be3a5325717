import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUES, redisOptionsFromUrl } from '../../src/adapters/queue/queues.js';
import { AppConfig } from '../../src/config/app-config.js';
import { startTestApp, type Caller, type TestApp } from '../support/test-app.js';
import { until } from '../support/until.js';
import { expectProblem } from './support/problem.js';

describe('groups and automatic assignment (workers in the API process)', () => {
  let t: TestApp;
  let admin: Caller;
  let ann: Caller;
  let bob: Caller;
  let requester: Caller;

  beforeAll(async () => {
    t = await startTestApp({ OUTBOX_POLL_MS: '50' });
    admin = await t.user('admin');
    ann = await t.user('agent', 'ann');
    bob = await t.user('agent', 'bob');
    requester = await t.user('requester');
  });
  afterAll(async () => {
    await intake?.close();
    await t?.close();
  });

  let intake: Queue | undefined;
  /** Resolves once the intake job of the ticket's ticket.created event (job id = event id) has completed. */
  const intakeDone = async (ticketId: string) => {
    const config = t.app.get(AppConfig);
    intake ??= new Queue(QUEUES.intake, { connection: redisOptionsFromUrl(config.redisUrl), prefix: config.env.QUEUE_PREFIX });
    const [event] = await t.app
      .get(DataSource)
      .query(`SELECT id FROM outbox WHERE aggregate_id = $1 AND type = 'ticket.created'`, [ticketId]);
    await until(() => intake!.getJobState(event.id), (state) => state === 'completed', 10_000);
  };

  const newCategory = async () => {
    const res = await t.request('POST', '/api/v1/categories', { as: admin, body: { name: `Cat ${randomUUID()}` } });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const newGroup = async (body: Record<string, unknown>) => {
    const res = await t.request('POST', '/api/v1/groups', { as: admin, body: { name: `Group ${randomUUID()}`, ...body } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };
  const openTicket = async (categoryId: string) => {
    const res = await t.request('POST', '/api/v1/tickets', {
      as: requester,
      body: { title: 'Printer jam', description: 'The printer on floor 2 jams', categoryId },
    });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const ticket = async (id: string) => (await t.request('GET', `/api/v1/tickets/${id}`, { as: admin })).body;
  const assigned = (id: string) => until(() => ticket(id), (x) => x.assigneeId !== null, 10_000);

  it('round_robin: tickets of the category go to the group and its members in turn, recorded as the system', async () => {
    const categoryId = await newCategory();
    const group = await newGroup({ strategy: 'round_robin', memberIds: [ann.id, bob.id], categoryIds: [categoryId] });
    expect(group).toMatchObject({ strategy: 'round_robin', maxOpenPerAgent: null, categoryIds: [categoryId] });
    expect(group.members.map((m: { userId: string }) => m.userId)).toEqual([ann.id, bob.id]);

    const owners: string[] = [];
    for (let i = 0; i < 4; i++) {
      const done = await assigned(await openTicket(categoryId));
      expect(done.groupId).toBe(group.id);
      owners.push(done.assigneeId);
    }
    expect(owners).toEqual([ann.id, bob.id, ann.id, bob.id]);

    const firstId = (await t.request('GET', `/api/v1/tickets?assigneeId=${ann.id}&sort=createdAt&limit=1`, { as: admin })).body
      .items[0].id;
    const activity = (await t.request('GET', `/api/v1/tickets/${firstId}/activity`, { as: admin })).body;
    const system = activity.filter((a: { actorId: string | null }) => a.actorId === null);
    expect(system.map((a: { type: string; field: string }) => `${a.type}:${a.field}`)).toEqual([
      'field_changed:groupId',
      'assigned:assigneeId',
    ]);
  });

  it('skips an agent who marked themselves unavailable', async () => {
    const categoryId = await newCategory();
    await newGroup({ strategy: 'round_robin', memberIds: [ann.id, bob.id], categoryIds: [categoryId] });
    expect((await t.request('PUT', '/api/v1/agents/me/availability', { as: ann, body: { available: false } })).body).toEqual({
      available: false,
    });
    try {
      for (let i = 0; i < 2; i++) expect((await assigned(await openTicket(categoryId))).assigneeId).toBe(bob.id);
    } finally {
      await t.request('PUT', '/api/v1/agents/me/availability', { as: ann, body: { available: true } });
    }
  });

  it('least_open with a cap: over the cap the ticket waits, and is picked up when its agent resolves one', async () => {
    const solo = await t.user('agent', 'solo');
    const categoryId = await newCategory();
    await newGroup({ strategy: 'least_open', maxOpenPerAgent: 1, memberIds: [solo.id], categoryIds: [categoryId] });
    const first = await openTicket(categoryId);
    expect((await assigned(first)).assigneeId).toBe(solo.id);
    const second = await openTicket(categoryId);
    // Its intake job (triage, SLA, routing and assignment) finished, and left it waiting.
    await intakeDone(second);
    expect((await ticket(second)).assigneeId).toBeNull();

    const resolved = await t.request('PATCH', `/api/v1/tickets/${first}/status`, { as: solo, body: { status: 'resolved' } });
    expect(resolved.status).toBe(200);
    expect((await assigned(second)).assigneeId).toBe(solo.id);
  });

  it('manual groups route tickets but never assign them', async () => {
    const categoryId = await newCategory();
    const group = await newGroup({ strategy: 'manual', memberIds: [ann.id], categoryIds: [categoryId] });
    const id = await openTicket(categoryId);
    const routed = await until(() => ticket(id), (x) => x.groupId !== null, 10_000);
    expect(routed).toMatchObject({ groupId: group.id, assigneeId: null });
  });

  it('agents move a ticket to another group with PATCH; an unknown group is 422', async () => {
    const group = await newGroup({ strategy: 'manual' });
    const id = await openTicket(await newCategory());
    const moved = await t.request('PATCH', `/api/v1/tickets/${id}`, { as: ann, body: { groupId: group.id } });
    expect(moved.status).toBe(200);
    expect(moved.body.groupId).toBe(group.id);
    const unknown = await t.request('PATCH', `/api/v1/tickets/${id}`, { as: ann, body: { groupId: randomUUID() } });
    expectProblem(unknown, 422);
    const byRequester = await t.request('PATCH', `/api/v1/tickets/${id}`, { as: requester, body: { groupId: group.id } });
    expectProblem(byRequester, 403);
  });

  it('admins manage groups: members, categories, rename, delete; conflicts and bad input are problems', async () => {
    const group = await newGroup({ strategy: 'round_robin' });
    const added = await t.request('POST', `/api/v1/groups/${group.id}/members`, { as: admin, body: { userId: bob.id } });
    expect(added.status).toBe(201);
    expect(added.body.members.map((m: { userId: string }) => m.userId)).toEqual([bob.id]);
    expectProblem(await t.request('POST', `/api/v1/groups/${group.id}/members`, { as: admin, body: { userId: requester.id } }), 422, 'NOT_AN_AGENT');
    const removed = await t.request('DELETE', `/api/v1/groups/${group.id}/members/${bob.id}`, { as: admin });
    expect(removed.body.members).toEqual([]);

    const renamed = await t.request('PATCH', `/api/v1/groups/${group.id}`, { as: admin, body: { name: 'Renamed ' + group.id, maxOpenPerAgent: 3 } });
    expect(renamed.body).toMatchObject({ name: 'Renamed ' + group.id, maxOpenPerAgent: 3 });
    expectProblem(await t.request('POST', '/api/v1/groups', { as: admin, body: { name: 'Renamed ' + group.id, strategy: 'manual' } }), 409, 'GROUP_NAME_TAKEN');

    const used = await newGroup({ strategy: 'manual' });
    const id = await openTicket(await newCategory());
    await t.request('PATCH', `/api/v1/tickets/${id}`, { as: ann, body: { groupId: used.id } });
    expectProblem(await t.request('DELETE', `/api/v1/groups/${used.id}`, { as: admin }), 409, 'GROUP_IN_USE');
    expect((await t.request('DELETE', `/api/v1/groups/${group.id}`, { as: admin })).status).toBe(204);
    expectProblem(await t.request('GET', `/api/v1/groups/${group.id}`, { as: admin }), 404, 'GROUP_NOT_FOUND');
  });

  it.each([
    [{ name: 'x', strategy: 'fastest' }, 'strategy'],
    [{ name: '', strategy: 'manual' }, 'name'],
    [{ name: 'x', strategy: 'manual', maxOpenPerAgent: 0 }, 'maxOpenPerAgent'],
    [{ name: 'x', strategy: 'manual', memberIds: ['not-a-uuid'] }, 'memberIds'],
    [{ name: 'x', strategy: 'manual', colour: 'red' }, 'colour'],
  ])('POST /groups %j is a 400 naming %s', async (body, field) => {
    const res = await t.request('POST', '/api/v1/groups', { as: admin, body });
    expectProblem(res, 400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('requesters cannot see or change groups; agents read but do not change them', async () => {
    expectProblem(await t.request('GET', '/api/v1/groups', { as: requester }), 403);
    expectProblem(await t.request('PUT', '/api/v1/agents/me/availability', { as: requester, body: { available: false } }), 403);
    expect((await t.request('GET', '/api/v1/groups', { as: ann })).status).toBe(200);
    expectProblem(await t.request('POST', '/api/v1/groups', { as: ann, body: { name: 'x', strategy: 'manual' } }), 403);
  });

  it('failed jobs: admins only; unknown queue is 400, unknown job 404', async () => {
    const list = await t.request('GET', '/api/v1/jobs/failed', { as: admin });
    expect(list.status).toBe(200);
    expect(Array.isArray(list.body)).toBe(true);
    expectProblem(await t.request('GET', '/api/v1/jobs/failed', { as: ann }), 403);
    expectProblem(await t.request('GET', '/api/v1/jobs/failed?queue=nope', { as: admin }), 400);
    expectProblem(await t.request('GET', '/api/v1/jobs/failed?limit=0', { as: admin }), 400);
    expectProblem(await t.request('POST', `/api/v1/jobs/failed/assignment/${randomUUID()}/retry`, { as: admin }), 404);
    expectProblem(await t.request('POST', `/api/v1/jobs/failed/assignment/${'x'.repeat(99)}!/retry`, { as: admin }), 400);
    expectProblem(await t.request('POST', `/api/v1/jobs/failed/assignment/${'x'.repeat(200)}/retry`, { as: admin }), 414, 'URI_TOO_LONG');
  });
});
