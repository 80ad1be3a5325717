import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Keeps the first request's result with its Idempotency-Key, so a replay returns exactly that. */
export class IdempotencyResult1764000000002 implements MigrationInterface {
  name = 'IdempotencyResult1764000000002';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE idempotency_keys ADD COLUMN result jsonb`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE idempotency_keys DROP COLUMN result`);
  }
}
