import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_KEY, ANALYTICS_TABLES } from '../../../src/adapters/persistence/analytics/analytics-rollup.sql.js';
import { SqlAnalyticsProjection } from '../../../src/adapters/persistence/analytics/sql-analytics-projection.js';
import { SqlAnalyticsQueries } from '../../../src/adapters/persistence/analytics/sql-analytics.queries.js';
import { MAX_ABSOLUTE_ERROR_MINUTES, MAX_RELATIVE_ERROR } from '../../../src/core/analytics/duration-histogram.js';
import { ReadAnalytics, type AgentFigures, type Dashboard } from '../../../src/core/analytics/read-analytics.use-case.js';
import type { Actor } from '../../../src/core/identity/actor.js';
import { SqlRecognitionQueries } from '../../../src/adapters/persistence/sql-recognition.js';
import { AgentStandings } from '../../../src/core/recognition/agent-standings.js';
import { LevelScale } from '../../../src/core/recognition/level-scale.js';
import type { Priority } from '../../../src/core/tickets/priority-matrix.js';
import { createScratchDatabase } from '../../support/database.js';
import { prng, seedAnalyticsFixture, type Fixture } from './analytics-fixture.js';
import { expectedBacklog, expectedFigures, expectedPerDay, type ExpectedFigures, type Scope } from './expected-analytics.sql.js';

const ADMIN: Actor = { id: randomUUID(), role: 'admin' };
const FIXTURE_FROM = Date.UTC(2026, 9, 20);
const FIXTURE_TO = Date.UTC(2026, 10, 6);
/**
 * Around the fixture, across Europe's and Newfoundland's DST ends (Oct 25, Nov 1), single days, and five months
 * (read from 64- and 16-day blocks).
 */
const RANGES = [
  { from: '2026-10-19', to: '2026-11-07' },
  { from: '2026-08-01', to: '2026-12-31' },
  { from: '2026-10-24', to: '2026-10-26' },
  { from: '2026-11-01', to: '2026-11-01' },
];
const ZONES = ['UTC', 'Europe/Madrid', 'Asia/Kathmandu', 'America/St_Johns'];

function expectDuration(actual: { count: number; averageMinutes: number; medianMinutes: number; p90Minutes: number }, expected: ExpectedFigures['firstResponse'], what: string) {
  expect(actual.count, `${what} count`).toBe(expected.count);
  expect(Math.abs(actual.averageMinutes - expected.averageMinutes), `${what} average ${actual.averageMinutes} vs ${expected.averageMinutes}`).toBeLessThanOrEqual(
    1e-9 * Math.max(1, expected.averageMinutes),
  );
  for (const key of ['medianMinutes', 'p90Minutes'] as const) {
    const bound = Math.max(MAX_RELATIVE_ERROR * expected[key], MAX_ABSOLUTE_ERROR_MINUTES) * 1.0001;
    expect(Math.abs(actual[key] - expected[key]), `${what} ${key} ${actual[key]} vs ${expected[key]}`).toBeLessThanOrEqual(bound);
  }
}

function expectFigures(actual: Pick<AgentFigures, 'firstResponse' | 'resolution' | 'sla' | 'satisfaction'>, expected: ExpectedFigures, what: string) {
  expectDuration(actual.firstResponse, expected.firstResponse, `${what} firstResponse`);
  expectDuration(actual.resolution, expected.resolution, `${what} resolution`);
  for (const target of ['firstResponse', 'resolution'] as const) {
    const { met, breached } = expected.sla[target];
    expect(actual.sla[target], `${what} sla.${target}`).toEqual({ met, breached, compliance: met + breached ? met / (met + breached) : 1 });
  }
  expect(actual.satisfaction.count, `${what} satisfaction`).toBe(expected.satisfaction.count);
  expect(actual.satisfaction.distribution, `${what} satisfaction`).toEqual(expected.satisfaction.distribution);
  if (expected.satisfaction.average === null) expect(actual.satisfaction.average).toBeNull();
  else expect(actual.satisfaction.average!, `${what} satisfaction`).toBeCloseTo(expected.satisfaction.average, 9);
}

