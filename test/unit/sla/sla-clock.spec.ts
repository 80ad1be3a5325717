import { describe, expect, it } from 'vitest';
import { ALWAYS_OPEN } from '../../../src/core/sla/business-calendar.js';
import { SlaClock, type TicketSlaState } from '../../../src/core/sla/sla-clock.js';
import { at, office } from './calendars.js';
import { dues, iso, kinds, mon, standard, started } from './clock-helpers.js';
import { aPolicy } from './policies.js';

describe('SlaClock.start', () => {
  it.each([
    ['Monday 10:00, high', 'high', '2025-03-10T10:00:00Z', standard, '2025-03-10T12:00:00.000Z', '2025-03-11T10:00:00.000Z'],
    ['Friday 16:00, critical: 4 h ends Monday 12:00', 'critical', '2025-03-07T16:00:00Z', standard, '2025-03-07T17:00:00.000Z', '2025-03-10T12:00:00.000Z'],
    ['Saturday noon, high: counting starts Monday 09:00', 'high', '2025-03-08T12:00:00Z', standard, '2025-03-10T11:00:00.000Z', '2025-03-10T17:00:00.000Z'],
    ['Sunday 20:00, low (40 h = a working week)', 'low', '2025-03-09T20:00:00Z', standard, '2025-03-10T17:00:00.000Z', '2025-03-14T17:00:00.000Z'],
    ['Monday 16:00 before a holiday Tuesday, high', 'high', '2025-03-10T16:00:00Z', aPolicy({ calendar: office('UTC', ['2025-03-11']) }), '2025-03-12T10:00:00.000Z', '2025-03-12T16:00:00.000Z'],
    ['Friday 16:00 CET in Madrid, critical, over the spring-forward weekend', 'critical', '2025-03-28T15:00:00Z', aPolicy({ calendar: office('Europe/Madrid') }), '2025-03-28T16:00:00.000Z', '2025-03-31T10:00:00.000Z'],
    ['Saturday 23:00, high, 24×7', 'high', '2025-03-08T23:00:00Z', aPolicy({ calendar: ALWAYS_OPEN }), '2025-03-09T01:00:00.000Z', '2025-03-09T07:00:00.000Z'],
  ] as const)('%s', (_name, priority, when, policy, firstResponseDue, resolutionDue) => {
    const { state, events } = SlaClock.start(policy, priority, at(when));
    expect(dues(state)).toEqual([firstResponseDue, resolutionDue]);
    expect(events).toEqual([
      { clock: 'first_response', type: 'started', at: at(when), dueAt: at(firstResponseDue), details: { priority, targetMinutes: policy.targets[priority].firstResponseMinutes } },
      { clock: 'resolution', type: 'started', at: at(when), dueAt: at(resolutionDue), details: { priority, targetMinutes: policy.targets[priority].resolutionMinutes } },
    ]);
  });

  it('starts with nothing paused, at risk, breached or fulfilled', () => {
    expect(started('medium', '2025-03-10T09:00:00Z')).toMatchObject({
      policyId: 'standard',
      priority: 'medium',
      firstRespondedAt: null,
      resolvedAt: null,
      pausedAt: null,
      pausedBusinessMinutes: 0,
      atRisk: { first_response: false, resolution: false },
      breached: { first_response: false, resolution: false },
    });
  });
});

