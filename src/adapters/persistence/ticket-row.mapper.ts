import type { TicketSnapshot } from '../../core/tickets/ticket.js';

export interface TicketRow {
  id: string;
  number: string;
  title: string;
  description: string;
  status: TicketSnapshot['status'];
  priority: TicketSnapshot['priority'];
  priority_override_by: string | null;
  priority_override_at: Date | null;
  severity: TicketSnapshot['severity'];
  urgency: TicketSnapshot['urgency'];
  category_id: string | null;
  subcategory_id: string | null;
  requester_id: string;
  assignee_id: string | null;
  group_id: string | null;
  tags: string[];
  created_at: Date;
  updated_at: Date;
  resolved_at: Date | null;
  closed_at: Date | null;
  deleted_at: Date | null;
  version: number;
}

export const TICKET_COLUMNS = `id, number, title, description, status, priority, priority_override_by,
  priority_override_at, severity, urgency, category_id, subcategory_id, requester_id, assignee_id, group_id, tags,
  created_at, updated_at, resolved_at, closed_at, deleted_at, version`;

export function toSnapshot(r: TicketRow): TicketSnapshot {
  return {
    id: r.id,
    number: Number(r.number),
    title: r.title,
    description: r.description,
    status: r.status,
    priority: r.priority,
    priorityOverride:
      r.priority_override_by && r.priority_override_at ? { by: r.priority_override_by, at: r.priority_override_at } : null,
    severity: r.severity,
    urgency: r.urgency,
    categoryId: r.category_id,
    subcategoryId: r.subcategory_id,
    requesterId: r.requester_id,
    assigneeId: r.assignee_id,
    groupId: r.group_id,
    tags: r.tags,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    resolvedAt: r.resolved_at,
    closedAt: r.closed_at,
    deletedAt: r.deleted_at,
    version: r.version,
  };
}

/** Column values in TICKET_COLUMNS order, for INSERT and UPDATE. */
export function toParams(t: TicketSnapshot): unknown[] {
  return [
    t.id,
    t.number,
    t.title,
    t.description,
    t.status,
    t.priority,
    t.priorityOverride?.by ?? null,
    t.priorityOverride?.at ?? null,
    t.severity,
    t.urgency,
    t.categoryId,
    t.subcategoryId,
    t.requesterId,
    t.assigneeId,
    t.groupId,
    t.tags,
    t.createdAt,
    t.updatedAt,
    t.resolvedAt,
    t.closedAt,
    t.deletedAt,
    t.version,
  ];
}
