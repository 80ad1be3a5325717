import { RunAssignment, type Assignment } from '../assignment/run-assignment.use-case.js';
import type { DomainEvent, EventSummary } from '../shared/domain-event.js';
import { TrackSla } from '../sla/track-sla.use-case.js';
import type { TriageResult } from '../triage/triage-result.js';
import { RunTriage } from '../triage/run-triage.use-case.js';

/** The event intake handles: a new ticket. Its other consumers (triage, SLA, assignment) get it through intake. */
export const INTAKE_EVENTS = ['ticket.created'] as const;

export function isIntakeEvent(event: Pick<EventSummary, 'type'>): boolean {
  return (INTAKE_EVENTS as readonly string[]).includes(event.type);
}

type IntakeEvent = Pick<DomainEvent, 'id' | 'type' | 'aggregateId' | 'actorId' | 'payload'> & { occurredAt: Date | string };

export interface IntakeResult {
  triage: TriageResult | null;
  assigned: Assignment[];
}

/**
 * A new ticket's pipeline steps in one job, one after another: triage, then the SLA clocks, then routing and
 * assignment. One job instead of one per consumer (each job costs a round of queue bookkeeping in Redis and in this
 * process), and in this order a category that triage applies is routed at once. Each step is still its own
 * transaction, claimed per step and event: a step that fails does not hold back the others, and when the job is
 * retried the steps that committed find their claim and do nothing again.
 */
export class RunIntake {
  constructor(
    private readonly triage: RunTriage,
    private readonly sla: TrackSla,
    private readonly assignment: RunAssignment,
  ) {}

  async execute(event: IntakeEvent): Promise<IntakeResult> {
    if (!isIntakeEvent(event)) return { triage: null, assigned: [] };
    const failures: { step: string; error: unknown }[] = [];
    const attempt = async <T>(step: string, run: () => Promise<T>, fallback: T): Promise<T> => {
      try {
        return await run();
      } catch (error) {
        failures.push({ step, error });
        return fallback;
      }
    };
    const triage = await attempt('triage', () => this.triage.execute(event), null);
    await attempt('sla', () => this.sla.execute(event), undefined);
    const assigned = await attempt('assignment', () => this.assignment.execute(event), []);
    if (failures.length === 1) throw failures[0]!.error;
    if (failures.length > 1) {
      throw new AggregateError(
        failures.map((f) => f.error),
        `intake of ${event.id}: ${failures.map((f) => `${f.step}: ${messageOf(f.error)}`).join('; ')}`,
      );
    }
    return { triage, assigned };
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