describe('analytics figures equal SQL over the raw rows', () => {
  let db: { url: string; drop(): Promise<void> };
  let ds: DataSource;
  let fixture: Fixture;
  let projection: SqlAnalyticsProjection;
  let analytics: ReadAnalytics;

  beforeAll(async () => {
    db = await createScratchDatabase();
    ds = await new DataSource({ type: 'postgres', url: db.url, extra: { max: 4 } }).initialize();
    fixture = await seedAnalyticsFixture(ds, 3000, FIXTURE_FROM, FIXTURE_TO);
    projection = new SqlAnalyticsProjection(ds);
    const levels = LevelScale.defaults();
    analytics = new ReadAnalytics(new SqlAnalyticsQueries(ds), { now: () => new Date(FIXTURE_TO) }, new AgentStandings(new SqlRecognitionQueries(ds), levels));
  }, 60_000);
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  const filters = (): ({ groupId?: string; categoryId?: string; priority?: Priority })[] => [
    {},
    { groupId: fixture.groups[0] },
    { categoryId: fixture.categories[1] },
    { priority: 'high' },
    { groupId: fixture.groups[1], categoryId: fixture.categories[0], priority: 'low' },
    // The rollups' "any" key is a valid uuid: as a filter it names no category, so it matches no ticket.
    { categoryId: ALL_KEY },
  ];

  async function checkDashboards(): Promise<void> {
    for (const tz of ZONES) {
      for (const range of RANGES) {
        for (const filter of filters()) {
          const scope: Scope = { ...range, tz, ...filter };
          const what = JSON.stringify(scope);
          const actual: Dashboard = await analytics.dashboard(ADMIN, { ...range, tz, ...filter });
          const expected = await expectedFigures(ds, scope);
          expect(actual.totals, what).toEqual({
            created: expected.created,
            resolved: expected.resolved,
            reopened: expected.reopened,
            open: expected.open,
            slaBreached: expected.slaBreached,
          });
          expect(actual.reopenRate, what).toBe(expected.resolved ? expected.reopened / expected.resolved : 0);
          expectFigures(actual, expected, what);
          expect(actual.perDay, `${what} perDay`).toEqual(await expectedPerDay(ds, scope));
          expect(actual.timeZone).toBe(tz);
        }
      }
    }
  }

  async function checkBacklogs(): Promise<void> {
    for (const filter of filters()) {
      const actual = (await analytics.dashboard(ADMIN, { ...RANGES[0], ...filter })).backlog;
      const expected = await expectedBacklog(ds, filter);
      const map = (entries: readonly (readonly [string | null, number])[]) => Object.fromEntries(entries.map(([k, n]) => [String(k), n]));
      expect(Object.fromEntries(Object.entries(actual.byStatus).filter(([, n]) => n > 0))).toEqual(map(expected.byStatus));
      expect(Object.fromEntries(Object.entries(actual.byPriority).filter(([, n]) => n > 0))).toEqual(map(expected.byPriority));
      expect(map(actual.byCategory.map((c) => [c.categoryId, c.count]))).toEqual(map(expected.byCategory));
      expect(map(actual.byAssignee.map((a) => [a.agentId, a.count]))).toEqual(map(expected.byAssignee));
      for (const c of actual.byCategory) expect(c.name).toBe(c.categoryId === null ? null : `Category ${fixture.categories.indexOf(c.categoryId) + 1}`);
    }
  }

  async function checkAgents(): Promise<void> {
    for (const tz of ZONES) {
      for (const range of RANGES) {
        for (const groupId of [undefined, fixture.groups[0], fixture.groups[2]]) {
          const { items } = await analytics.team(ADMIN, { ...range, tz, groupId });
          const members = groupId === fixture.groups[0] ? fixture.agents.slice(0, 4) : groupId === fixture.groups[2] ? [] : fixture.agents;
          expect(items.map((i) => i.agentId).sort()).toEqual([...members].sort());
          for (const item of items) {
            const scope: Scope = { ...range, tz, groupId, assigneeId: item.agentId };
            const what = JSON.stringify(scope);
            const expected = await expectedFigures(ds, scope);
            expect(item.assigned, what).toBe(expected.created);
            expect(item.resolved, what).toBe(expected.resolved);
            const open = await ds.query(
              `SELECT count(*)::int AS n FROM tickets WHERE deleted_at IS NULL AND assignee_id = $1 AND status IN ('new','open','in_progress','pending')
               ${groupId ? 'AND group_id = $2' : ''}`,
              groupId ? [item.agentId, groupId] : [item.agentId],
            );
            expect(item.open, what).toBe(open[0].n);
            expectFigures(item, expected, what);
            const [{ points }] = await ds.query(`SELECT coalesce(sum(points), 0)::int AS points FROM agent_points WHERE agent_id = $1`, [item.agentId]);
            expect(item.points, what).toBe(points);
            expect(item.level, what).toBe(LevelScale.defaults().levelOf(points));
            if (groupId === undefined) expect(await analytics.agent(ADMIN, item.agentId, { ...range, tz })).toEqual(item);
          }
        }
      }
    }
  }

  /** Every rollup row with a non-zero figure, in a stable order. */
  async function rollupContents(): Promise<Record<string, unknown[]>> {
    const contents: Record<string, unknown[]> = {};
    for (const table of ANALYTICS_TABLES) {
      const rows: Record<string, unknown>[] = await ds.query(`SELECT * FROM ${table}`);
      contents[table] = rows
        .filter((r) => Object.entries(r).some(([k, v]) => typeof v === 'string' && /^-?\d+$/.test(v) && v !== '0' && k !== 'bin' && k !== 'metric') || table === 'analytics_ticket_facts')
        .map((r) => JSON.stringify(r))
        .sort();
    }
    return contents;
  }

  it('after a rebuild: every dashboard, backlog, team view and agent row, in four zones, four ranges and six filters', async () => {
    const { tickets } = await projection.rebuild();
    expect(tickets).toBe(Number((await ds.query(`SELECT count(*) FROM tickets WHERE deleted_at IS NULL`))[0].count));
    await checkDashboards();
    await checkBacklogs();
    await checkAgents();
  }, 240_000);

  it('ticket by ticket (each event replayed, in any order) the worker builds exactly what the rebuild builds', async () => {
    await projection.rebuild();
    const rebuilt = await rollupContents();
    await ds.query(`TRUNCATE ${ANALYTICS_TABLES.join(', ')}`);
    const random = prng(11);
    const order = [...fixture.tickets, ...fixture.tickets].sort(() => random() - 0.5);
    const batches: string[][] = [];
    for (let i = 0; i < order.length; ) {
      const size = 1 + Math.floor(random() * 5);
      batches.push(order.slice(i, i + size));
      i += size;
    }
    // Four at a time, like the worker's concurrency: the same ticket may be refreshed by two at once.
    for (let i = 0; i < batches.length; i += 4) await Promise.all(batches.slice(i, i + 4).map((b) => projection.refresh(b)));
    expect(await rollupContents()).toEqual(rebuilt);
  }, 240_000);

  it('after changes to the rows (reopen, reassign, reprioritise, delete), refreshed tickets give the raw figures again', async () => {
    await projection.rebuild();
    const random = prng(5);
    const sample = (n: number) => [...fixture.tickets].sort(() => random() - 0.5).slice(0, n);
    const reopened = await ds.query(`SELECT id FROM tickets WHERE status = 'resolved' AND deleted_at IS NULL LIMIT 40`);
    const reopenIds = reopened.map((r: { id: string }) => r.id);
    await ds.query(`UPDATE tickets SET status = 'open', resolved_at = NULL WHERE id = ANY($1)`, [reopenIds]);
    await ds.query(`UPDATE ticket_sla SET resolved_at = NULL WHERE ticket_id = ANY($1)`, [reopenIds]);
    await ds.query(
      `INSERT INTO ticket_activity (id, ticket_id, type, field, old_value, new_value, internal, occurred_at)
       SELECT gen_random_uuid(), id, 'status_changed', 'status', '"resolved"', '"open"', false, now() FROM unnest($1::uuid[]) id`,
      [reopenIds],
    );
    const reassigned = sample(100);
    await ds.query(`UPDATE tickets SET assignee_id = $2, priority = 'critical', group_id = $3 WHERE id = ANY($1)`, [reassigned, fixture.agents[0], fixture.groups[2]]);
    const deleted = sample(30);
    await ds.query(`UPDATE tickets SET deleted_at = now() WHERE id = ANY($1)`, [deleted]);
    const flipped = sample(100);
    await ds.query(`UPDATE ticket_sla SET first_response_breached = NOT first_response_breached WHERE ticket_id = ANY($1)`, [flipped]);
    for (const ids of [reopenIds, reassigned, deleted, flipped]) {
      const { behind } = await projection.refresh(ids);
      expect(behind).toEqual([]);
    }
    await checkDashboards();
    await checkBacklogs();
    await checkAgents();
    const incremental = await rollupContents();
    await projection.rebuild();
    expect(await rollupContents()).toEqual(incremental);
  }, 240_000);

  it('reports a reopened ticket whose resolution clock the SLA worker has not restarted yet', async () => {
    const [row] = await ds.query(
      `SELECT t.id FROM tickets t JOIN ticket_sla s ON s.ticket_id = t.id WHERE t.status = 'resolved' AND s.resolved_at IS NOT NULL AND t.deleted_at IS NULL LIMIT 1`,
    );
    await ds.query(`UPDATE tickets SET status = 'open', resolved_at = NULL WHERE id = $1`, [row.id]);
    expect(await projection.refresh([row.id])).toEqual({ behind: [row.id] });
    await ds.query(`UPDATE ticket_sla SET resolved_at = NULL WHERE ticket_id = $1`, [row.id]);
    expect(await projection.refresh([row.id])).toEqual({ behind: [] });
  });
});

