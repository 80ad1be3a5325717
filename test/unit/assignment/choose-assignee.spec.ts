import { describe, expect, it } from 'vitest';
import { chooseAssignee, needsOpenCounts, type Candidate } from '../../../src/core/assignment/choose-assignee.js';

const at = (minute: number) => new Date(Date.UTC(2025, 0, 1, 9, minute));
const c = (userId: string, minute: number, openTickets = 0, eligible = true): Candidate => ({
  userId,
  joinedAt: at(minute),
  eligible,
  openTickets,
});

describe('chooseAssignee', () => {
  const team = [c('carol', 2), c('ann', 0), c('bob', 1)];

  it.each([
    { last: null, expected: 'ann', why: 'no one yet: the first to join' },
    { last: 'ann', expected: 'bob', why: 'the next in join order' },
    { last: 'bob', expected: 'carol', why: 'the next in join order' },
    { last: 'carol', expected: 'ann', why: 'wraps around' },
    { last: 'gone', expected: 'ann', why: 'the last one left the group: start over' },
  ])('round_robin after $last → $expected ($why)', ({ last, expected }) => {
    expect(chooseAssignee({ strategy: 'round_robin', maxOpenPerAgent: null, lastAssignedUserId: last }, team)).toBe(expected);
  });

  it('round_robin skips members who are unavailable, inactive or at the cap', () => {
    const members = [c('ann', 0), c('bob', 1, 0, false), c('carol', 2, 3), c('dan', 3)];
    const group = { strategy: 'round_robin' as const, maxOpenPerAgent: 3, lastAssignedUserId: 'ann' };
    expect(chooseAssignee(group, members)).toBe('dan');
  });

  it('least_open picks the fewest open tickets; ties go to the earlier joiner', () => {
    const members = [c('ann', 0, 4), c('bob', 1, 2), c('carol', 2, 2), c('dan', 3, 5)];
    expect(chooseAssignee({ strategy: 'least_open', maxOpenPerAgent: null, lastAssignedUserId: 'bob' }, members)).toBe('bob');
  });

  it('least_open ignores ineligible members even when they have the fewest tickets', () => {
    const members = [c('ann', 0, 0, false), c('bob', 1, 2)];
    expect(chooseAssignee({ strategy: 'least_open', maxOpenPerAgent: null, lastAssignedUserId: null }, members)).toBe('bob');
  });

  it.each(['round_robin', 'least_open'] as const)('%s: everyone at the cap → nobody (the ticket waits)', (strategy) => {
    const members = [c('ann', 0, 2), c('bob', 1, 2)];
    expect(chooseAssignee({ strategy, maxOpenPerAgent: 2, lastAssignedUserId: null }, members)).toBeNull();
  });

  it('manual groups never assign; empty groups have nobody', () => {
    expect(chooseAssignee({ strategy: 'manual', maxOpenPerAgent: null, lastAssignedUserId: null }, team)).toBeNull();
    expect(chooseAssignee({ strategy: 'round_robin', maxOpenPerAgent: null, lastAssignedUserId: null }, [])).toBeNull();
  });

  it('open-ticket counts are read only when the choice depends on them (least_open, or any cap)', () => {
    expect(needsOpenCounts({ strategy: 'round_robin', maxOpenPerAgent: null })).toBe(false);
    expect(needsOpenCounts({ strategy: 'round_robin', maxOpenPerAgent: 3 })).toBe(true);
    expect(needsOpenCounts({ strategy: 'least_open', maxOpenPerAgent: null })).toBe(true);
    expect(needsOpenCounts({ strategy: 'manual', maxOpenPerAgent: null })).toBe(false);
  });
});
