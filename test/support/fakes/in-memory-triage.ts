import type { TrainingTicket, TriageField } from '../../../src/core/triage/triage-model.js';
import {
  TriageModelStore,
  type NewTriageModel,
  type TriageModelStats,
} from '../../../src/core/triage/triage-model-store.port.js';
import type { TriageResult } from '../../../src/core/triage/triage-result.js';
import {
  TriageResultRepository,
  type DuplicateCandidateTicket,
} from '../../../src/core/triage/triage-result-repository.port.js';
import type { TicketSnapshot } from '../../../src/core/tickets/ticket.js';
import { ForeignKeyViolation, type Tables } from './tables.js';

const copy = <T>(value: T): T => structuredClone(value);
const FIELDS: readonly string[] = ['categoryId', 'subcategoryId', 'severity', 'urgency'];
const open = (t: TicketSnapshot) => !t.deletedAt && t.status !== 'resolved' && t.status !== 'closed';
const finished = (t: TicketSnapshot) => !t.deletedAt && (t.status === 'resolved' || t.status === 'closed');
const finishedAt = (t: TicketSnapshot) => (t.closedAt ?? t.resolvedAt)?.getTime() ?? 0;

/** A stored model row: its stats and the model JSON (as jsonb gives it back). */
export interface TriageModelRow extends TriageModelStats {
  model: unknown;
}

/** As SqlTriageResultRepository: one result per ticket (replaced), results stored as jsonb, descriptions cut. */
export class InMemoryTriageResultRepository extends TriageResultRepository {
  constructor(private readonly tables: () => Tables) {
    super();
  }

  async find(ticketId: string): Promise<TriageResult | null> {
    return copy(this.tables().triageResults.get(ticketId) ?? null);
  }

  async save(result: TriageResult): Promise<void> {
    if (!this.tables().tickets.has(result.ticketId)) throw new ForeignKeyViolation('triage_results.ticket_id', result.ticketId);
    this.tables().triageResults.set(result.ticketId, copy(result));
  }

  async fieldsChangedByPeople(ticketId: string): Promise<Set<TriageField>> {
    const fields = [...this.tables().activity.values()]
      .filter((a) => a.ticketId === ticketId && a.actorId !== null && a.type === 'field_changed')
      .map((a) => a.field)
      .filter((f): f is TriageField => f !== null && FIELDS.includes(f));
    return new Set(fields);
  }

  async openTicketsOf(requesterId: string, exceptId: string, limit: number): Promise<DuplicateCandidateTicket[]> {
    return [...this.tables().tickets.values()]
      .filter((t) => t.requesterId === requesterId && t.id !== exceptId && open(t))
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1))
      .slice(0, limit)
      .map((t) => ({ id: t.id, number: t.number, title: t.title, description: t.description.slice(0, 2000) }));
  }
}

/** As SqlTriageModelStore: versions count up from 1 and are never reused; only the newest `keep` stay. */
export class InMemoryTriageModelStore extends TriageModelStore {
  constructor(private readonly tables: () => Tables) {
    super();
  }

  async save(m: NewTriageModel, keep: number): Promise<TriageModelStats> {
    const t = this.tables();
    const version = ++t.triageModelVersion;
    const row: TriageModelRow = copy({ version, trainedAt: m.trainedAt, examples: m.examples, heldOut: m.heldOut, accuracy: m.accuracy, model: m.model });
    t.triageModels.push(row);
    t.triageModels.splice(0, Math.max(0, t.triageModels.length - keep));
    const { model: _model, ...stats } = row;
    return copy(stats);
  }

  async activeStats(): Promise<TriageModelStats | null> {
    const newest = this.tables().triageModels.at(-1);
    if (!newest) return null;
    const { model: _model, ...stats } = newest;
    return copy(stats);
  }

  async activeVersion(): Promise<number | null> {
    return this.tables().triageModels.at(-1)?.version ?? null;
  }

  async load(version: number): Promise<unknown> {
    return copy(this.tables().triageModels.find((m) => m.version === version)?.model ?? null);
  }

  async trainingTickets(limit: number): Promise<(TrainingTicket & { id: string })[]> {
    return [...this.tables().tickets.values()]
      .filter(finished)
      .sort((a, b) => finishedAt(b) - finishedAt(a) || (a.id < b.id ? -1 : 1))
      .slice(0, limit)
      .map((t) => ({
        id: t.id,
        title: t.title,
        description: t.description.slice(0, 1000),
        categoryId: t.categoryId,
        subcategoryId: t.subcategoryId,
        severity: t.severity,
        urgency: t.urgency,
      }));
  }

  async countTrainingTickets(limit: number): Promise<number> {
    return Math.min(limit, [...this.tables().tickets.values()].filter(finished).length);
  }
}
