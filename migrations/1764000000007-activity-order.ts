import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Activity entries written at the same instant (the changes of one edit, or a routing and the assignment made in
 * the same transaction) keep the order they were recorded in: a sequence breaks ties instead of the random id.
 */
export class ActivityOrder1764000000007 implements MigrationInterface {
  name = 'ActivityOrder1764000000007';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE ticket_activity ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY`);
    await db.query(`DROP INDEX ticket_activity_ticket_idx`);
    await db.query(`CREATE INDEX ticket_activity_ticket_idx ON ticket_activity (ticket_id, occurred_at, seq)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX ticket_activity_ticket_idx`);
    await db.query(`ALTER TABLE ticket_activity DROP COLUMN seq`);
    await db.query(`CREATE INDEX ticket_activity_ticket_idx ON ticket_activity (ticket_id, occurred_at, id)`);
  }
}
