import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The background pipeline's bookkeeping (which consumer handled which event) and agent groups: members in join
 * order, a default group per category, agents' availability, and the queue of tickets waiting for an agent.
 */
export class PipelineAndGroups1764000000003 implements MigrationInterface {
  name = 'PipelineAndGroups1764000000003';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE processed_events (
        consumer text NOT NULL,
        event_id uuid NOT NULL,
        processed_at timestamptz NOT NULL,
        PRIMARY KEY (consumer, event_id)
      )`);
    await db.query(`CREATE INDEX outbox_sent_idx ON outbox (sent_at) WHERE sent_at IS NOT NULL`);

    await db.query(`
      CREATE TABLE groups (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        strategy text NOT NULL CHECK (strategy IN ('round_robin','least_open','manual')),
        max_open_per_agent integer CHECK (max_open_per_agent > 0),
        last_assigned_user_id uuid,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE UNIQUE INDEX groups_name_uq ON groups (lower(name))`);
    await db.query(`
      CREATE TABLE group_members (
        group_id uuid NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id),
        joined_at timestamptz NOT NULL,
        PRIMARY KEY (group_id, user_id)
      )`);
    await db.query(`CREATE INDEX group_members_user_idx ON group_members (user_id)`);
    await db.query(`ALTER TABLE categories ADD COLUMN default_group_id uuid REFERENCES groups(id) ON DELETE SET NULL`);
    await db.query(`ALTER TABLE users ADD COLUMN available boolean NOT NULL DEFAULT true`);
    await db.query(`ALTER TABLE tickets ADD CONSTRAINT tickets_group_fk FOREIGN KEY (group_id) REFERENCES groups(id) NOT VALID`);
    // Tickets of a group still waiting for an agent, oldest first: what capacity picks up when it frees.
    await db.query(`
      CREATE INDEX tickets_waiting_idx ON tickets (group_id, created_at, id)
      WHERE assignee_id IS NULL AND deleted_at IS NULL AND status NOT IN ('resolved','closed')`);
    // Open tickets per agent, for least_open and the per-agent cap.
    await db.query(`
      CREATE INDEX tickets_open_assignee_idx ON tickets (assignee_id)
      WHERE deleted_at IS NULL AND status NOT IN ('resolved','closed')`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX IF EXISTS tickets_open_assignee_idx`);
    await db.query(`DROP INDEX IF EXISTS tickets_waiting_idx`);
    await db.query(`ALTER TABLE tickets DROP CONSTRAINT IF EXISTS tickets_group_fk`);
    await db.query(`ALTER TABLE users DROP COLUMN available`);
    await db.query(`ALTER TABLE categories DROP COLUMN default_group_id`);
    await db.query(`DROP TABLE group_members`);
    await db.query(`DROP TABLE groups`);
    await db.query(`DROP INDEX IF EXISTS outbox_sent_idx`);
    await db.query(`DROP TABLE processed_events`);
  }
}
