import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrometheusMetrics } from '../../src/adapters/metrics/prometheus-metrics.js';
import { unfinishedJobs } from '../../src/adapters/queue/outbox-relay.js';
import { ProducerQueues } from '../../src/adapters/queue/producer-queues.js';
import { QUEUES } from '../../src/adapters/queue/queues.js';
import { EXPORTED_EVENT_TYPES } from '../../src/core/metrics/ticket-event-export.js';
import { MetricsSnapshotStore } from '../../src/core/metrics/metrics-snapshot.js';
import { PrivateInfluxd } from '../support/private-influxd.js';
import { parseExposition, sampleValue } from '../support/prometheus-text.js';
import { startTestApp, type Caller, type TestApp } from '../support/test-app.js';
import { until } from '../support/until.js';

const DB = 'tessera';
const exported = EXPORTED_EVENT_TYPES.map((t) => `'${t}'`).join(',');

/** The outbox events of these tickets that the export writes: one point each. */
async function exportedEvents(db: DataSource, ticketIds: string[]): Promise<{ id: string; type: string; aggregate_id: string }[]> {
  return db.query(`SELECT id, type, aggregate_id FROM outbox WHERE aggregate_id = ANY($1::uuid[]) AND type IN (${exported})`, [ticketIds]);
}

describe('export to InfluxDB 1.x (a private influxd)', () => {
  let influx: PrivateInfluxd;
  let t: TestApp;
  let db: DataSource;
  let agent: Caller;
  let requester: Caller;

  beforeAll(async () => {
    influx = await PrivateInfluxd.start();
    await influx.query(`CREATE DATABASE ${DB}`);
    t = await startTestApp({
      INFLUX_URL: influx.url,
      INFLUX_DATABASE: DB,
      OUTBOX_POLL_MS: '50',
      METRICS_REFRESH_SECONDS: '1',
    });
    db = t.app.get(DataSource);
    [agent, requester] = await Promise.all([t.user('agent'), t.user('requester')]);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await influx?.close();
  });

  const open = async (body: Record<string, unknown> = {}) => {
    const res = await t.request('POST', '/api/v1/tickets', {
      as: requester,
      body: { title: 'Export me', description: 'A ticket whose events go to InfluxDB', severity: 'high', urgency: 'medium', ...body },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string };
  };
  const status = async (id: string, to: string, as = agent) =>
    expect((await t.request('PATCH', `/api/v1/tickets/${id}/status`, { as, body: { status: to } })).status).toBe(200);
  const pointsOf = (ticketIds: string[]) =>
    influx.rows(
      `SELECT * FROM tessera_ticket_events WHERE ${ticketIds.map((id) => `ticket_id = '${id}'`).join(' OR ')}`,
      DB,
    );

  it('writes one point per ticket event, with its tags and fields, readable with a query', async () => {
    const ticket = await open();
    const assigned = await t.request('PUT', `/api/v1/tickets/${ticket.id}/assignee`, { as: agent, body: { assigneeId: agent.id } });
    expect(assigned.status, JSON.stringify(assigned.body)).toBe(200);
    await status(ticket.id, 'in_progress');
    await status(ticket.id, 'resolved');
    const rated = await t.request('POST', `/api/v1/tickets/${ticket.id}/satisfaction`, { as: requester, body: { rating: 4 } });
    expect(rated.status, JSON.stringify(rated.body)).toBe(201);
    await status(ticket.id, 'open', requester);

    const events = await exportedEvents(db, [ticket.id]);
    expect(events.map((e) => e.type).sort()).toEqual(
      ['ticket.assigned', 'ticket.created', 'ticket.rated', 'ticket.status_changed', 'ticket.status_changed', 'ticket.status_changed'].sort(),
    );
    const points = await until(() => pointsOf([ticket.id]), (rows) => rows.length >= events.length, 15_000);
    expect(points).toHaveLength(events.length);
    expect(points.map((p) => p['event_id']).sort()).toEqual(events.map((e) => e.id).sort());

    const created = points.find((p) => p['event'] === 'ticket.created')!;
    expect(created).toMatchObject({ priority: 'high', severity: 'high', status: 'new', ticket_id: ticket.id });
    const resolved = points.find((p) => p['transition'] === 'resolved')!;
    expect(resolved).toMatchObject({ event: 'ticket.status_changed', status: 'resolved', from_status: 'in_progress', agent: agent.id });
    expect(resolved['minutes_to_resolution']).toBeGreaterThan(0);
    expect(resolved['minutes_to_resolution']).toBeLessThan(5);
    const [createdAt] = (await db.query(`SELECT created_at FROM tickets WHERE id = $1`, [ticket.id])) as { created_at: Date }[];
    const [resolvedEvent] = (await db.query(
      `SELECT occurred_at FROM outbox WHERE aggregate_id = $1 AND type = 'ticket.status_changed' AND payload->'ticket'->>'status' = 'resolved'`,
      [ticket.id],
    )) as { occurred_at: Date }[];
    expect(resolved['minutes_to_resolution']).toBeCloseTo((resolvedEvent!.occurred_at.getTime() - createdAt!.created_at.getTime()) / 60_000, 6);
    // The point's time is the event's (to the millisecond; the rest is the event id's offset).
    expect(Math.floor(Number(BigInt(resolved['time'] as number) / 1_000_000n))).toBe(resolvedEvent!.occurred_at.getTime());
    expect(points.find((p) => p['transition'] === 'reopened')).toMatchObject({ status: 'open', from_status: 'resolved' });
    expect(points.find((p) => p['event'] === 'ticket.assigned')).toMatchObject({ agent: agent.id });
    expect(points.find((p) => p['event'] === 'ticket.rated')).toMatchObject({ rating: 4, agent: agent.id, status: 'resolved' });
  });

  it('writes the gauges every refresh', async () => {
    const rows = await until(() => influx.rows(`SELECT * FROM tessera_tickets_open`, DB), (r) => r.length > 0, 15_000);
    expect(rows.some((r) => r['status'] === 'new' && typeof r['value'] === 'number')).toBe(true);
    const pending = await influx.rows(`SELECT * FROM tessera_outbox_pending`, DB);
    expect(pending.length).toBeGreaterThan(0);
    const queues = await influx.rows(`SELECT * FROM tessera_queue_jobs WHERE "queue" = 'intake'`, DB);
    expect(queues.length).toBeGreaterThan(0);
  });

  it('keeps the points while InfluxDB is down and delivers each once when it returns; tickets are created meanwhile', async () => {
    await influx.stop();
    const tickets: string[] = [];
    for (let i = 0; i < 15; i++) tickets.push((await open({ title: `Outage ${i}` })).id);
    for (const id of tickets.slice(0, 5)) await status(id, 'resolved');
    const events = await exportedEvents(db, tickets);
    expect(events.length).toBe(20);

    // The export tried, failed and kept the jobs (positive signal that it ran while InfluxDB was away).
    const queue = t.app.get(ProducerQueues).byName.get(QUEUES.influxExport)!;
    const waiting = await until(
      async () => {
        const counts = await queue.getJobCounts('waiting', 'delayed', 'active', 'failed', 'completed');
        return counts;
      },
      (c) => (c['waiting'] ?? 0) + (c['delayed'] ?? 0) + (c['active'] ?? 0) >= 1,
      10_000,
    );
    expect(waiting['failed']).toBe(0);

    await influx.restart();
    const points = await until(() => pointsOf(tickets), (rows) => rows.length >= events.length, 60_000);
    expect(points).toHaveLength(events.length);
    expect(new Set(points.map((p) => p['event_id'])).size).toBe(events.length);
    expect(points.map((p) => p['event_id']).sort()).toEqual(events.map((e) => e.id).sort());
    expect((await queue.getJobCounts('failed'))['failed']).toBe(0);
  }, 120_000);

  it('a replayed event writes no second point', async () => {
    const ticket = await open({ title: 'Replayed' });
    const [event] = await exportedEvents(db, [ticket.id]);
    await until(() => pointsOf([ticket.id]), (rows) => rows.length === 1, 15_000);
    const [row] = (await db.query(`SELECT id, type, aggregate_id, actor_id, payload, occurred_at FROM outbox WHERE id = $1`, [event!.id])) as {
      id: string;
      type: string;
      aggregate_id: string;
      actor_id: string | null;
      payload: Record<string, unknown>;
      occurred_at: Date;
    }[];
    const queue = t.app.get(ProducerQueues).byName.get(QUEUES.influxExport)!;
    // The same event again, under another job id (as a replay by an operator would): it runs and completes...
    const job = await queue.add(row!.type, {
      id: row!.id,
      type: row!.type,
      aggregateId: row!.aggregate_id,
      actorId: row!.actor_id,
      occurredAt: row!.occurred_at.toISOString(),
      payload: row!.payload,
    }, { jobId: `replay-${row!.id}` });
    const state = await until(() => job.getState(), (s) => s === 'completed' || s === 'failed', 15_000);
    expect(state).toBe('completed');
    // ...and the series still holds one point for it.
    const points = await pointsOf([ticket.id]);
    expect(points).toHaveLength(1);
    expect(points[0]!['event_id']).toBe(event!.id);
  });
});

describe('INFLUX_MAX_BACKLOG', () => {
  it('drops points past the bound while InfluxDB is away, and counts them', async () => {
    // Nothing listens on this port: every write fails, so the points wait in the queue.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const deadPort = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const t = await startTestApp({
      INFLUX_URL: `http://127.0.0.1:${deadPort}`,
      INFLUX_DATABASE: DB,
      INFLUX_MAX_BACKLOG: '4',
      OUTBOX_POLL_MS: '50',
      METRICS_REFRESH_SECONDS: '3600',
    });
    try {
      // The first refresh (at start; the next in an hour) queued its gauges: one of the 4 places.
      const snapshots = t.app.get(MetricsSnapshotStore);
      const queue = t.app.get(ProducerQueues).byName.get(QUEUES.influxExport)!;
      await until(() => snapshots.load(), (s) => s !== null, 15_000);
      expect(await until(() => unfinishedJobs(queue), (n) => n === 1, 5_000)).toBe(1);
      const requester = await t.user('requester');
      for (let i = 0; i < 10; i++) {
        const res = await t.request('POST', '/api/v1/tickets', { as: requester, body: { title: `Backlog ${i}`, description: 'x' } });
        expect(res.status).toBe(201);
      }
      const metrics = t.app.get(PrometheusMetrics);
      const dropped = async () => sampleValue(parseExposition(await metrics.text()), 'tessera_influx_points_dropped_total') ?? 0;
      // 10 events, room for 3 (nothing completes while InfluxDB is away): 7 dropped once the relay moved them all.
      const db = t.app.get(DataSource);
      await until(async () => Number((await db.query(`SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL`))[0].n), (n) => n === 0, 15_000);
      expect(await dropped()).toBe(7);
      expect(await unfinishedJobs(queue)).toBe(4);
    } finally {
      await t.close();
    }
  }, 60_000);
});

