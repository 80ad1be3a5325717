import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Triage: trained models (the newest is the active one; only the latest few are kept) and the latest triage result
 * of each ticket (suggestions with their confidence, what was applied, likely duplicates).
 */
export class Triage1764000000006 implements MigrationInterface {
  name = 'Triage1764000000006';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE triage_models (
        version bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        trained_at timestamptz NOT NULL,
        examples integer NOT NULL CHECK (examples >= 0),
        held_out integer NOT NULL CHECK (held_out >= 0),
        accuracy jsonb NOT NULL,
        model jsonb NOT NULL
      )`);
    await db.query(`
      CREATE TABLE triage_results (
        ticket_id uuid PRIMARY KEY REFERENCES tickets(id),
        suggestions jsonb NOT NULL,
        applied jsonb NOT NULL,
        duplicates jsonb NOT NULL,
        model_version bigint,
        creator_set text[],
        triaged_at timestamptz NOT NULL
      )`);
    // Training reads finished tickets newest first.
    await db.query(`
      CREATE INDEX tickets_finished_idx ON tickets ((coalesce(closed_at, resolved_at)) DESC, id)
      WHERE deleted_at IS NULL AND status IN ('resolved','closed')`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX IF EXISTS tickets_finished_idx`);
    await db.query(`DROP TABLE triage_results`);
    await db.query(`DROP TABLE triage_models`);
  }
}
