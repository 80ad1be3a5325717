import type { DataSource } from 'typeorm';
import { FINISHED_STATUSES, sqlStatusList } from '../../core/tickets/ticket-lifecycle.js';
import type { TrainingTicket } from '../../core/triage/triage-model.js';
import {
  TriageModelStore,
  type FieldAccuracy,
  type NewTriageModel,
  type TriageModelStats,
} from '../../core/triage/triage-model-store.port.js';

interface StatsRow {
  version: string;
  trained_at: Date;
  examples: number;
  held_out: number;
  accuracy: FieldAccuracy[];
}

const toStats = (r: StatsRow): TriageModelStats => ({
  version: Number(r.version),
  trainedAt: r.trained_at,
  examples: r.examples,
  heldOut: r.held_out,
  accuracy: r.accuracy,
});

/** Finished (resolved or closed) live tickets, the most recently finished first: the training set. */
const FINISHED = `FROM tickets WHERE deleted_at IS NULL AND status IN (${sqlStatusList(FINISHED_STATUSES)})
  ORDER BY coalesce(closed_at, resolved_at) DESC, id`;
/** The beginning of a description says what the ticket is about; the cut bounds a training run's memory. */
const TRAINED_DESCRIPTION = 1000;

export class SqlTriageModelStore extends TriageModelStore {
  constructor(private readonly db: DataSource) {
    super();
  }

  /** One transaction: the new version, then everything but the newest `keep` versions deleted. */
  async save(m: NewTriageModel, keep: number): Promise<TriageModelStats> {
    return this.db.transaction(async (tx) => {
      const rows: StatsRow[] = await tx.query(
        `INSERT INTO triage_models (trained_at, examples, held_out, accuracy, model) VALUES ($1, $2, $3, $4, $5)
         RETURNING version, trained_at, examples, held_out, accuracy`,
        [m.trainedAt, m.examples, m.heldOut, JSON.stringify(m.accuracy), JSON.stringify(m.model)],
      );
      await tx.query(
        `DELETE FROM triage_models WHERE version NOT IN (SELECT version FROM triage_models ORDER BY version DESC LIMIT $1)`,
        [keep],
      );
      return toStats(rows[0]!);
    });
  }

  async activeStats(): Promise<TriageModelStats | null> {
    const rows: StatsRow[] = await this.db.query(
      `SELECT version, trained_at, examples, held_out, accuracy FROM triage_models ORDER BY version DESC LIMIT 1`,
    );
    return rows[0] ? toStats(rows[0]) : null;
  }

  async activeVersion(): Promise<number | null> {
    const rows: { version: string }[] = await this.db.query(`SELECT max(version) AS version FROM triage_models`);
    return rows[0]?.version == null ? null : Number(rows[0].version);
  }

  async load(version: number): Promise<unknown> {
    const rows: { model: unknown }[] = await this.db.query(`SELECT model FROM triage_models WHERE version = $1`, [version]);
    return rows[0]?.model ?? null;
  }

  async trainingTickets(limit: number): Promise<(TrainingTicket & { id: string })[]> {
    const rows: {
      id: string;
      title: string;
      description: string;
      category_id: string | null;
      subcategory_id: string | null;
      severity: TrainingTicket['severity'];
      urgency: TrainingTicket['urgency'];
    }[] = await this.db.query(
      `SELECT id, title, left(description, ${TRAINED_DESCRIPTION}) AS description, category_id, subcategory_id, severity,
        urgency ${FINISHED} LIMIT $1`,
      [limit],
    );
    return rows.map((r) => ({
      id: r.id,
      title: r.title,
      description: r.description,
      categoryId: r.category_id,
      subcategoryId: r.subcategory_id,
      severity: r.severity,
      urgency: r.urgency,
    }));
  }

  async countTrainingTickets(limit: number): Promise<number> {
    const rows: { n: string }[] = await this.db.query(`SELECT count(*) AS n FROM (SELECT 1 ${FINISHED} LIMIT $1) AS t`, [limit]);
    return Number(rows[0]?.n ?? 0);
  }
}
