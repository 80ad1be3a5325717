import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Recognition: the points ledger (one row per award, unique per event, rule and agent so a replayed job awards
 * nothing twice), each agent's running total (kept with the ledger in the same transaction: /auth/me, the
 * leaderboard's all-time view and analytics read it without summing), and the reopens seen per ticket (a
 * resolution award that reaches the worker after the reopen that undid it is not given).
 */
export class AgentPoints1764000000031 implements MigrationInterface {
  name = 'AgentPoints1764000000031';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE agent_points (
        id uuid PRIMARY KEY,
        agent_id uuid NOT NULL REFERENCES users(id),
        event_id uuid NOT NULL,
        rule text NOT NULL,
        points integer NOT NULL CHECK (points <> 0),
        reason text NOT NULL,
        ticket_id uuid REFERENCES tickets(id),
        at timestamptz NOT NULL,
        reverses uuid UNIQUE REFERENCES agent_points(id),
        recorded_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT agent_points_award_uq UNIQUE (event_id, rule, agent_id)
      )`);
    await db.query(`CREATE INDEX agent_points_ledger_idx ON agent_points (agent_id, at DESC, id DESC)`);
    await db.query(`CREATE INDEX agent_points_at_idx ON agent_points (at, agent_id) INCLUDE (points)`);
    await db.query(`CREATE INDEX agent_points_ticket_idx ON agent_points (ticket_id, rule)`);
    await db.query(`
      CREATE TABLE agent_point_totals (
        agent_id uuid PRIMARY KEY REFERENCES users(id),
        points bigint NOT NULL
      )`);
    await db.query(`
      CREATE TABLE recognition_reopens (
        event_id uuid PRIMARY KEY,
        ticket_id uuid NOT NULL,
        reopened_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX recognition_reopens_ticket_idx ON recognition_reopens (ticket_id, reopened_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE recognition_reopens`);
    await db.query(`DROP TABLE agent_point_totals`);
    await db.query(`DROP TABLE agent_points`);
  }
}
