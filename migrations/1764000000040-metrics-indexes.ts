import type { MigrationInterface, QueryRunner } from 'typeorm';
import { OPEN_STATUSES, sqlStatusList } from '../src/core/tickets/ticket-lifecycle.js';

/**
 * What the metrics snapshot counts every METRICS_REFRESH_SECONDS, each from a small partial index: open tickets by
 * status and priority (an index-only scan over open tickets, not the million finished ones) and the SLA clocks
 * at risk (a handful of rows). Pending outbox rows already have outbox_pending_idx.
 */
export class MetricsIndexes1764000000040 implements MigrationInterface {
  name = 'MetricsIndexes1764000000040';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE INDEX tickets_open_status_priority_idx ON tickets (status, priority)
      WHERE deleted_at IS NULL AND status IN (${sqlStatusList(OPEN_STATUSES)})`);
    await db.query(`
      CREATE INDEX ticket_sla_at_risk_idx ON ticket_sla (ticket_id)
      WHERE (first_response_at_risk AND NOT first_response_breached AND first_responded_at IS NULL)
         OR (resolution_at_risk AND NOT resolution_breached AND resolved_at IS NULL)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX IF EXISTS ticket_sla_at_risk_idx`);
    await db.query(`DROP INDEX IF EXISTS tickets_open_status_priority_idx`);
  }
}
