import type { DataSource } from 'typeorm';
import { OperationalCounts, type MetricsSnapshot } from '../../core/metrics/metrics-snapshot.js';
import { OPEN_STATUSES, sqlStatusList } from '../../core/tickets/ticket-lifecycle.js';

const OPEN = sqlStatusList(OPEN_STATUSES);

/**
 * The snapshot's database figures. Each reads a partial index only (migration MetricsIndexes): pending outbox rows,
 * open tickets by (status, priority), at-risk clocks; none scans a whole table, whatever its size.
 */
export class SqlOperationalCounts extends OperationalCounts {
  constructor(private readonly db: DataSource) {
    super();
  }

  async outbox(now: Date): Promise<MetricsSnapshot['outbox']> {
    const [row]: { pending: string; oldest: Date | null }[] = await this.db.query(
      `SELECT count(*) AS pending, min(occurred_at) AS oldest FROM outbox WHERE sent_at IS NULL`,
    );
    const oldest = row?.oldest ? new Date(row.oldest) : null;
    return {
      pending: Number(row?.pending ?? 0),
      oldestAgeSeconds: oldest ? Math.max(0, (now.getTime() - oldest.getTime()) / 1000) : 0,
    };
  }

  async openTickets(): Promise<{ status: string; priority: string; count: number }[]> {
    const rows: { status: string; priority: string; count: string }[] = await this.db.query(
      `SELECT status, priority, count(*) AS count FROM tickets
       WHERE deleted_at IS NULL AND status IN (${OPEN}) GROUP BY status, priority`,
    );
    return rows.map((r) => ({ status: r.status, priority: r.priority, count: Number(r.count) }));
  }

  async slaAtRisk(): Promise<{ target: string; count: number }[]> {
    const [row]: { first_response: string; resolution: string }[] = await this.db.query(
      `SELECT count(*) FILTER (WHERE s.first_response_at_risk AND NOT s.first_response_breached AND s.first_responded_at IS NULL)
                AS first_response,
              count(*) FILTER (WHERE s.resolution_at_risk AND NOT s.resolution_breached AND s.resolved_at IS NULL) AS resolution
       FROM ticket_sla s JOIN tickets t ON t.id = s.ticket_id
       WHERE ((s.first_response_at_risk AND NOT s.first_response_breached AND s.first_responded_at IS NULL)
           OR (s.resolution_at_risk AND NOT s.resolution_breached AND s.resolved_at IS NULL))
         AND t.deleted_at IS NULL AND t.status IN (${OPEN})`,
    );
    return [
      { target: 'first_response', count: Number(row?.first_response ?? 0) },
      { target: 'resolution', count: Number(row?.resolution ?? 0) },
    ];
  }
}
