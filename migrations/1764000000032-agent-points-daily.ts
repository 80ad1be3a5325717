import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each agent's points per UTC day, kept with the ledger in the same statement: the leaderboard's week and month
 * (which start at a UTC midnight) sum at most 31 rows per agent instead of every ledger entry of the period.
 */
export class AgentPointsDaily1764000000032 implements MigrationInterface {
  name = 'AgentPointsDaily1764000000032';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE agent_points_daily (
        day date NOT NULL,
        agent_id uuid NOT NULL REFERENCES users(id),
        points bigint NOT NULL,
        PRIMARY KEY (day, agent_id)
      )`);
    await db.query(`
      INSERT INTO agent_points_daily (day, agent_id, points)
      SELECT (at AT TIME ZONE 'UTC')::date, agent_id, sum(points) FROM agent_points GROUP BY 1, 2`);
    await db.query(`DROP INDEX agent_points_at_idx`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX agent_points_at_idx ON agent_points (at, agent_id) INCLUDE (points)`);
    await db.query(`DROP TABLE agent_points_daily`);
  }
}
