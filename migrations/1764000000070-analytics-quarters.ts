import type { MigrationInterface, QueryRunner } from 'typeorm';

const ALL = `'ffffffff-ffff-ffff-ffff-ffffffffffff'::uuid`;
const QUARTER = (column: string) => `date_bin('15 minutes', ${column}, TIMESTAMPTZ '1970-01-01 00:00:00+00')`;

/**
 * Tickets created and resolved per quarter hour, for every combination of group / category / priority and "any"
 * (docs/analytics.md): the per-day counts of a zone whose midnights are not UTC midnights come from here instead of
 * a scan of every ticket of the range. Filled from the per-ticket facts.
 */
export class AnalyticsQuarters1764000000070 implements MigrationInterface {
  name = 'AnalyticsQuarters1764000000070';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE analytics_quarters (
        group_key uuid NOT NULL, category_key uuid NOT NULL, priority text NOT NULL, quarter timestamptz NOT NULL,
        created bigint NOT NULL, resolved bigint NOT NULL,
        PRIMARY KEY (group_key, category_key, priority, quarter)
      )`);
    await db.query(`
      INSERT INTO analytics_quarters (group_key, category_key, priority, quarter, created, resolved)
      SELECT coalesce(q.group_key, ${ALL}), coalesce(q.category_key, ${ALL}), coalesce(q.priority, '*'), q.quarter,
        sum(q.created), sum(q.resolved)
      FROM (SELECT group_key, category_key, priority, ${QUARTER('created_at')} AS quarter, 1 AS created, 0 AS resolved
            FROM analytics_ticket_facts
            UNION ALL
            SELECT group_key, category_key, priority, ${QUARTER('resolved_at')}, 0, 1
            FROM analytics_ticket_facts WHERE resolved_at IS NOT NULL) q
      GROUP BY q.quarter, CUBE(q.group_key, q.category_key, q.priority)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE analytics_quarters`);
  }
}