describe('pause and resume', () => {
  it('extends the due dates only by the business minutes paused (a pause over a weekend)', () => {
    let state = started('high', '2025-03-07T10:00:00Z'); // Friday: resolution due Monday 10:00
    state = SlaClock.recordFirstResponse(state, standard, at('2025-03-07T10:30:00Z')).state;
    const paused = SlaClock.pause(state, standard, at('2025-03-07T15:00:00Z')); // 5 h used, 3 h left
    expect(kinds(paused.events)).toEqual([['resolution', 'paused']]);
    expect(iso(paused.state.resolutionDueAt)).toBe('2025-03-10T10:00:00.000Z'); // unchanged while paused

    const resumed = SlaClock.resume(paused.state, standard, at('2025-03-10T11:00:00Z')); // Monday 11:00
    expect(resumed.state.pausedBusinessMinutes).toBe(240); // Friday 15–17 + Monday 09–11, not the weekend
    expect(resumed.state.pausedAt).toBeNull();
    expect(iso(resumed.state.resolutionDueAt)).toBe('2025-03-10T14:00:00.000Z'); // 11:00 + the 3 h left
    expect(resumed.events).toEqual([
      { clock: 'resolution', type: 'resumed', at: at('2025-03-10T11:00:00Z'), dueAt: at('2025-03-10T14:00:00Z'), details: { pausedMinutes: 240 } },
    ]);
  });

  it('pauses and resumes both clocks while the first response is outstanding', () => {
    const state = started('high', '2025-03-10T09:00:00Z');
    const paused = SlaClock.pause(state, standard, at('2025-03-10T10:00:00Z'));
    expect(kinds(paused.events)).toEqual([['first_response', 'paused'], ['resolution', 'paused']]);
    const resumed = SlaClock.resume(paused.state, standard, at('2025-03-10T10:30:00Z'));
    expect(dues(resumed.state)).toEqual(['2025-03-10T11:30:00.000Z', '2025-03-11T09:30:00.000Z']);
  });

  it('adds nothing for a pause that lies entirely outside business hours', () => {
    const state = started('high', '2025-03-10T09:00:00Z');
    const paused = SlaClock.pause(state, standard, at('2025-03-10T18:00:00Z')).state;
    const resumed = SlaClock.resume(paused, standard, at('2025-03-11T08:00:00Z')).state;
    expect(resumed.pausedBusinessMinutes).toBe(0);
    expect(iso(resumed.resolutionDueAt)).toBe('2025-03-10T17:00:00.000Z');
  });

  it('accumulates several pauses', () => {
    let state = started('low', '2025-03-10T09:00:00Z');
    for (const [from, to] of [['10:00', '10:30'], ['13:00', '14:15'], ['16:00', '16:05']]) {
      state = SlaClock.pause(state, standard, at(`2025-03-10T${from}:00Z`)).state;
      state = SlaClock.resume(state, standard, at(`2025-03-10T${to}:00Z`)).state;
    }
    expect(state.pausedBusinessMinutes).toBe(30 + 75 + 5);
    expect(iso(state.firstResponseDueAt)).toBe('2025-03-11T10:50:00.000Z'); // 8 h + 110 min from Monday 09:00
  });

  it('reports a breach it finds when pausing, then pauses', () => {
    const state = started('high', '2025-03-10T09:00:00Z'); // first response due 11:00, never evaluated
    const { state: paused, events } = SlaClock.pause(state, standard, at('2025-03-10T11:30:00Z'));
    expect(kinds(events)).toEqual([['first_response', 'breached'], ['first_response', 'paused'], ['resolution', 'paused']]);
    expect(paused.breached.first_response).toBe(true);
  });

  it.each([
    ['pausing twice', (s: TicketSlaState) => SlaClock.pause(s, standard, mon('10:00')).state, SlaClock.pause],
    ['resuming a running clock', (s: TicketSlaState) => s, SlaClock.resume],
    ['pausing a resolved ticket', (s: TicketSlaState) => SlaClock.resolve(s, standard, mon('10:00')).state, SlaClock.pause],
    ['resuming a resolved ticket', (s: TicketSlaState) => SlaClock.resolve(s, standard, mon('10:00')).state, SlaClock.resume],
  ])('%s changes nothing and reports nothing', (_name, setUp, act) => {
    const before = setUp(started('high', '2025-03-10T09:00:00Z'));
    expect(act(before, standard, mon('11:00'))).toEqual({ state: before, events: [] });
  });

  it('refuses a policy other than the one the state follows', () => {
    const state = started('high', '2025-03-10T09:00:00Z');
    expect(() => SlaClock.pause(state, aPolicy({ id: 'gold' }), mon('10:00'))).toThrow('follows policy standard, not gold');
  });

  it('leaves the state it was given untouched', () => {
    const state = started('high', '2025-03-10T09:00:00Z');
    const copy = structuredClone(state);
    const paused = SlaClock.pause(state, standard, mon('11:30')).state;
    SlaClock.resume(paused, standard, mon('12:00'));
    expect(state).toEqual(copy);
    expect(paused.pausedAt).toEqual(mon('11:30'));
  });
});
