import { describe, expect, it } from 'vitest';
import { ALWAYS_OPEN } from '../../../src/core/sla/business-calendar.js';
import { SlaClock, type TicketSlaState } from '../../../src/core/sla/sla-clock.js';
import { at } from './calendars.js';
import { dues, iso, kinds, mon, standard, started, tue } from './clock-helpers.js';
import { aPolicy, STANDARD_TARGETS } from './policies.js';

const responded = (state: TicketSlaState, when: Date) => SlaClock.recordFirstResponse(state, standard, when).state;

describe('SlaClock.changeTarget', () => {
  it('keeps every paused minute, including the open pause, when the priority changes while paused (the GLPI/Zammad bug)', () => {
    let state = responded(started('low', mon('09:00')), mon('09:30'));
    state = SlaClock.pause(state, standard, mon('11:00')).state;
    state = SlaClock.resume(state, standard, mon('15:00')).state; // 240 paused
    state = SlaClock.pause(state, standard, tue('10:00')).state; // 5 h used: Mon 09–11, 15–17, Tue 09–10

    const changed = SlaClock.changeTarget(state, standard, 'high', tue('12:00'));
    expect(changed.state).toMatchObject({ priority: 'high', pausedAt: tue('10:00'), pausedBusinessMinutes: 240 });
    expect(iso(changed.state.resolutionDueAt)).toBe('2025-03-11T13:00:00.000Z'); // 8 h + closed pauses; still paused
    expect(changed.events).toEqual([
      {
        clock: 'resolution',
        type: 'target_changed',
        at: tue('12:00'),
        dueAt: tue('13:00'),
        details: {
          from: at('2025-03-17T13:00:00Z'),
          to: tue('13:00'),
          priority: 'high',
          previousPriority: 'low',
          policyId: 'standard',
          previousPolicyId: 'standard',
        },
      },
    ]);

    const resumed = SlaClock.resume(changed.state, standard, tue('14:00'));
    expect(resumed.state.pausedBusinessMinutes).toBe(480);
    expect(iso(resumed.state.resolutionDueAt)).toBe('2025-03-11T17:00:00.000Z'); // 14:00 + the 3 h left of 8 h
    expect(resumed.state.breached.resolution).toBe(false);
    expect(kinds(resumed.events)).toEqual([['resolution', 'resumed']]);
    expect(iso(SlaClock.nextCheckAt(resumed.state, standard))).toBe('2025-03-11T15:24:00.000Z'); // 80 % of 8 h
  });

  it('keeps closed pauses when the priority changes on a running clock', () => {
    let state = started('high', mon('09:00'));
    state = SlaClock.pause(state, standard, mon('10:00')).state;
    state = SlaClock.resume(state, standard, mon('12:00')).state; // 120 paused
    const { state: changed, events } = SlaClock.changeTarget(state, standard, 'critical', mon('12:30'));
    expect(dues(changed)).toEqual(['2025-03-10T12:00:00.000Z', '2025-03-10T15:00:00.000Z']);
    expect(kinds(events)).toEqual([
      ['first_response', 'target_changed'],
      ['first_response', 'breached'], // 1 h + 2 h paused was due at 12:00, already past
      ['resolution', 'target_changed'],
    ]);
    expect(changed.breached).toEqual({ first_response: true, resolution: false });
  });

  it('breaches at once while paused when the clock had already used more than the new target', () => {
    let state = responded(started('low', mon('09:00')), mon('09:10'));
    state = SlaClock.pause(state, standard, mon('15:00')).state; // 6 h used
    const { state: changed, events } = SlaClock.changeTarget(state, standard, 'critical', mon('16:00'));
    expect(kinds(events)).toEqual([['resolution', 'target_changed'], ['resolution', 'breached']]);
    expect(events[1]).toMatchObject({ at: mon('16:00'), dueAt: mon('13:00') });
    expect(changed.breached.resolution).toBe(true);
  });

  it('switches policy: the new targets and calendar apply from startedAt', () => {
    const premium = aPolicy({
      id: 'premium',
      calendar: ALWAYS_OPEN,
      targets: { ...STANDARD_TARGETS, medium: { firstResponseMinutes: 60, resolutionMinutes: 240 } },
    });
    const state = started('medium', mon('09:00'));
    const { state: changed, events } = SlaClock.changeTarget(state, premium, 'medium', mon('10:00'));
    expect(changed.policyId).toBe('premium');
    expect(dues(changed)).toEqual(['2025-03-10T10:00:00.000Z', '2025-03-10T13:00:00.000Z']);
    expect(kinds(events)).toEqual([
      ['first_response', 'target_changed'],
      ['first_response', 'breached'], // due at 10:00 is reached at 10:00
      ['resolution', 'target_changed'],
    ]);
    expect(events[0].details).toEqual({
      from: mon('13:00'),
      to: mon('10:00'),
      priority: 'medium',
      previousPriority: 'medium',
      policyId: 'premium',
      previousPolicyId: 'standard',
    });
    expect(() => SlaClock.evaluate(changed, standard, mon('10:30'))).toThrow('follows policy premium');
  });

  it('recomputes when the same policy has new targets, and says so', () => {
    const longer = aPolicy({ targets: { ...STANDARD_TARGETS, high: { firstResponseMinutes: 120, resolutionMinutes: 600 } } });
    const { state, events } = SlaClock.changeTarget(started('high', mon('09:00')), longer, 'high', mon('10:00'));
    expect(kinds(events)).toEqual([['resolution', 'target_changed']]);
    expect(iso(state.resolutionDueAt)).toBe('2025-03-11T11:00:00.000Z');
  });

  it('reports nothing when neither policy nor priority nor due dates change', () => {
    const state = started('high', mon('09:00'));
    const { state: same, events } = SlaClock.changeTarget(state, standard, 'high', mon('10:00'));
    expect(events).toEqual([]);
    expect(same).toEqual(state);
  });

  it('keeps a breach that happened even when the new due date is later (ITIL)', () => {
    let state = started('critical', mon('09:00'));
    state = SlaClock.evaluate(state, standard, mon('10:00')).state; // first response breached at 10:00
    const { state: changed, events } = SlaClock.changeTarget(state, standard, 'low', mon('10:30'));
    expect(iso(changed.firstResponseDueAt)).toBe('2025-03-10T17:00:00.000Z');
    expect(changed.breached.first_response).toBe(true);
    expect(kinds(events)).toEqual([['first_response', 'target_changed'], ['resolution', 'target_changed']]);
    expect(iso(SlaClock.nextCheckAt(changed, standard))).toBe('2025-03-13T17:00:00.000Z'); // resolution at 80 % of 40 h
  });

  it('records a breach under the old target before switching, when no check reported it yet', () => {
    const state = started('high', mon('09:00')); // first response due 11:00
    const { state: changed, events } = SlaClock.changeTarget(state, standard, 'low', mon('11:30'));
    expect(kinds(events)).toEqual([
      ['first_response', 'breached'],
      ['first_response', 'target_changed'],
      ['resolution', 'target_changed'],
    ]);
    expect(events[0].dueAt).toEqual(mon('11:00'));
    expect(changed.breached.first_response).toBe(true);
  });

  it('announces at risk when a shorter target puts the clock past the at-risk point', () => {
    const state = responded(started('high', mon('09:00')), mon('09:10'));
    const { state: changed, events } = SlaClock.changeTarget(state, standard, 'critical', mon('12:30'));
    expect(kinds(events)).toEqual([['resolution', 'target_changed'], ['resolution', 'at_risk']]); // at risk from 12:12
    expect(changed.atRisk.resolution).toBe(true);
  });

  it('clears at risk silently when a longer target moves the at-risk point into the future', () => {
    let state = responded(started('high', mon('09:00')), mon('09:10'));
    state = SlaClock.evaluate(state, standard, mon('15:30')).state; // at risk from 15:24
    expect(state.atRisk.resolution).toBe(true);
    const { state: changed, events } = SlaClock.changeTarget(state, standard, 'low', mon('15:45'));
    expect(kinds(events)).toEqual([['resolution', 'target_changed']]);
    expect(changed.atRisk.resolution).toBe(false);
    expect(iso(SlaClock.nextCheckAt(changed, standard))).toBe('2025-03-13T17:00:00.000Z');
  });

  it('does not announce at risk again when the clock stays at risk under the new target', () => {
    let state = responded(started('high', mon('09:00')), mon('09:10'));
    state = SlaClock.evaluate(state, standard, mon('15:30')).state;
    const tighter = aPolicy({ targets: { ...STANDARD_TARGETS, high: { firstResponseMinutes: 120, resolutionMinutes: 450 } } });
    const { state: changed, events } = SlaClock.changeTarget(state, tighter, 'high', mon('15:40'));
    expect(kinds(events)).toEqual([['resolution', 'target_changed']]); // at risk from 15:00, due 16:30
    expect(changed.atRisk.resolution).toBe(true);
    expect(changed.breached.resolution).toBe(false);
  });

  it('reports a breach when the new target is already used up, skipping at risk', () => {
    let state = responded(started('high', mon('09:00')), mon('09:10'));
    state = SlaClock.evaluate(state, standard, mon('15:30')).state;
    const { state: changed, events } = SlaClock.changeTarget(state, standard, 'critical', mon('15:40'));
    expect(kinds(events)).toEqual([['resolution', 'target_changed'], ['resolution', 'breached']]); // 4 h due at 13:00
    expect(changed.breached.resolution).toBe(true);
  });

  it('leaves stopped clocks alone: a resolved ticket only takes the new priority, used when it reopens', () => {
    let state = SlaClock.resolve(started('high', mon('09:00')), standard, mon('13:00')).state;
    const changed = SlaClock.changeTarget(state, standard, 'low', mon('14:00'));
    expect(changed.events).toEqual([]);
    expect(changed.state.priority).toBe('low');
    expect(dues(changed.state)).toEqual(dues(state));
    state = SlaClock.reopen(changed.state, standard, tue('10:00')).state; // 300 minutes resolved
    expect(iso(state.resolutionDueAt)).toBe('2025-03-17T14:00:00.000Z'); // 40 h + 300 min from Monday 09:00
  });
});
