import { describe, expect, it } from 'vitest';
import type { MetricsSnapshot } from '../../../src/core/metrics/metrics-snapshot.js';
import { eventTimestampNs, gaugePoints, ticketEventPoint, type ExportedEvent } from '../../../src/core/metrics/ticket-event-export.js';

const created = new Date('2026-11-05T10:00:00.000Z');
const view = { id: 't-1', status: 'resolved', priority: 'high', severity: 'critical', categoryId: 'c-1', groupId: 'g-1', assigneeId: 'a-1' };
const event = (type: string, payload: Record<string, unknown>, at = '2026-11-05T11:30:00.000Z', id = 'e-1'): ExportedEvent => ({
  id,
  type,
  aggregateId: 't-1',
  actorId: null,
  occurredAt: new Date(at),
  payload: { ticket: view, ...payload },
});

describe('ticketEventPoint', () => {
  it('a resolution: tags from the ticket, the transition, minutes to resolution from the creation', () => {
    const point = ticketEventPoint(event('ticket.status_changed', { changes: [{ field: 'status', from: 'in_progress', to: 'resolved' }] }), created);
    expect(point).toEqual({
      measurement: 'tessera_ticket_events',
      tags: {
        event: 'ticket.status_changed',
        priority: 'high',
        severity: 'critical',
        category: 'c-1',
        group: 'g-1',
        agent: 'a-1',
        status: 'resolved',
        from_status: 'in_progress',
        transition: 'resolved',
      },
      fields: { ticket_id: 't-1', event_id: 'e-1', minutes_to_resolution: 90 },
      timestampNs: eventTimestampNs(new Date('2026-11-05T11:30:00.000Z'), 'e-1'),
    });
  });

  it('a reopen is tagged, with no resolution time', () => {
    const point = ticketEventPoint(event('ticket.status_changed', { changes: [{ field: 'status', from: 'resolved', to: 'open' }] }), null)!;
    expect(point.tags['transition']).toBe('reopened');
    expect(point.fields['minutes_to_resolution']).toBeUndefined();
  });

  it('a first response (sla.fulfilled of first_response) carries the minutes to it; a rating its value', () => {
    const first = ticketEventPoint(event('sla.fulfilled', { clock: 'first_response', late: true }), created)!;
    expect(first.tags).toMatchObject({ event: 'sla.fulfilled', target: 'first_response' });
    expect(first.fields).toMatchObject({ minutes_to_first_response: 90, late: true });
    const rated = (rating: unknown) => ticketEventPoint(event('ticket.rated', { rating: { id: 'r-1', rating, comment: null } }), null)!;
    expect(rated(4).fields['rating']).toBe(4);
    expect(rated(4).tags).toMatchObject({ event: 'ticket.rated', agent: 'a-1' });
    expect(rated(9).fields['rating']).toBeUndefined();
    expect(rated(3.5).fields['rating']).toBeUndefined();
    expect(ticketEventPoint(event('sla.breached', { clock: 'resolution' }), null)!.tags).toMatchObject({ event: 'sla.breached', target: 'resolution' });
  });

  it('skips events no chart needs; leaves out unknown tags', () => {
    expect(ticketEventPoint(event('comment.created', {}), null)).toBeNull();
    expect(ticketEventPoint(event('ticket.updated', {}), null)).toBeNull();
    const bare = ticketEventPoint({ ...event('ticket.created', {}), payload: { ticket: { id: 't-1', priority: 'low' } } }, null)!;
    expect(bare.tags).toEqual({ event: 'ticket.created', priority: 'low' });
  });

  it('the same event gives the same timestamp; two events in one millisecond get different ones', () => {
    const at = new Date('2026-11-05T11:30:00.123Z');
    expect(eventTimestampNs(at, 'e-1')).toBe(eventTimestampNs(at, 'e-1'));
    expect(eventTimestampNs(at, 'e-1')).not.toBe(eventTimestampNs(at, 'e-2'));
    const ns = BigInt(eventTimestampNs(at, '6f1c1a52-7d0e-4b8e-9a51-0f1d7b1e2c3d'));
    expect(ns / 1_000_000n).toBe(BigInt(at.getTime()));
  });
});

describe('gaugePoints', () => {
  it('one point per series, named as in Prometheus, at the snapshot time', () => {
    const snapshot: MetricsSnapshot = {
      takenAt: '2026-11-05T10:00:00.000Z',
      queues: [{ queue: 'intake', state: 'waiting', count: 2 }],
      outbox: { pending: 1, oldestAgeSeconds: 0.5 },
      ticketsOpen: [{ status: 'new', priority: 'low', count: 3 }],
      slaAtRisk: [{ target: 'resolution', count: 1 }],
    };
    const points = gaugePoints(snapshot);
    expect(points.map((p) => [p.measurement, p.tags, p.fields['value']])).toEqual([
      ['tessera_tickets_open', { status: 'new', priority: 'low' }, 3],
      ['tessera_sla_at_risk', { target: 'resolution' }, 1],
      ['tessera_queue_jobs', { queue: 'intake', state: 'waiting' }, 2],
      ['tessera_outbox_pending', {}, 1],
      ['tessera_outbox_oldest_age_seconds', {}, 0.5],
    ]);
    expect(new Set(points.map((p) => p.timestampNs))).toEqual(new Set([`${Date.parse(snapshot.takenAt)}000000`]));
  });
});
