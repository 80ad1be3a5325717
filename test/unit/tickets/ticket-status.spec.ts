import { describe, expect, it } from 'vitest';
import { IllegalTransitionError } from '../../../src/core/tickets/ticket.errors.js';
import { canTransition, TICKET_STATUSES, type TicketStatus } from '../../../src/core/tickets/ticket-status.js';
import { anActor } from '../../support/factories/identity.factory.js';
import { aTicket } from '../../support/factories/ticket.factory.js';

/** The workflow, written out by hand: every status may follow `new`; nothing follows `closed`; no self-loops. */
const WORKFLOW: Record<TicketStatus, TicketStatus[]> = {
  new: ['open', 'in_progress', 'pending', 'resolved', 'closed'],
  open: ['in_progress', 'pending', 'resolved', 'closed'],
  in_progress: ['open', 'pending', 'resolved', 'closed'],
  pending: ['open', 'in_progress', 'resolved', 'closed'],
  resolved: ['open', 'closed'],
  closed: [],
};

const pairs = TICKET_STATUSES.flatMap((from) =>
  TICKET_STATUSES.map((to) => ({ from, to, allowed: WORKFLOW[from].includes(to) })),
);

describe('ticket status workflow', () => {
  it('knows exactly the six statuses of the workflow', () => {
    expect([...TICKET_STATUSES].sort()).toEqual(Object.keys(WORKFLOW).sort());
  });

  it.each(pairs)('$from → $to is allowed: $allowed', ({ from, to, allowed }) => {
    expect(canTransition(from, to)).toBe(allowed);
  });

  describe('applied by an agent to a ticket', () => {
    const agent = anActor('agent');
    const now = new Date('2025-04-01T12:00:00.000Z');

    it.each(pairs.filter((p) => p.allowed))('$from → $to moves the ticket', ({ from, to }) => {
      const ticket = aTicket({ status: from });
      const change = ticket.changeStatus(agent, to, now);
      expect(ticket.status).toBe(to);
      expect(change).toEqual({ type: 'status_changed', field: 'status', from, to });
    });

    it.each(pairs.filter((p) => !p.allowed))('$from → $to is refused and the ticket is unchanged', ({ from, to }) => {
      const ticket = aTicket({ status: from });
      const before = ticket.snapshot();
      let error: unknown;
      try {
        ticket.changeStatus(agent, to, now);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(IllegalTransitionError);
      expect((error as IllegalTransitionError).details).toEqual({ from, to, allowed: WORKFLOW[from] });
      expect(ticket.snapshot()).toEqual(before);
    });
  });

  it('closed is final: no status follows it, and the message says so', () => {
    expect(TICKET_STATUSES.filter((to) => canTransition('closed', to))).toEqual([]);
    expect(() => aTicket({ status: 'closed' }).changeStatus(anActor('admin'), 'open', new Date())).toThrow(
      /closed ticket is final/,
    );
  });
});
