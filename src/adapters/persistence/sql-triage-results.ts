import type { DataSource, EntityManager } from 'typeorm';
import type { TriageField, TriageSuggestions } from '../../core/triage/triage-model.js';
import type { AppliedSuggestion, LikelyDuplicate, TriageResult } from '../../core/triage/triage-result.js';
import { TriageResultRepository, type DuplicateCandidateTicket } from '../../core/triage/triage-result-repository.port.js';
import { OPEN_STATUSES, sqlStatusList } from '../../core/tickets/ticket-lifecycle.js';
import { prepared } from './prepared.js';

interface ResultRow {
  ticket_id: string;
  suggestions: TriageSuggestions;
  applied: (Omit<AppliedSuggestion, 'appliedAt'> & { appliedAt: string })[];
  duplicates: LikelyDuplicate[];
  model_version: string | null;
  creator_set: TriageField[] | null;
  triaged_at: Date;
}

const FIELDS = ['categoryId', 'subcategoryId', 'severity', 'urgency'];
/** Only the beginning of a long description is compared for duplicates. */
const COMPARED_DESCRIPTION = 2000;

export class SqlTriageResultRepository extends TriageResultRepository {
  constructor(private readonly db: DataSource | EntityManager) {
    super();
  }

  async find(ticketId: string): Promise<TriageResult | null> {
    const rows: ResultRow[] = await this.db.query(
      prepared(`SELECT ticket_id, suggestions, applied, duplicates, model_version, creator_set, triaged_at
        FROM triage_results WHERE ticket_id = $1`),
      [ticketId],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      ticketId: r.ticket_id,
      suggestions: r.suggestions,
      applied: r.applied.map((a) => ({ ...a, appliedAt: new Date(a.appliedAt) })),
      duplicates: r.duplicates,
      modelVersion: r.model_version === null ? null : Number(r.model_version),
      triagedAt: r.triaged_at,
      creatorSet: r.creator_set,
    };
  }

  async save(r: TriageResult): Promise<void> {
    await this.db.query(
      prepared(`INSERT INTO triage_results (ticket_id, suggestions, applied, duplicates, model_version, creator_set, triaged_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7)
        ON CONFLICT (ticket_id) DO UPDATE SET suggestions = EXCLUDED.suggestions, applied = EXCLUDED.applied,
          duplicates = EXCLUDED.duplicates, model_version = EXCLUDED.model_version, creator_set = EXCLUDED.creator_set,
          triaged_at = EXCLUDED.triaged_at`),
      [
        r.ticketId,
        JSON.stringify(r.suggestions),
        JSON.stringify(r.applied),
        JSON.stringify(r.duplicates),
        r.modelVersion,
        r.creatorSet,
        r.triagedAt,
      ],
    );
  }

  async fieldsChangedByPeople(ticketId: string): Promise<Set<TriageField>> {
    const rows: { field: TriageField }[] = await this.db.query(
      prepared(`SELECT DISTINCT field FROM ticket_activity
        WHERE ticket_id = $1 AND actor_id IS NOT NULL AND type = 'field_changed' AND field = ANY($2::text[])`),
      [ticketId, FIELDS],
    );
    return new Set(rows.map((r) => r.field));
  }

  async openTicketsOf(requesterId: string, exceptId: string, limit: number): Promise<DuplicateCandidateTicket[]> {
    const rows: { id: string; number: string; title: string; description: string }[] = await this.db.query(
      prepared(`SELECT id, number, title, left(description, ${COMPARED_DESCRIPTION}) AS description FROM tickets
        WHERE requester_id = $1 AND id <> $2 AND deleted_at IS NULL AND status IN (${sqlStatusList(OPEN_STATUSES)})
        ORDER BY created_at DESC, id DESC LIMIT $3`),
      [requesterId, exceptId, limit],
    );
    return rows.map((r) => ({ id: r.id, number: Number(r.number), title: r.title, description: r.description }));
  }
}
