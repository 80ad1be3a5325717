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

/** An in-memory bus: what a test publishes reaches every listener. */
function memoryBus() {
  const listeners = new Set<(e: LiveEvent) => void>();
  const accessListeners = new Set<(userId: string) => void>();
  const bus = new (class extends LiveEventBus {
    subscribe(listener: (e: LiveEvent) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    }
    onAccessChanged(listener: (userId: string) => void) {
      accessListeners.add(listener);
      return () => accessListeners.delete(listener);
    }
  })();
  const publish = (e: LiveEvent) => [...listeners].forEach((l) => l(e));
  const accessChanged = (userId: string) => [...accessListeners].forEach((l) => l(userId));
  return { bus, listeners, accessListeners, publish, accessChanged };
}

describe('StreamEvents', () => {
  it('passes a caller only the events they may receive, until closed', () => {
    const { bus, listeners, accessListeners, publish } = memoryBus();
    const got: string[] = [];
    const revoked: string[] = [];
    const close = new StreamEvents(bus).open(alice, (e) => got.push(e.type), () => revoked.push('alice'));
    publish(event('ticket.created'));
    publish(event('comment.created', { comment: { internal: true } }));
    close();
    publish(event('ticket.updated'));
    expect(got).toEqual(['ticket.created']);
    expect(listeners.size).toBe(0);
    expect(accessListeners.size).toBe(0);
    expect(revoked).toEqual([]);
  });

  it("ends a caller's stream when their access changes, and only theirs", () => {
    const { bus, listeners, accessListeners, publish, accessChanged } = memoryBus();
    const stream = new StreamEvents(bus);
    const got: string[] = [];
    const ended: string[] = [];
    stream.open(agent, (e) => got.push(`agent:${e.type}`), () => ended.push('agent'));
    stream.open(alice, (e) => got.push(`alice:${e.type}`), () => ended.push('alice'));
    publish(event('ticket.created'));
    accessChanged(agent.id);
    accessChanged(agent.id);
    publish(event('ticket.updated'));
    expect(ended).toEqual(['agent']);
    expect(got).toEqual(['agent:ticket.created', 'alice:ticket.created', 'alice:ticket.updated']);
    expect(listeners.size).toBe(1);
    expect(accessListeners.size).toBe(1);
  });
});
