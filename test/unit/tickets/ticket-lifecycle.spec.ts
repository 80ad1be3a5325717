import { describe, expect, it } from 'vitest';
import {
  FINISHED_STATUSES,
  isOpenStatus,
  isReopen,
  isResolution,
  OPEN_STATUSES,
  sqlStatusList,
} from '../../../src/core/tickets/ticket-lifecycle.js';
import { canTransition, TICKET_STATUSES, type TicketStatus } from '../../../src/core/tickets/ticket-status.js';

describe('ticket lifecycle', () => {
  it('splits every status into open or finished, once', () => {
    expect([...OPEN_STATUSES, ...FINISHED_STATUSES].sort()).toEqual([...TICKET_STATUSES].sort());
    expect(TICKET_STATUSES.filter(isOpenStatus)).toEqual([...OPEN_STATUSES]);
  });

  it.each<[TicketStatus, TicketStatus, boolean, boolean]>([
    ['open', 'resolved', true, false],
    ['new', 'resolved', true, false],
    ['resolved', 'open', false, true],
    ['resolved', 'closed', false, false],
    ['open', 'closed', false, false],
    ['pending', 'open', false, false],
  ])('%s → %s: resolution %s, reopen %s', (from, to, resolution, reopen) => {
    expect(isResolution(from, to)).toBe(resolution);
    expect(isReopen(from, to)).toBe(reopen);
  });

  it('the only allowed reopen is resolved → open', () => {
    const reopens = TICKET_STATUSES.flatMap((from) =>
      TICKET_STATUSES.filter((to) => canTransition(from, to) && isReopen(from, to)).map((to) => `${from}→${to}`),
    );
    expect(reopens).toEqual(['resolved→open']);
  });

  it('quotes statuses for SQL', () => {
    expect(sqlStatusList(FINISHED_STATUSES)).toBe(`'resolved','closed'`);
  });
});
