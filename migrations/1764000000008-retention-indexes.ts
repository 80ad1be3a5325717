import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Processed-event claims and idempotency keys are deleted after their retention (RetentionSweep). Both tables are
 * written in time order, so a BRIN index finds the old rows for next to nothing on each insert (a B-tree would
 * add a page write to every claim, three per created ticket).
 */
export class RetentionIndexes1764000000008 implements MigrationInterface {
  name = 'RetentionIndexes1764000000008';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX processed_events_at_idx ON processed_events USING brin (processed_at)`);
    await db.query(`CREATE INDEX idempotency_keys_created_idx ON idempotency_keys USING brin (created_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX idempotency_keys_created_idx`);
    await db.query(`DROP INDEX processed_events_at_idx`);
  }
}
