import type { Priority } from '../../core/tickets/priority-matrix.js';
import type { SlaClockName, SlaEventType } from '../../core/sla/sla-clock.js';
import type { RecordedSlaEvent, TicketSla } from '../../core/sla/ticket-sla.js';

export interface TicketSlaRow {
  ticket_id: string;
  policy_id: string;
  priority: Priority;
  started_at: Date;
  first_response_due_at: Date | null;
  resolution_due_at: Date | null;
  first_responded_at: Date | null;
  resolved_at: Date | null;
  paused_at: Date | null;
  paused_business_minutes: number;
  first_response_at_risk: boolean;
  resolution_at_risk: boolean;
  first_response_breached: boolean;
  resolution_breached: boolean;
  last_event_at: Date;
  next_check_at: Date | null;
}

export const TICKET_SLA_COLUMNS = `ticket_id, policy_id, priority, started_at, first_response_due_at, resolution_due_at,
  first_responded_at, resolved_at, paused_at, paused_business_minutes, first_response_at_risk, resolution_at_risk,
  first_response_breached, resolution_breached, last_event_at, next_check_at`;

export const toTicketSla = (r: TicketSlaRow): TicketSla => ({
  ticketId: r.ticket_id,
  state: {
    policyId: r.policy_id,
    priority: r.priority,
    startedAt: r.started_at,
    firstResponseDueAt: r.first_response_due_at,
    resolutionDueAt: r.resolution_due_at,
    firstRespondedAt: r.first_responded_at,
    resolvedAt: r.resolved_at,
    pausedAt: r.paused_at,
    pausedBusinessMinutes: Number(r.paused_business_minutes),
    atRisk: { first_response: r.first_response_at_risk, resolution: r.resolution_at_risk },
    breached: { first_response: r.first_response_breached, resolution: r.resolution_breached },
  },
  lastEventAt: r.last_event_at,
  nextCheckAt: r.next_check_at,
});

export function ticketSlaParams(r: TicketSla): unknown[] {
  const s = r.state;
  return [
    r.ticketId,
    s.policyId,
    s.priority,
    s.startedAt,
    s.firstResponseDueAt,
    s.resolutionDueAt,
    s.firstRespondedAt,
    s.resolvedAt,
    s.pausedAt,
    s.pausedBusinessMinutes,
    s.atRisk.first_response,
    s.atRisk.resolution,
    s.breached.first_response,
    s.breached.resolution,
    r.lastEventAt,
    r.nextCheckAt,
  ];
}

export interface SlaEventRow {
  ticket_id: string;
  clock: SlaClockName;
  type: SlaEventType;
  at: Date;
  due_at: Date | null;
  details: Record<string, unknown>;
}

export const toRecordedSlaEvent = (r: SlaEventRow): RecordedSlaEvent => ({
  ticketId: r.ticket_id,
  clock: r.clock,
  type: r.type,
  at: r.at,
  dueAt: r.due_at,
  details: r.details,
});

/**
 * The `sla` of a ticket row as one JSON value, by primary key of ticket_sla: a correlated lookup evaluated only for
 * the rows a page returns (no N+1 round trips, the ticket queries keep their plans). `tickets` must be in scope.
 */
export const SLA_SUMMARY_COLUMN = `(SELECT json_build_object('policyId', s.policy_id,
  'firstResponseDueAt', s.first_response_due_at, 'resolutionDueAt', s.resolution_due_at,
  'firstRespondedAt', s.first_responded_at, 'pausedAt', s.paused_at,
  'breached', s.first_response_breached OR s.resolution_breached)
  FROM ticket_sla s WHERE s.ticket_id = tickets.id) AS sla`;

export interface SlaSummaryJson {
  policyId: string;
  firstResponseDueAt: string | null;
  resolutionDueAt: string | null;
  firstRespondedAt: string | null;
  pausedAt: string | null;
  breached: boolean;
}

const date = (v: string | null) => (v === null ? null : new Date(v));

export const summaryFromJson = (j: SlaSummaryJson | null) =>
  j && {
    policyId: j.policyId,
    firstResponseDueAt: date(j.firstResponseDueAt),
    resolutionDueAt: date(j.resolutionDueAt),
    firstRespondedAt: date(j.firstRespondedAt),
    pausedAt: date(j.pausedAt),
    breached: j.breached,
  };