describe('analytics figures in a zone whose days are not whole quarter hours (Africa/Monrovia in 1971, UTC−0:44:30)', () => {
  let db: { url: string; drop(): Promise<void> };
  let ds: DataSource;
  let fixture: Fixture;
  let analytics: ReadAnalytics;

  beforeAll(async () => {
    db = await createScratchDatabase();
    ds = await new DataSource({ type: 'postgres', url: db.url, extra: { max: 4 } }).initialize();
    fixture = await seedAnalyticsFixture(ds, 400, Date.UTC(1971, 5, 1), Date.UTC(1971, 5, 8), 3);
    await new SqlAnalyticsProjection(ds).rebuild();
    const levels = LevelScale.defaults();
    analytics = new ReadAnalytics(new SqlAnalyticsQueries(ds), { now: () => new Date(Date.UTC(1971, 5, 8)) }, new AgentStandings(new SqlRecognitionQueries(ds), levels));
  }, 60_000);
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('counts each local day from the tickets themselves and every figure equals SQL over the raw rows', async () => {
    const range = { from: '1971-05-31', to: '1971-06-09' };
    for (const filter of [{}, { groupId: fixture.groups[0] }, { priority: 'high' as Priority }]) {
      const scope: Scope = { ...range, tz: 'Africa/Monrovia', ...filter };
      const what = JSON.stringify(scope);
      const actual = await analytics.dashboard(ADMIN, { ...range, tz: 'Africa/Monrovia', ...filter });
      const expected = await expectedFigures(ds, scope);
      expect(actual.totals.created, what).toBe(expected.created);
      expect(actual.totals.created, what).toBeGreaterThan(0);
      expect(actual.totals.resolved, what).toBe(expected.resolved);
      expectFigures(actual, expected, what);
      expect(actual.perDay, `${what} perDay`).toEqual(await expectedPerDay(ds, scope));
    }
  }, 60_000);
});
