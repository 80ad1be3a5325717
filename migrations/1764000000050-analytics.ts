import type { MigrationInterface, QueryRunner } from 'typeorm';

export const MEASURES = `
  created bigint NOT NULL DEFAULT 0,
  open bigint NOT NULL DEFAULT 0,
  reopened bigint NOT NULL DEFAULT 0,
  sla_breached bigint NOT NULL DEFAULT 0,
  fr_count bigint NOT NULL DEFAULT 0,
  fr_micros bigint NOT NULL DEFAULT 0,
  fr_met bigint NOT NULL DEFAULT 0,
  fr_breached bigint NOT NULL DEFAULT 0,
  res_met bigint NOT NULL DEFAULT 0,
  res_breached bigint NOT NULL DEFAULT 0,
  rating_count bigint NOT NULL DEFAULT 0,
  rating_sum bigint NOT NULL DEFAULT 0,
  rating_1 bigint NOT NULL DEFAULT 0,
  rating_2 bigint NOT NULL DEFAULT 0,
  rating_3 bigint NOT NULL DEFAULT 0,
  rating_4 bigint NOT NULL DEFAULT 0,
  rating_5 bigint NOT NULL DEFAULT 0,
  resolved bigint NOT NULL DEFAULT 0,
  res_micros bigint NOT NULL DEFAULT 0`;

/**
 * Analytics rollups (docs/analytics.md): one facts row per live ticket, recomputed from its rows by the analytics
 * worker; sums per UTC day × group × category × priority (the dashboard) and per UTC day × agent × group (agent
 * rows), each with a histogram of durations in log-spaced bins; and the open tickets now. A missing group,
 * category or assignee is the zero uuid in these keys.
 */
export class Analytics1764000000050 implements MigrationInterface {
  name = 'Analytics1764000000050';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE analytics_ticket_facts (
        ticket_id uuid PRIMARY KEY,
        created_at timestamptz NOT NULL,
        resolved_at timestamptz,
        group_key uuid NOT NULL,
        category_key uuid NOT NULL,
        priority text NOT NULL,
        agent_key uuid NOT NULL,
        status text NOT NULL,
        reopened boolean NOT NULL,
        fr_micros bigint,
        res_micros bigint,
        fr_met boolean NOT NULL,
        fr_breached boolean NOT NULL,
        res_met boolean NOT NULL,
        res_breached boolean NOT NULL,
        rating smallint
      )`);
    await db.query(`CREATE INDEX analytics_facts_created_idx ON analytics_ticket_facts (created_at)`);
    await db.query(`CREATE INDEX analytics_facts_resolved_idx ON analytics_ticket_facts (resolved_at) WHERE resolved_at IS NOT NULL`);

    await db.query(`
      CREATE TABLE analytics_daily (
        day date NOT NULL, group_key uuid NOT NULL, category_key uuid NOT NULL, priority text NOT NULL, ${MEASURES},
        PRIMARY KEY (day, group_key, category_key, priority)
      )`);
    await db.query(`
      CREATE TABLE analytics_daily_hist (
        day date NOT NULL, group_key uuid NOT NULL, category_key uuid NOT NULL, priority text NOT NULL,
        metric smallint NOT NULL, bin integer NOT NULL, n bigint NOT NULL,
        PRIMARY KEY (day, group_key, category_key, priority, metric, bin)
      )`);
    await db.query(`
      CREATE TABLE analytics_agent_daily (
        day date NOT NULL, agent_key uuid NOT NULL, group_key uuid NOT NULL, ${MEASURES},
        PRIMARY KEY (day, agent_key, group_key)
      )`);
    await db.query(`CREATE INDEX analytics_agent_daily_agent_idx ON analytics_agent_daily (agent_key, day)`);
    await db.query(`
      CREATE TABLE analytics_agent_daily_hist (
        day date NOT NULL, agent_key uuid NOT NULL, group_key uuid NOT NULL,
        metric smallint NOT NULL, bin integer NOT NULL, n bigint NOT NULL,
        PRIMARY KEY (day, agent_key, group_key, metric, bin)
      )`);
    await db.query(`
      CREATE TABLE analytics_backlog (
        status text NOT NULL, priority text NOT NULL, group_key uuid NOT NULL, category_key uuid NOT NULL,
        agent_key uuid NOT NULL, n bigint NOT NULL,
        PRIMARY KEY (status, priority, group_key, category_key, agent_key)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of [
      'analytics_backlog',
      'analytics_agent_daily_hist',
      'analytics_agent_daily',
      'analytics_daily_hist',
      'analytics_daily',
      'analytics_ticket_facts',
    ]) {
      await db.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
