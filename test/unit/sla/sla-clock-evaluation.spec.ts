import { describe, expect, it } from 'vitest';
import { SlaClock, type TicketSlaState } from '../../../src/core/sla/sla-clock.js';
import { dues, iso, kinds, mon, standard, started, tue } from './clock-helpers.js';
import { aPolicy } from './policies.js';

// A high ticket opened Monday 09:00: first response at risk 10:36 (80 % of 2 h), due 11:00;
// resolution at risk 15:24 (80 % of 8 h), due 17:00.
const high = () => started('high', mon('09:00'));

describe('SlaClock.evaluate', () => {
  it.each([
    ['before any at-risk point', '10:35', []],
    ['at 80 % of the first-response target', '10:36', [['first_response', 'at_risk']]],
    ['at the first-response due date (breach only, no at-risk on top)', '11:00', [['first_response', 'breached']]],
    ['at 80 % of the resolution target', '15:24', [['first_response', 'breached'], ['resolution', 'at_risk']]],
    ['at the resolution due date', '17:00', [['first_response', 'breached'], ['resolution', 'breached']]],
  ])('first check %s (%s)', (_name, time, expected) => {
    const { state, events } = SlaClock.evaluate(high(), standard, mon(time));
    expect(kinds(events)).toEqual(expected);
    for (const [clock, type] of expected) {
      expect(state.atRisk[clock as 'first_response']).toBe(true);
      expect(state.breached[clock as 'first_response']).toBe(type === 'breached');
    }
  });

  it('reports each at-risk point and breach once, with the due date', () => {
    let state = high();
    const reported: string[][] = [];
    for (const time of ['10:36', '10:50', '11:00', '11:01', '15:24', '16:00', '17:00', '17:30']) {
      const result = SlaClock.evaluate(state, standard, mon(time));
      reported.push(...result.events.map((e) => [time, e.clock, e.type, iso(e.dueAt)!]));
      if (result.events.length === 0) expect(result.state).toBe(state);
      state = result.state;
    }
    expect(reported).toEqual([
      ['10:36', 'first_response', 'at_risk', '2025-03-10T11:00:00.000Z'],
      ['11:00', 'first_response', 'breached', '2025-03-10T11:00:00.000Z'],
      ['15:24', 'resolution', 'at_risk', '2025-03-10T17:00:00.000Z'],
      ['17:00', 'resolution', 'breached', '2025-03-10T17:00:00.000Z'],
    ]);
  });

  it('uses the policy at-risk percentage and says which it was', () => {
    const halfway = aPolicy({ atRiskPercent: 50 });
    const { events } = SlaClock.evaluate(started('high', mon('09:00'), halfway), halfway, mon('10:00'));
    expect(events).toEqual([{ clock: 'first_response', type: 'at_risk', at: mon('10:00'), dueAt: mon('11:00'), details: { percent: 50 } }]);
  });

  it('counts business time only: a ticket from Friday 16:00 is not at risk over the weekend', () => {
    const state = started('high', '2025-03-07T16:00:00Z'); // first response due Monday 10:00, at risk 09:36
    expect(SlaClock.evaluate(state, standard, mon('09:35')).events).toEqual([]);
    expect(kinds(SlaClock.evaluate(state, standard, mon('09:36')).events)).toEqual([['first_response', 'at_risk']]);
  });

  it('reports nothing while paused, even past the due dates', () => {
    const paused = SlaClock.pause(high(), standard, mon('10:00')).state;
    expect(SlaClock.evaluate(paused, standard, tue('12:00'))).toEqual({ state: paused, events: [] });
  });

  it('reports nothing for fulfilled clocks', () => {
    const resolved = SlaClock.resolve(high(), standard, mon('10:00')).state;
    expect(SlaClock.evaluate(resolved, standard, tue('12:00')).events).toEqual([]);
  });
});

