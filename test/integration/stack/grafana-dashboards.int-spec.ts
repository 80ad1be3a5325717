import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPEN_STATUSES } from '../../../src/core/tickets/ticket-lifecycle.js';
import { buildDashboards, OPEN_STATUSES as DASHBOARD_OPEN_STATUSES, render, sqlQueries } from '../../../docker/grafana/build-dashboards.mjs';
import { createScratchDatabase } from '../../support/database.js';
import { parseYaml, readRepoFile } from '../../support/stack-files.js';

describe('Grafana dashboards (docker/grafana)', () => {
  it('are the files build-dashboards.mjs writes (regenerate with node docker/grafana/build-dashboards.mjs)', () => {
    const built = buildDashboards();

    expect(readdirSync('docker/grafana/dashboards').sort()).toEqual(Object.keys(built).sort());
    for (const [file, dashboard] of Object.entries(built)) expect(readRepoFile(`docker/grafana/dashboards/${file}`), file).toBe(render(dashboard));
  });

  it('cover traffic, latency and errors by route; queues and outbox; backlog and SLA; resolution times; per-agent load', () => {
    const titles = Object.values(buildDashboards()).flatMap((d) => d.panels.map((p) => p.title));

    for (const expected of [
      'Requests per second by route', 'Error rate (5xx share) by route', 'p95 latency by route', 'Jobs by queue and state',
      'Outbox events waiting for the relay', 'Backlog by status', 'SLA clocks at risk now', 'SLA breaches per hour',
      'Resolution time per day (hours from creation)', 'Open tickets per agent',
    ]) {
      expect(titles).toContain(expected);
    }
  });

  it('use the data sources Grafana is provisioned with', async () => {
    const provisioned = [
      ...(await parseYaml(readRepoFile('docker/grafana/provisioning/datasources/prometheus.yml'))).datasources,
      ...(await parseYaml(readRepoFile('docker/grafana/provisioning/datasources/postgres.yml'))).datasources,
    ].map((d: { type: string; uid: string }) => `${d.type}/${d.uid}`);
    const used = new Set(Object.values(buildDashboards()).flatMap((d) => d.panels.map((p) => `${p.datasource.type}/${p.datasource.uid}`)));

    for (const source of used) expect(provisioned).toContain(source);
  });

  it('count open tickets with the core’s OPEN_STATUSES', () => {
    expect(DASHBOARD_OPEN_STATUSES).toEqual([...OPEN_STATUSES]);
  });
});

describe('the PostgreSQL panels', () => {
  let database: Awaited<ReturnType<typeof createScratchDatabase>>;
  let db: DataSource;
  const role = `grafana_reader_${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    database = await createScratchDatabase();
    db = new DataSource({ type: 'postgres', url: database.url, poolSize: 1 });
    await db.initialize();
    await db.query(`CREATE ROLE ${role} NOLOGIN`);
    await db.query(readRepoFile('docker/postgres/grafana-grants.sql').replaceAll('grafana_reader', role));
  });

  afterAll(async () => {
    await db?.query(`DROP OWNED BY ${role}`).catch(() => undefined);
    await db?.query(`DROP ROLE IF EXISTS ${role}`).catch(() => undefined);
    await db?.destroy();
    await database?.drop();
  });

  it('run on the migrated schema with only the columns docker/postgres/grafana-grants.sql grants', async () => {
    const queries = sqlQueries();
    expect(queries.length).toBeGreaterThanOrEqual(3);
    const agent = '11111111-1111-4111-8111-111111111111';
    await db.query(
      `INSERT INTO users (id, email, name, role, active, created_at, updated_at)
       VALUES ($1, 'agent@example.com', 'Alan Agent', 'agent', true, now(), now())`,
      [agent],
    );
    const ticket = (status: string, priority: string, resolvedHoursAgo: number | null) =>
      db.query(
        `INSERT INTO tickets (id, title, description, status, priority, severity, urgency, requester_id, assignee_id,
                              created_at, updated_at, resolved_at, version)
         VALUES (gen_random_uuid(), 't', 'd', $1, $2, 'medium', 'medium', $3, $3, now() - interval '10 hours', now(),
                 now() - make_interval(hours => $4::int), 1)`,
        [status, priority, agent, resolvedHoursAgo],
      );
    await ticket('in_progress', 'high', null);
    await ticket('pending', 'low', null);
    await ticket('resolved', 'medium', 4);
    const runner = db.createQueryRunner();
    try {
      await runner.startTransaction();
      await runner.query(`SET LOCAL ROLE ${role}`);
      const results = new Map<string, unknown[]>();
      for (const sql of queries) {
        // Grafana's time-range macro, as it expands it.
        const expanded = sql.replace(/\$__timeFilter\(([\w.]+)\)/g, `$1 BETWEEN now() - interval '30 days' AND now()`);
        results.set(sql, await runner.query(expanded));
      }
      const answer = (fragment: string) => [...results].find(([sql]) => sql.includes(fragment))![1];
      expect(answer('AS "open"')).toEqual([{ agent: 'Alan Agent', 'critical or high': '1', open: '2' }]);
      expect(answer('AS "resolved"')).toEqual([{ agent: 'Alan Agent', resolved: '1' }]);
      expect(answer('AS "median"')).toEqual([{ time: expect.any(Date), median: 6, p90: 6 }]);
      expect(answer('AS "unassigned"')).toEqual([{ unassigned: '0' }]);
      for (const forbidden of ['SELECT title FROM tickets', 'SELECT email FROM users', 'SELECT secret FROM webhooks']) {
        await runner.query('SAVEPOINT denied');
        await expect(runner.query(forbidden), forbidden).rejects.toThrow(/permission denied/);
        await runner.query('ROLLBACK TO SAVEPOINT denied');
      }
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });
});
