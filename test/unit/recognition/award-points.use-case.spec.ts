import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { awardOf, AwardPoints, concernsRecognition } from '../../../src/core/recognition/award-points.use-case.js';
import { RecognitionRules } from '../../../src/core/recognition/recognition-rules.js';
import { InMemoryRecognition } from '../../support/fakes/in-memory-recognition.js';

const TICKET = randomUUID();
const ANA = randomUUID();
const BEN = randomUUID();
const T0 = Date.parse('2026-11-02T10:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

const event = (type: string, payload: Record<string, unknown>, minutes = 0, assigneeId: string | null = ANA) => ({
  id: randomUUID(),
  type,
  aggregateId: TICKET,
  actorId: null,
  occurredAt: at(minutes),
  payload: { ticket: { id: TICKET, number: 1042, assigneeId }, ...payload },
});
const fulfilled = (clock: string, extra: Record<string, unknown> = {}, minutes = 0, assignee: string | null = ANA) =>
  event('sla.fulfilled', { clock, late: false, byResolution: false, ...extra }, minutes, assignee);
const statusChange = (from: string, to: string, minutes = 0, assignee: string | null = ANA) =>
  event('ticket.status_changed', { changes: [{ type: 'status_changed', field: 'status', from, to }] }, minutes, assignee);
const rated = (rating: number, assigneeId: string | null = ANA) => event('ticket.rated', { rating: { rating, assigneeId } });

function setup(rules = RecognitionRules.defaults()) {
  const ledger = new InMemoryRecognition();
  return { ledger, award: new AwardPoints(ledger, rules) };
}
const rulesOf = (ledger: InMemoryRecognition, agent = ANA) =>
  ledger.entries.filter((e) => e.agentId === agent).map((e) => `${e.rule}:${e.points}`);

describe('which events concern recognition', () => {
  it.each([
    [fulfilled('resolution'), true],
    [fulfilled('resolution', { late: true }), false],
    [fulfilled('first_response'), true],
    [fulfilled('first_response', { byResolution: true }), false],
    [fulfilled('first_response', { late: true }), false],
    [event('sla.breached', { clock: 'resolution' }), true],
    [rated(3), true],
    [statusChange('resolved', 'open'), true],
    [statusChange('closed', 'open'), true],
    [statusChange('open', 'resolved'), false],
    [statusChange('new', 'open'), false],
    [event('ticket.created', {}), false],
    [event('comment.created', {}), false],
  ])('%# %o → %s', (e, expected) => expect(concernsRecognition(e)).toBe(expected));
});

describe('awardOf: the rule and its agent', () => {
  it('names the rule, the assignee of the event and a reason with the ticket number', () => {
    expect(awardOf(fulfilled('resolution'))).toEqual({ rule: 'resolved_within_sla', agentId: ANA, reason: 'Resolved #1042 within its SLA' });
    expect(awardOf(fulfilled('first_response'))).toMatchObject({ rule: 'first_response_within_sla', agentId: ANA });
    expect(awardOf(rated(5, BEN))).toMatchObject({ rule: 'rating_5', agentId: BEN, reason: 'Rated 5 of 5 on #1042' });
    expect(awardOf(statusChange('resolved', 'open'))).toMatchObject({ rule: 'reopened', agentId: ANA });
  });

  it('a breach escalated away from its assignee still costs who had it', () => {
    const breach = event('sla.breached', { clock: 'first_response', assigneeAtBreach: BEN }, 0, null);
    expect(awardOf(breach)).toMatchObject({ rule: 'sla_breached', agentId: BEN, reason: 'SLA first response target of #1042 breached' });
  });

  it.each([0, 6, 2.5, '5', null])('ignores a rating of %o', (rating) => {
    expect(awardOf(event('ticket.rated', { rating: { rating, assigneeId: ANA } }))).toBeNull();
  });
});

describe('AwardPoints', () => {
  it('awards the defaults: +10, +5, rating 5/4/3/2/1 → +5/+2/0/−5/−5, reopen −8, breach −5', async () => {
    const { ledger, award } = setup();
    await award.execute(fulfilled('resolution'));
    await award.execute(fulfilled('first_response'));
    for (const r of [5, 4, 3, 2, 1]) await award.execute(rated(r));
    await award.execute(event('sla.breached', { clock: 'resolution' }));
    expect(rulesOf(ledger)).toEqual([
      'resolved_within_sla:10',
      'first_response_within_sla:5',
      'rating_5:5',
      'rating_4:2',
      'rating_2:-5',
      'rating_1:-5',
      'sla_breached:-5',
    ]); // rating 3 is worth 0: nothing recorded
    expect(ledger.totalOf(ANA)).toBe(7);
  });

  it('uses configured points', async () => {
    const { ledger, award } = setup(RecognitionRules.fromJson('{"resolved_within_sla":25,"rating_3":1}'));
    await award.execute(fulfilled('resolution'));
    await award.execute(rated(3));
    expect(rulesOf(ledger)).toEqual(['resolved_within_sla:25', 'rating_3:1']);
  });

  it('records nothing for an unassigned ticket', async () => {
    const { ledger, award } = setup();
    expect(await award.execute(fulfilled('resolution', {}, 0, null))).toEqual([]);
    expect(ledger.entries).toEqual([]);
  });

  it('a replayed or concurrent job awards once', async () => {
    const { ledger, award } = setup();
    const e = rated(5);
    expect(await award.execute(e)).toHaveLength(1);
    expect(await award.execute(e)).toEqual([]);
    await Promise.all([award.execute(e), award.execute(e), award.execute(e)]);
    expect(ledger.entries).toHaveLength(1);
    expect(ledger.totalOf(ANA)).toBe(5);
  });

  it('a reopen costs −8 and takes back the resolution award from who earned it, once', async () => {
    const { ledger, award } = setup();
    await award.execute(fulfilled('resolution', {}, 0, ANA));
    const reopen = statusChange('resolved', 'open', 5, BEN); // reassigned to Ben while resolved
    await award.execute(reopen);
    await award.execute(reopen);
    expect(rulesOf(ledger, ANA)).toEqual(['resolved_within_sla:10', 'resolution_taken_back:-10']);
    expect(rulesOf(ledger, BEN)).toEqual(['reopened:-8']);
    const taken = ledger.entries.find((e) => e.rule === 'resolution_taken_back')!;
    expect(taken.reverses).toBe(ledger.entries[0]!.id);
    // Ben resolves it in time: the award moved with the work.
    await award.execute(fulfilled('resolution', {}, 10, BEN));
    expect(ledger.totalOf(ANA)).toBe(0);
    expect(ledger.totalOf(BEN)).toBe(2);
    // A second reopen takes back only Ben's award.
    await award.execute(statusChange('resolved', 'open', 15, BEN));
    expect(rulesOf(ledger, BEN)).toEqual(['reopened:-8', 'resolved_within_sla:10', 'resolution_taken_back:-10', 'reopened:-8']);
    expect(rulesOf(ledger, ANA)).toHaveLength(2);
  });

  it('the order of the jobs does not matter: a resolution award that arrives after its reopen is not given', async () => {
    const { ledger, award } = setup();
    await award.execute(statusChange('resolved', 'open', 5));
    await award.execute(fulfilled('resolution', {}, 0));
    expect(rulesOf(ledger)).toEqual(['reopened:-8']);
    // A resolution after the reopen is awarded.
    await award.execute(fulfilled('resolution', {}, 10));
    expect(rulesOf(ledger)).toEqual(['reopened:-8', 'resolved_within_sla:10']);
  });

  it('ratings and first-response awards stay after a reopen', async () => {
    const { ledger, award } = setup();
    await award.execute(fulfilled('first_response', {}, 0));
    await award.execute(rated(5));
    await award.execute(statusChange('resolved', 'open', 5));
    expect(rulesOf(ledger)).toEqual(['first_response_within_sla:5', 'rating_5:5', 'reopened:-8']);
  });
});
