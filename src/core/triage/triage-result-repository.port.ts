import type { TriageField } from './triage-model.js';
import type { TriageResult } from './triage-result.js';

/** A ticket compared for likely duplicates. */
export interface DuplicateCandidateTicket {
  id: string;
  number: number;
  title: string;
  description: string;
}

/** Per-ticket triage results; used inside a unit of work (`tx.triage`) and, for reads, on its own. */
export abstract class TriageResultRepository {
  abstract find(ticketId: string): Promise<TriageResult | null>;
  /** Inserts or replaces the ticket's result. */
  abstract save(result: TriageResult): Promise<void>;
  /** Classification fields a person (not the system) changed on the ticket after its creation (activity log). */
  abstract fieldsChangedByPeople(ticketId: string): Promise<Set<TriageField>>;
  /** The requester's open tickets (not resolved, closed or deleted) other than `exceptId`, newest first. */
  abstract openTicketsOf(requesterId: string, exceptId: string, limit: number): Promise<DuplicateCandidateTicket[]>;
}
