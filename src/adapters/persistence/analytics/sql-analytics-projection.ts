import type { DataSource } from 'typeorm';
import { AnalyticsProjection } from '../../../core/analytics/analytics-projection.port.js';
import { prepared } from '../prepared.js';
import { ANALYTICS_TABLES, REBUILD_FACTS_SQL, REBUILD_ROLLUPS_SQL, REFRESH_SQL } from './analytics-rollup.sql.js';

/** Namespace of the per-ticket advisory locks that keep two refreshes of a ticket from interleaving. */
const LOCK_SPACE = 7_150_001;

export class SqlAnalyticsProjection extends AnalyticsProjection {
  constructor(private readonly db: DataSource) {
    super();
  }

  async refresh(ticketIds: readonly string[]): Promise<{ behind: string[] }> {
    const ids = [...new Set(ticketIds)].sort();
    if (!ids.length) return { behind: [] };
    return this.db.transaction(async (tx) => {
      await tx.query(
        `SELECT pg_advisory_xact_lock(${LOCK_SPACE}, hashtext(id)) FROM unnest($1::text[]) AS id ORDER BY id`,
        [ids],
      );
      const rows: { ticket_id: string }[] = await tx.query(prepared(REFRESH_SQL), [ids]);
      return { behind: rows.map((r) => r.ticket_id) };
    });
  }

  async rebuild(): Promise<{ tickets: number }> {
    return this.db.transaction(async (tx) => {
      await tx.query(`SET LOCAL work_mem = '256MB'`);
      await tx.query(`TRUNCATE ${ANALYTICS_TABLES.join(', ')}`);
      await tx.query(REBUILD_FACTS_SQL);
      await tx.query(REBUILD_ROLLUPS_SQL);
      const [{ n }] = await tx.query(`SELECT count(*)::int AS n FROM analytics_ticket_facts`);
      return { tickets: n };
    });
  }
}
