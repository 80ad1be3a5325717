import type { Priority, Severity, Urgency } from './priority-matrix.js';
import type { TicketSnapshot } from './ticket.js';
import type { TicketStatus } from './ticket-status.js';

/**
 * A ticket as readers see it: plain JSON values (ISO 8601 dates), ready to send. Single tickets are turned into
 * views here; list pages are built as views directly by the query adapter (which must keep to this shape — an
 * end-to-end test compares a listed ticket with the same ticket read alone).
 */
export interface TicketView {
  id: string;
  number: number;
  title: string;
  description: string;
  status: TicketStatus;
  priority: Priority;
  priorityReason: { source: 'matrix'; severity: Severity; urgency: Urgency } | { source: 'override'; by: string; at: string };
  severity: Severity;
  urgency: Urgency;
  categoryId: string | null;
  subcategoryId: string | null;
  requesterId: string;
  assigneeId: string | null;
  groupId: string | null;
  tags: string[];
  createdAt: string;
  updatedAt: string;
  resolvedAt: string | null;
  closedAt: string | null;
  /** Present only on deleted tickets, which only admins see. */
  deletedAt?: string;
  version: number;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toTicketView(t: TicketSnapshot): TicketView {
  const o = t.priorityOverride;
  return {
    id: t.id,
    number: t.number,
    title: t.title,
    description: t.description,
    status: t.status,
    priority: t.priority,
    priorityReason: o
      ? { source: 'override', by: o.by, at: o.at.toISOString() }
      : { source: 'matrix', severity: t.severity, urgency: t.urgency },
    severity: t.severity,
    urgency: t.urgency,
    categoryId: t.categoryId,
    subcategoryId: t.subcategoryId,
    requesterId: t.requesterId,
    assigneeId: t.assigneeId,
    groupId: t.groupId,
    tags: t.tags,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
    resolvedAt: iso(t.resolvedAt),
    closedAt: iso(t.closedAt),
    ...(t.deletedAt ? { deletedAt: t.deletedAt.toISOString() } : {}),
    version: t.version,
  };
}