describe('SlaClock.recordFirstResponse', () => {
  it.each([
    ['in time', '10:00', false, [['first_response', 'fulfilled']]],
    ['just before the due date', '10:59', false, [['first_response', 'fulfilled']]],
    ['at the due date, which counts as late', '11:00', true, [['first_response', 'breached'], ['first_response', 'fulfilled']]],
    ['late, before any check reported it', '11:30', true, [['first_response', 'breached'], ['first_response', 'fulfilled']]],
  ])('%s', (_name, time, late, expected) => {
    const { state, events } = SlaClock.recordFirstResponse(high(), standard, mon(time));
    expect(kinds(events)).toEqual(expected);
    expect(events.at(-1)).toEqual({ clock: 'first_response', type: 'fulfilled', at: mon(time), dueAt: mon('11:00'), details: { late } });
    expect(state.firstRespondedAt).toEqual(mon(time));
    expect(state.breached.first_response).toBe(late);
  });

  it('stays breached after a late response that a check already reported', () => {
    const breached = SlaClock.evaluate(high(), standard, mon('11:00')).state;
    const { state, events } = SlaClock.recordFirstResponse(breached, standard, mon('11:30'));
    expect(kinds(events)).toEqual([['first_response', 'fulfilled']]);
    expect(events[0].details).toEqual({ late: true });
    expect(state.breached.first_response).toBe(true);
  });

  it('is in time when given while paused before the due date, however late the wall clock', () => {
    const paused = SlaClock.pause(high(), standard, mon('10:30')).state;
    const { events } = SlaClock.recordFirstResponse(paused, standard, mon('16:00'));
    expect(events).toEqual([expect.objectContaining({ type: 'fulfilled', details: { late: false } })]);
  });

  it('stops the first-response clock only: later checks and nextCheckAt follow resolution', () => {
    const state = SlaClock.recordFirstResponse(high(), standard, mon('10:00')).state;
    expect(SlaClock.evaluate(state, standard, mon('12:00')).events).toEqual([]);
    expect(iso(SlaClock.nextCheckAt(state, standard))).toBe('2025-03-10T15:24:00.000Z');
  });

  it('ignores a second response', () => {
    const state = SlaClock.recordFirstResponse(high(), standard, mon('10:00')).state;
    expect(SlaClock.recordFirstResponse(state, standard, mon('12:00'))).toEqual({ state, events: [] });
  });
});

describe('SlaClock.resolve and reopen', () => {
  it('fulfils both clocks; a ticket resolved without a response counts as responded at resolution', () => {
    const { state, events } = SlaClock.resolve(high(), standard, mon('10:00'));
    expect(events).toEqual([
      { clock: 'first_response', type: 'fulfilled', at: mon('10:00'), dueAt: mon('11:00'), details: { late: false, byResolution: true } },
      { clock: 'resolution', type: 'fulfilled', at: mon('10:00'), dueAt: mon('17:00'), details: { late: false } },
    ]);
    expect(state).toMatchObject({ firstRespondedAt: mon('10:00'), resolvedAt: mon('10:00') });
    expect(SlaClock.nextCheckAt(state, standard)).toBeNull();
  });

  it('resolves late: reports the breaches not yet reported, then fulfils late', () => {
    const responded = SlaClock.recordFirstResponse(high(), standard, mon('10:00')).state;
    const { state, events } = SlaClock.resolve(responded, standard, tue('09:30'));
    expect(kinds(events)).toEqual([['resolution', 'breached'], ['resolution', 'fulfilled']]);
    expect(events[1].details).toEqual({ late: true });
    expect(state.breached).toEqual({ first_response: false, resolution: true });
  });

  it('ends an open pause when resolving, and counts it when the ticket reopens', () => {
    let state = SlaClock.recordFirstResponse(high(), standard, mon('09:30')).state;
    state = SlaClock.pause(state, standard, mon('10:00')).state; // 1 h used
    const resolved = SlaClock.resolve(state, standard, mon('12:00'));
    expect(resolved.state).toMatchObject({ pausedAt: null, pausedBusinessMinutes: 120, resolvedAt: mon('12:00') });
    expect(resolved.events).toEqual([expect.objectContaining({ clock: 'resolution', type: 'fulfilled', details: { late: false } })]);
    const reopened = SlaClock.reopen(resolved.state, standard, mon('13:00')).state;
    expect(reopened.pausedBusinessMinutes).toBe(180);
    expect(iso(reopened.resolutionDueAt)).toBe('2025-03-11T12:00:00.000Z'); // 13:00 + the 7 h left
  });

  it('reopens keeping the time used: the resolution clock runs on from where it stopped', () => {
    const resolved = SlaClock.resolve(high(), standard, mon('13:00')).state; // 4 h used
    const { state, events } = SlaClock.reopen(resolved, standard, tue('10:00'));
    expect(state).toMatchObject({ resolvedAt: null, pausedBusinessMinutes: 300, firstRespondedAt: mon('13:00') });
    expect(dues(state)).toEqual(['2025-03-10T11:00:00.000Z', '2025-03-11T14:00:00.000Z']); // Tuesday 10:00 + 4 h
    expect(events).toEqual([
      { clock: 'resolution', type: 'resumed', at: tue('10:00'), dueAt: tue('14:00'), details: { reopened: true, pausedMinutes: 300 } },
    ]);
    expect(iso(SlaClock.nextCheckAt(state, standard))).toBe('2025-03-11T12:24:00.000Z');
    expect(kinds(SlaClock.evaluate(state, standard, tue('14:00')).events)).toEqual([['resolution', 'breached']]);
  });

  it('reopens a breached resolution still breached, without reporting it again', () => {
    const resolved = SlaClock.resolve(high(), standard, tue('10:00')).state;
    expect(resolved.breached.resolution).toBe(true);
    const { state, events } = SlaClock.reopen(resolved, standard, tue('11:00'));
    expect(kinds(events)).toEqual([['resolution', 'resumed']]);
    expect(state.breached.resolution).toBe(true);
    expect(SlaClock.nextCheckAt(state, standard)).toBeNull();
  });

  it.each([
    ['resolving twice', (s: TicketSlaState) => SlaClock.resolve(s, standard, mon('10:00')).state, SlaClock.resolve],
    ['reopening an open ticket', (s: TicketSlaState) => s, SlaClock.reopen],
  ])('%s changes nothing', (_name, setUp, act) => {
    const before = setUp(high());
    expect(act(before, standard, mon('11:00'))).toEqual({ state: before, events: [] });
  });
});

