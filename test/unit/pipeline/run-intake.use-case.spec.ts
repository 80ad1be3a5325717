import { describe, expect, it } from 'vitest';
import type { RunAssignment } from '../../../src/core/assignment/run-assignment.use-case.js';
import { RunIntake } from '../../../src/core/intake/run-intake.use-case.js';
import type { TrackSla } from '../../../src/core/sla/track-sla.use-case.js';
import type { RunTriage } from '../../../src/core/triage/run-triage.use-case.js';
import type { TriageResult } from '../../../src/core/triage/triage-result.js';

const created = { id: 'e1', type: 'ticket.created', aggregateId: 't1', actorId: 'u1', payload: {}, occurredAt: new Date() };
const triaged = { ticketId: 't1', applied: [], duplicates: [] } as unknown as TriageResult;

/** Steps that record their calls and fail when told to, as many times as told. */
function steps(failing: Partial<Record<'triage' | 'sla' | 'assignment', number>> = {}) {
  const calls: string[] = [];
  const left = { triage: 0, sla: 0, assignment: 0, ...failing };
  const step = <T>(name: keyof typeof left, value: T) => ({
    execute: async (event: { id: string }) => {
      calls.push(`${name}:${event.id}`);
      if (left[name]-- > 0) throw new Error(`${name} broke`);
      return value;
    },
  });
  const intake = new RunIntake(
    step('triage', triaged) as unknown as RunTriage,
    step('sla', undefined) as unknown as TrackSla,
    step('assignment', [{ ticketId: 't1', assigneeId: 'a1', groupId: 'g1' }]) as unknown as RunAssignment,
  );
  return { intake, calls };
}

describe('RunIntake', () => {
  it('runs triage, then the SLA clocks, then assignment, with the same event, and reports what they did', async () => {
    const { intake, calls } = steps();
    await expect(intake.execute(created)).resolves.toEqual({
      triage: triaged,
      assigned: [{ ticketId: 't1', assigneeId: 'a1', groupId: 'g1' }],
    });
    expect(calls).toEqual(['triage:e1', 'sla:e1', 'assignment:e1']);
  });

  it('still runs the other steps when one fails, then fails with that step error (the job is retried)', async () => {
    const { intake, calls } = steps({ triage: 1 });
    await expect(intake.execute(created)).rejects.toThrow('triage broke');
    expect(calls).toEqual(['triage:e1', 'sla:e1', 'assignment:e1']);
    // The retry runs every step again: each one's own claim makes a committed step do nothing the second time.
    await expect(intake.execute(created)).resolves.toMatchObject({ triage: triaged });
  });

  it('names every failed step when several fail', async () => {
    const { intake } = steps({ sla: 1, assignment: 1 });
    const failure = await intake.execute(created).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AggregateError);
    expect((failure as AggregateError).message).toBe('intake of e1: sla: sla broke; assignment: assignment broke');
    expect((failure as AggregateError).errors).toHaveLength(2);
  });

  it('does nothing with an event that is not a new ticket', async () => {
    const { intake, calls } = steps();
    await expect(intake.execute({ ...created, type: 'ticket.updated' })).resolves.toEqual({ triage: null, assigned: [] });
    expect(calls).toEqual([]);
  });
});
