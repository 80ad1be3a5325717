import type { DataSource, EntityManager } from 'typeorm';
import type { BusinessCalendar } from '../../core/sla/business-calendar.js';
import type { SlaTarget } from '../../core/sla/sla-policy.js';
import { SlaPolicyRepository, type CategoryPolicy, type SlaPolicy } from '../../core/sla/sla-policy-repository.port.js';
import type { Priority } from '../../core/tickets/priority-matrix.js';
import type { TicketStatus } from '../../core/tickets/ticket-status.js';
import { prepared } from './prepared.js';

interface PolicyRow {
  id: string;
  name: string;
  targets: Record<Priority, SlaTarget>;
  calendar: BusinessCalendar;
  pause_statuses: TicketStatus[];
  at_risk_percent: number;
  notify_group: boolean;
  reassign_to_group_id: string | null;
  is_default: boolean;
  created_at: Date;
  updated_at: Date;
  category_ids: string[];
}

const SELECT = `SELECT p.id, p.name, p.targets, p.calendar, p.pause_statuses, p.at_risk_percent, p.notify_group,
  p.reassign_to_group_id, p.is_default, p.created_at, p.updated_at,
  array(SELECT c.category_id FROM sla_policy_categories c WHERE c.policy_id = p.id ORDER BY c.category_id) AS category_ids
  FROM sla_policies p`;

const toPolicy = (r: PolicyRow): SlaPolicy => ({
  id: r.id,
  name: r.name,
  targets: r.targets,
  calendar: r.calendar,
  pauseStatuses: r.pause_statuses,
  atRiskPercent: r.at_risk_percent,
  escalation: { notifyGroup: r.notify_group, reassignToGroupId: r.reassign_to_group_id },
  categoryIds: r.category_ids,
  isDefault: r.is_default,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export class SqlSlaPolicyRepository extends SlaPolicyRepository {
  constructor(private readonly db: DataSource | EntityManager) {
    super();
  }

  private async one(sql: string, params: unknown[]): Promise<SlaPolicy | null> {
    // Lookups by key (by id, or a category's policy): fixed shapes, prepared.
    const rows: PolicyRow[] = await this.db.query(prepared(sql), params);
    return rows[0] ? toPolicy(rows[0]) : null;
  }

  findById(id: string): Promise<SlaPolicy | null> {
    return this.one(`${SELECT} WHERE p.id = $1`, [id]);
  }

  lockById(id: string): Promise<SlaPolicy | null> {
    return this.one(`${SELECT} WHERE p.id = $1 FOR UPDATE OF p`, [id]);
  }

  async list(): Promise<SlaPolicy[]> {
    const rows: PolicyRow[] = await this.db.query(`${SELECT} ORDER BY lower(p.name), p.id`);
    return rows.map(toPolicy);
  }

  async save(p: SlaPolicy): Promise<void> {
    if (p.isDefault) await this.db.query(`UPDATE sla_policies SET is_default = false WHERE is_default AND id <> $1`, [p.id]);
    await this.db.query(
      `INSERT INTO sla_policies (id, name, targets, calendar, pause_statuses, at_risk_percent, notify_group,
         reassign_to_group_id, is_default, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (id) DO UPDATE SET name = $2, targets = $3, calendar = $4, pause_statuses = $5, at_risk_percent = $6,
         notify_group = $7, reassign_to_group_id = $8, is_default = $9, updated_at = $11`,
      [
        p.id,
        p.name,
        JSON.stringify(p.targets),
        JSON.stringify(p.calendar),
        p.pauseStatuses,
        p.atRiskPercent,
        p.escalation.notifyGroup,
        p.escalation.reassignToGroupId,
        p.isDefault,
        p.createdAt,
        p.updatedAt,
      ],
    );
    await this.db.query(`DELETE FROM sla_policy_categories WHERE policy_id = $1 AND NOT (category_id = ANY($2::uuid[]))`, [
      p.id,
      p.categoryIds,
    ]);
    await this.db.query(
      `INSERT INTO sla_policy_categories (category_id, policy_id) SELECT c, $1 FROM unnest($2::uuid[]) AS c
       ON CONFLICT (category_id) DO UPDATE SET policy_id = excluded.policy_id`,
      [p.id, p.categoryIds],
    );
  }

  async delete(id: string): Promise<void> {
    await this.db.query(`DELETE FROM sla_policies WHERE id = $1`, [id]);
  }

  async policyFor(categoryId: string | null): Promise<SlaPolicy | null> {
    return this.one(
      `${SELECT} WHERE p.id = (SELECT policy_id FROM sla_policy_categories WHERE category_id = $1)
         OR (p.is_default AND NOT EXISTS (SELECT 1 FROM sla_policy_categories WHERE category_id = $1))`,
      [categoryId],
    );
  }

  async policyForTicket(ticketId: string): Promise<CategoryPolicy | null> {
    const rows: (Omit<PolicyRow, 'id'> & { id: string | null; ticket_category_id: string | null })[] = await this.db.query(
      prepared(`SELECT t.category_id AS ticket_category_id, p.* FROM tickets t
        LEFT JOIN LATERAL (${SELECT}
          WHERE p.id = (SELECT policy_id FROM sla_policy_categories WHERE category_id = t.category_id)
             OR (p.is_default AND NOT EXISTS (SELECT 1 FROM sla_policy_categories WHERE category_id = t.category_id))
          LIMIT 1) p ON true
        WHERE t.id = $1`),
      [ticketId],
    );
    const row = rows[0];
    if (!row) return null;
    return { categoryId: row.ticket_category_id, policy: row.id ? toPolicy(row as PolicyRow) : null };
  }

  async ticketCount(id: string): Promise<number> {
    const rows: { n: string }[] = await this.db.query(`SELECT count(*) AS n FROM ticket_sla WHERE policy_id = $1`, [id]);
    return Number(rows[0]?.n ?? 0);
  }
}
