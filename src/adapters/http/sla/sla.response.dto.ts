import { ApiProperty } from '@nestjs/swagger';
import type { SlaPolicy } from '../../../core/sla/sla-policy-repository.port.js';
import type { RecordedSlaEvent, TicketSlaSummary } from '../../../core/sla/ticket-sla.js';
import { TICKET_STATUSES } from '../../../core/tickets/ticket-status.js';
import { BusinessCalendarDto, SlaEscalationDto, SlaTargetsDto } from './sla-policy.request.dto.js';
import { isoTime, isoTimeOrNull } from '../iso-time.js';

export class SlaPolicyResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: SlaTargetsDto }) targets!: SlaTargetsDto;
  @ApiProperty({ type: BusinessCalendarDto }) calendar!: BusinessCalendarDto;
  @ApiProperty({ enum: TICKET_STATUSES, isArray: true }) pauseStatuses!: string[];
  @ApiProperty() atRiskPercent!: number;
  @ApiProperty({ type: SlaEscalationDto }) escalation!: SlaEscalationDto;
  @ApiProperty({ type: [String], format: 'uuid' }) categoryIds!: string[];
  @ApiProperty() isDefault!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;

  static from(p: SlaPolicy): SlaPolicyResponse {
    return {
      id: p.id,
      name: p.name,
      targets: p.targets,
      calendar: p.calendar,
      pauseStatuses: p.pauseStatuses,
      atRiskPercent: p.atRiskPercent,
      escalation: p.escalation,
      categoryIds: p.categoryIds,
      isDefault: p.isDefault,
      createdAt: isoTime(p.createdAt),
      updatedAt: isoTime(p.updatedAt),
    };
  }
}

export class SlaEventResponse {
  @ApiProperty({ enum: ['first_response', 'resolution'] }) clock!: string;
  @ApiProperty({ enum: ['started', 'paused', 'resumed', 'target_changed', 'at_risk', 'breached', 'fulfilled'] }) type!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'The clock’s due date after the event' })
  dueAt!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'e.g. targetMinutes, pausedMinutes, from/to, late' })
  details!: Record<string, unknown>;

  static from(e: RecordedSlaEvent): SlaEventResponse {
    return { clock: e.clock, type: e.type, at: isoTime(e.at), dueAt: isoTimeOrNull(e.dueAt), details: e.details };
  }
}

export class TicketSlaResponse {
  @ApiProperty({ format: 'uuid' }) policyId!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) firstResponseDueAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) resolutionDueAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) firstRespondedAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'Set while the clocks stand still' })
  pausedAt!: string | null;
  @ApiProperty({ description: 'A clock passed its due date (kept once it happened)' }) breached!: boolean;

  static from(s: TicketSlaSummary | null | undefined): TicketSlaResponse | null {
    if (!s) return null;
    return {
      policyId: s.policyId,
      firstResponseDueAt: isoTimeOrNull(s.firstResponseDueAt),
      resolutionDueAt: isoTimeOrNull(s.resolutionDueAt),
      firstRespondedAt: isoTimeOrNull(s.firstRespondedAt),
      pausedAt: isoTimeOrNull(s.pausedAt),
      breached: s.breached,
    };
  }
}