describe('SlaClock.nextCheckAt', () => {
  const after = (...steps: ((s: TicketSlaState) => TicketSlaState)[]) => steps.reduce((s, step) => step(s), high());
  const evaluated = (time: string) => (s: TicketSlaState) => SlaClock.evaluate(s, standard, mon(time)).state;

  it.each([
    ['a new ticket: the first-response at-risk point', after(), '2025-03-10T10:36:00.000Z'],
    ['first response at risk: its due date', after(evaluated('10:40')), '2025-03-10T11:00:00.000Z'],
    ['first response breached: the resolution at-risk point', after(evaluated('11:00')), '2025-03-10T15:24:00.000Z'],
    ['resolution at risk: its due date', after(evaluated('15:30')), '2025-03-10T17:00:00.000Z'],
    ['everything breached: nothing left', after(evaluated('17:00')), null],
    ['paused: nothing until it resumes', after((s) => SlaClock.pause(s, standard, mon('10:00')).state), null],
    ['resolved: nothing', after((s) => SlaClock.resolve(s, standard, mon('10:00')).state), null],
    [
      'resumed after a 1 h pause: an hour later',
      after((s) => SlaClock.pause(s, standard, mon('10:00')).state, (s) => SlaClock.resume(s, standard, mon('11:00')).state),
      '2025-03-10T11:36:00.000Z',
    ],
  ])('%s', (_name, state, expected) => {
    expect(iso(SlaClock.nextCheckAt(state, standard))).toBe(expected);
  });

  it('drives a worker that checks only when told to: every event, each once, at its instant', () => {
    let state = high();
    const log: string[] = [];
    for (let next = SlaClock.nextCheckAt(state, standard); next; next = SlaClock.nextCheckAt(state, standard)) {
      const result = SlaClock.evaluate(state, standard, next);
      expect(result.events.length).toBeGreaterThan(0);
      log.push(...result.events.map((e) => `${next!.toISOString()} ${e.clock} ${e.type}`));
      state = result.state;
    }
    expect(log).toEqual([
      '2025-03-10T10:36:00.000Z first_response at_risk',
      '2025-03-10T11:00:00.000Z first_response breached',
      '2025-03-10T15:24:00.000Z resolution at_risk',
      '2025-03-10T17:00:00.000Z resolution breached',
    ]);
  });
});