/** A local HTTP receiver that records each request and answers 204, as InfluxDB does to a write. */
async function startReceiver() {
  const received: { url: string; method: string; headers: IncomingHttpHeaders; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ url: req.url ?? '', method: req.method ?? '', headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** Creates a ticket on an app exporting to `env`'s InfluxDB and returns the first write that carries it. */
async function firstWriteOf(env: Record<string, string>, receiver: Awaited<ReturnType<typeof startReceiver>>) {
  const t = await startTestApp({ INFLUX_URL: receiver.url, OUTBOX_POLL_MS: '50', ...env });
  try {
    const requester = await t.user('requester');
    const res = await t.request('POST', '/api/v1/tickets', { as: requester, body: { title: 'Shape', description: 'x' } });
    expect(res.status).toBe(201);
    const writes = await until(async () => receiver.received.filter((r) => r.body.includes(res.body.id)), (r) => r.length > 0, 15_000);
    return { write: writes[0]!, ticketId: res.body.id as string };
  } finally {
    await t.close();
  }
}

describe('the write request (InfluxDB 2 cannot run here: its /api/v2/write shape is checked against a local receiver)', () => {
  it('InfluxDB 2: line protocol to /api/v2/write with org, bucket, ns precision and the token', async () => {
    const receiver = await startReceiver();
    try {
      const { write, ticketId } = await firstWriteOf({ INFLUX_ORG: 'acme org', INFLUX_BUCKET: 'service-desk', INFLUX_TOKEN: 'secret-token' }, receiver);
      expect(write.method).toBe('POST');
      const url = new URL(write.url, 'http://x');
      expect(url.pathname).toBe('/api/v2/write');
      expect(Object.fromEntries(url.searchParams)).toEqual({ org: 'acme org', bucket: 'service-desk', precision: 'ns' });
      expect(write.headers.authorization).toBe('Token secret-token');
      expect(write.headers['content-type']).toContain('text/plain');
      const line = write.body.split('\n').find((l) => l.includes(ticketId))!;
      expect(line).toMatch(/^tessera_ticket_events,event=ticket\.created,priority=\w+,severity=\w+,status=new /);
      expect(line).toContain(`ticket_id="${ticketId}"`);
      expect(line).toMatch(/ \d{19}$/);
    } finally {
      await receiver.close();
    }
  }, 60_000);

  it('InfluxDB 1.x with credentials: /write?db= with HTTP basic authentication', async () => {
    const receiver = await startReceiver();
    try {
      const { write } = await firstWriteOf({ INFLUX_DATABASE: 'desk', INFLUX_USERNAME: 'writer', INFLUX_PASSWORD: 'p@ss' }, receiver);
      const url = new URL(write.url, 'http://x');
      expect(url.pathname).toBe('/write');
      expect(Object.fromEntries(url.searchParams)).toEqual({ db: 'desk', precision: 'ns' });
      expect(write.headers.authorization).toBe(`Basic ${Buffer.from('writer:p@ss').toString('base64')}`);
    } finally {
      await receiver.close();
    }
  }, 60_000);
});
