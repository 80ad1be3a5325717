import { describe, expect, it } from 'vitest';
import { outcomeOf } from '../../../src/core/metrics/ticket-outcomes.js';

const statusEvent = (from: string, to: string, type = 'ticket.status_changed') => ({
  type,
  actorId: 'someone',
  payload: { changes: [{ type: 'status_changed', field: 'status', from, to }] },
});

describe('outcomeOf: what a committed event counts as', () => {
  it.each([
    ['new', 'resolved', 'resolved'],
    ['in_progress', 'resolved', 'resolved'],
    ['pending', 'resolved', 'resolved'],
    ['resolved', 'open', 'reopened'],
    ['closed', 'open', 'reopened'],
    ['resolved', 'closed', null],
    ['new', 'open', null],
    ['open', 'closed', null],
  ])('%s → %s counts as %s', (from, to, kind) => {
    expect(outcomeOf(statusEvent(from, to))?.kind ?? null).toBe(kind);
  });

  it('counts a creation, and a breach by its clock', () => {
    expect(outcomeOf({ type: 'ticket.created', actorId: null, payload: {} })).toEqual({ kind: 'created' });
    expect(outcomeOf({ type: 'sla.breached', actorId: null, payload: { clock: 'first_response' } })).toEqual({
      kind: 'sla_breached',
      target: 'first_response',
    });
    expect(outcomeOf({ type: 'sla.breached', actorId: null, payload: { clock: 'resolution' } })).toEqual({
      kind: 'sla_breached',
      target: 'resolution',
    });
  });

  it('counts nothing for other events or malformed payloads', () => {
    expect(outcomeOf({ type: 'sla.at_risk', actorId: null, payload: { clock: 'resolution' } })).toBeNull();
    expect(outcomeOf({ type: 'sla.breached', actorId: null, payload: { clock: 'other' } })).toBeNull();
    expect(outcomeOf({ type: 'comment.created', actorId: 'x', payload: {} })).toBeNull();
    expect(outcomeOf(statusEvent('resolved', 'nonsense'))).toBeNull();
  });
});
