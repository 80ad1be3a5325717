import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ActivityEntry } from '../../../core/tickets/activity.js';
import type { Comment } from '../../../core/tickets/comment.js';
import { PRIORITIES, SEVERITIES, URGENCIES } from '../../../core/tickets/priority-matrix.js';
import { TICKET_STATUSES } from '../../../core/tickets/ticket-status.js';
import type { TicketView } from '../../../core/tickets/ticket-queries.port.js';
import { TicketSlaResponse } from '../sla/sla.response.dto.js';
import { isoTime, isoTimeOrNull } from '../iso-time.js';
import { SatisfactionResponse } from '../satisfaction/satisfaction.dto.js';

export class PriorityReasonResponse {
  @ApiProperty({ enum: ['matrix', 'override'] }) source!: 'matrix' | 'override';
  @ApiPropertyOptional({ enum: SEVERITIES }) severity?: string;
  @ApiPropertyOptional({ enum: URGENCIES }) urgency?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'Who set the override' }) by?: string;
  @ApiPropertyOptional({ format: 'date-time' }) at?: string;
}

export class TicketResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 1042 }) number!: number;
  @ApiProperty() title!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ enum: TICKET_STATUSES }) status!: string;
  @ApiProperty({ enum: PRIORITIES }) priority!: string;
  @ApiProperty({ type: PriorityReasonResponse }) priorityReason!: PriorityReasonResponse;
  @ApiProperty({ enum: SEVERITIES }) severity!: string;
  @ApiProperty({ enum: URGENCIES }) urgency!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) categoryId!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) subcategoryId!: string | null;
  @ApiProperty({ format: 'uuid' }) requesterId!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) assigneeId!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) groupId!: string | null;
  @ApiProperty({ type: [String] }) tags!: string[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) resolvedAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) closedAt!: string | null;
  @ApiPropertyOptional({ format: 'date-time', description: 'Only admins see deleted tickets' }) deletedAt?: string;
  @ApiProperty({ description: 'Increments on every change; also the ETag' }) version!: number;
  @ApiProperty({ type: TicketSlaResponse, nullable: true, description: 'The SLA clocks; null when no policy applies (yet)' })
  sla!: TicketSlaResponse | null;
  @ApiProperty({
    type: SatisfactionResponse,
    nullable: true,
    description: "The requester's latest satisfaction rating; null when the ticket was never rated",
  })
  satisfaction!: SatisfactionResponse | null;

  static from(t: TicketView): TicketResponse {
    const o = t.priorityOverride;
    return {
      id: t.id,
      number: t.number,
      title: t.title,
      description: t.description,
      status: t.status,
      priority: t.priority,
      priorityReason: o
        ? { source: 'override', by: o.by, at: isoTime(o.at) }
        : { source: 'matrix', severity: t.severity, urgency: t.urgency },
      severity: t.severity,
      urgency: t.urgency,
      categoryId: t.categoryId,
      subcategoryId: t.subcategoryId,
      requesterId: t.requesterId,
      assigneeId: t.assigneeId,
      groupId: t.groupId,
      tags: t.tags,
      createdAt: isoTime(t.createdAt),
      updatedAt: isoTime(t.updatedAt),
      resolvedAt: isoTimeOrNull(t.resolvedAt),
      closedAt: isoTimeOrNull(t.closedAt),
      ...(t.deletedAt ? { deletedAt: isoTime(t.deletedAt) } : {}),
      version: t.version,
      sla: TicketSlaResponse.from(t.sla),
      satisfaction: SatisfactionResponse.from(t.satisfaction),
    };
  }
}

export class TicketPageResponse {
  @ApiProperty({ type: [TicketResponse] }) items!: TicketResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
  @ApiPropertyOptional({ description: 'Present when includeTotal=true' }) total?: number;
}

export class CommentResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) ticketId!: string;
  @ApiProperty({ format: 'uuid' }) authorId!: string;
  @ApiProperty() body!: string;
  @ApiProperty() internal!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;

  static from(c: Comment): CommentResponse {
    return { ...c, createdAt: isoTime(c.createdAt) };
  }
}

/** A changed field's value: text, a number, a flag, a list (tags) or an object. */
const ANY_JSON = [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }, { type: 'array', items: {} }, { type: 'object' }];

export class ActivityResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({
    enum: ['created', 'field_changed', 'status_changed', 'assigned', 'commented', 'deleted', 'restored', 'sla_at_risk', 'sla_breached', 'rated'],
  })
  type!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) actorId!: string | null;
  @ApiProperty({ nullable: true, type: String }) field!: string | null;
  @ApiProperty({ oneOf: ANY_JSON, nullable: true, description: 'Old value (any JSON)' }) from!: unknown;
  @ApiProperty({ oneOf: ANY_JSON, nullable: true, description: 'New value (any JSON)' }) to!: unknown;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;

  static from(a: ActivityEntry): ActivityResponse {
    return {
      id: a.id,
      type: a.type,
      actorId: a.actorId,
      field: a.field,
      from: a.from,
      to: a.to,
      occurredAt: isoTime(a.occurredAt),
    };
  }
}
