import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SLA policies (calendar, targets per priority, pause statuses, at-risk share, escalation; chosen for a ticket by
 * its category, else the one default policy), each ticket's two clocks in a table of their own (the tickets row
 * and its hot paths stay as they were), and what happened to each clock.
 */
export class Sla1764000000005 implements MigrationInterface {
  name = 'Sla1764000000005';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE sla_policies (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        targets jsonb NOT NULL,
        calendar jsonb NOT NULL,
        pause_statuses text[] NOT NULL,
        at_risk_percent smallint NOT NULL CHECK (at_risk_percent BETWEEN 1 AND 99),
        notify_group boolean NOT NULL,
        reassign_to_group_id uuid REFERENCES groups(id) ON DELETE SET NULL,
        is_default boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE UNIQUE INDEX sla_policies_default_uq ON sla_policies (is_default) WHERE is_default`);
    // A category follows at most one policy.
    await db.query(`
      CREATE TABLE sla_policy_categories (
        category_id uuid PRIMARY KEY REFERENCES categories(id) ON DELETE CASCADE,
        policy_id uuid NOT NULL REFERENCES sla_policies(id) ON DELETE CASCADE
      )`);
    await db.query(`CREATE INDEX sla_policy_categories_policy_idx ON sla_policy_categories (policy_id)`);

    await db.query(`
      CREATE TABLE ticket_sla (
        ticket_id uuid PRIMARY KEY REFERENCES tickets(id),
        policy_id uuid NOT NULL REFERENCES sla_policies(id),
        priority text NOT NULL,
        started_at timestamptz NOT NULL,
        first_response_due_at timestamptz,
        resolution_due_at timestamptz,
        first_responded_at timestamptz,
        resolved_at timestamptz,
        paused_at timestamptz,
        paused_business_minutes double precision NOT NULL DEFAULT 0,
        first_response_at_risk boolean NOT NULL DEFAULT false,
        resolution_at_risk boolean NOT NULL DEFAULT false,
        first_response_breached boolean NOT NULL DEFAULT false,
        resolution_breached boolean NOT NULL DEFAULT false,
        last_event_at timestamptz NOT NULL,
        next_check_at timestamptz
      )`);
    // The sweep: clocks whose next at-risk point or due date has passed.
    await db.query(`CREATE INDEX ticket_sla_next_check_idx ON ticket_sla (next_check_at) WHERE next_check_at IS NOT NULL`);
    await db.query(`CREATE INDEX ticket_sla_policy_idx ON ticket_sla (policy_id)`);

    await db.query(`
      CREATE TABLE sla_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        ticket_id uuid NOT NULL REFERENCES tickets(id),
        clock text NOT NULL CHECK (clock IN ('first_response','resolution')),
        type text NOT NULL
          CHECK (type IN ('started','paused','resumed','target_changed','at_risk','breached','fulfilled')),
        at timestamptz NOT NULL,
        due_at timestamptz,
        details jsonb NOT NULL DEFAULT '{}'
      )`);
    await db.query(`CREATE INDEX sla_events_ticket_idx ON sla_events (ticket_id, at, id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE sla_events`);
    await db.query(`DROP TABLE ticket_sla`);
    await db.query(`DROP TABLE sla_policy_categories`);
    await db.query(`DROP TABLE sla_policies`);
  }
}
