import { describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/core/identity/actor.js';
import { canReceive, StreamEvents, LiveEventBus, viewOf, type LiveEvent } from '../../../src/core/live/live-events.js';

const alice: Actor = { id: 'alice', role: 'requester' };
const agent: Actor = { id: 'agent', role: 'agent' };
const event = (type: string, payload: Record<string, unknown> = {}): LiveEvent => ({
  id: 'e1',
  type,
  aggregateId: 't1',
  actorId: null,
  occurredAt: '2025-01-01T00:00:00.000Z',
  payload: { ticket: { id: 't1', requesterId: 'alice' }, ...payload },
});

describe('canReceive', () => {
  it.each([
    [alice, event('ticket.created'), true],
    [alice, event('ticket.status_changed'), true],
    [alice, event('comment.created', { comment: { internal: false } }), true],
    [alice, event('comment.created', { comment: { internal: true } }), false],
    [alice, event('comment.created'), false],
    [alice, event('ticket.deleted'), false],
    [{ id: 'bob', role: 'requester' } as Actor, event('ticket.created'), false],
    [agent, event('comment.created', { comment: { internal: true } }), true],
    [agent, event('ticket.deleted'), true],
    [agent, event('group.changed'), false],
    [alice, event('ticket.rated', { rating: { rating: 5 } }), true],
    [agent, event('ticket.rated', { rating: { rating: 5 } }), true],
    [{ id: 'bob', role: 'requester' } as Actor, event('ticket.rated'), false],
    [agent, { ...event('ticket.created'), payload: {} }, false],
  ])('%o / %o → %s', (actor, e, expected) => {
    expect(canReceive(actor, e)).toBe(expected);
  });
});

describe('viewOf', () => {
  const triaged = event('ticket.updated', { reason: { source: 'triage', modelVersion: 2, confidence: { severity: 0.93 } } });

  it("hides triage's reason (its confidences) from requesters, not the change itself", () => {
    const { reason: _reason, ...rest } = triaged.payload;
    expect(viewOf(alice, triaged)).toEqual({ ...triaged, payload: rest });
  });

  it('shows staff everything, and requesters other reasons', () => {
    expect(viewOf(agent, triaged)).toBe(triaged);
    const routed = event('ticket.updated', { reason: 'category default group' });
    expect(viewOf(alice, routed)).toBe(routed);
  });
});

describe('StreamEvents', () => {
  it('passes a caller only the events they may receive, until closed', () => {
    const listeners = new Set<(e: LiveEvent) => void>();
    const bus = new (class extends LiveEventBus {
      subscribe(listener: (e: LiveEvent) => void) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      }
    })();
    const got: string[] = [];
    const close = new StreamEvents(bus).open(alice, (e) => got.push(e.type));
    for (const l of listeners) l(event('ticket.created'));
    for (const l of listeners) l(event('comment.created', { comment: { internal: true } }));
    close();
    for (const l of listeners) l(event('ticket.updated'));
    expect(got).toEqual(['ticket.created']);
    expect(listeners.size).toBe(0);
  });
});
