import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsUUID, ValidateIf } from 'class-validator';
import { Optional } from '../optional.decorator.js';
import { TagsField, TextField } from '../fields.decorator.js';
import { COMMENT_MAX } from '../../../core/tickets/comment.js';
import { PRIORITIES, SEVERITIES, URGENCIES, type Priority, type Severity, type Urgency } from '../../../core/tickets/priority-matrix.js';
import { DESCRIPTION_MAX, TAGS_MAX, TITLE_MAX } from '../../../core/tickets/ticket.js';
import { TICKET_STATUSES, type TicketStatus } from '../../../core/tickets/ticket-status.js';

export class CreateTicketRequest {
  @ApiProperty({ minLength: 1, maxLength: TITLE_MAX, example: 'VPN drops every 10 minutes' })
  @TextField(TITLE_MAX)
  title!: string;

  @ApiProperty({ minLength: 1, maxLength: DESCRIPTION_MAX, example: 'Since this morning the VPN client disconnects.' })
  @TextField(DESCRIPTION_MAX, { multiline: true })
  description!: string;

  @ApiPropertyOptional({ enum: SEVERITIES, default: 'medium', description: 'Business impact' })
  @Optional()
  @IsIn(SEVERITIES)
  severity?: Severity;

  @ApiPropertyOptional({ enum: URGENCIES, default: 'medium' })
  @Optional()
  @IsIn(URGENCIES)
  urgency?: Urgency;

  @ApiPropertyOptional({ enum: PRIORITIES, description: 'Agents and admins only: overrides the matrix' })
  @Optional()
  @IsIn(PRIORITIES)
  priority?: Priority;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true })
  @IsOptional()
  @IsUUID()
  categoryId?: string | null;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true })
  @IsOptional()
  @IsUUID()
  subcategoryId?: string | null;

  @ApiPropertyOptional({ format: 'uuid', description: 'Agents and admins only: open on behalf of a requester' })
  @Optional()
  @IsUUID()
  requesterId?: string;

  @ApiPropertyOptional({ type: [String], maxItems: TAGS_MAX })
  @Optional()
  @TagsField()
  tags?: string[];
}

export class UpdateTicketRequest {
  @ApiPropertyOptional({ minLength: 1, maxLength: TITLE_MAX })
  @Optional()
  @TextField(TITLE_MAX)
  title?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: DESCRIPTION_MAX })
  @Optional()
  @TextField(DESCRIPTION_MAX, { multiline: true })
  description?: string;

  @ApiPropertyOptional({ enum: SEVERITIES })
  @Optional()
  @IsIn(SEVERITIES)
  severity?: Severity;

  @ApiPropertyOptional({ enum: URGENCIES })
  @Optional()
  @IsIn(URGENCIES)
  urgency?: Urgency;

  @ApiPropertyOptional({ enum: PRIORITIES, nullable: true, description: 'Staff only; null clears the override' })
  @IsOptional()
  @IsIn(PRIORITIES)
  priority?: Priority | null;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true })
  @IsOptional()
  @IsUUID()
  categoryId?: string | null;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true })
  @IsOptional()
  @IsUUID()
  subcategoryId?: string | null;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'Staff only: the agent group that works the ticket' })
  @IsOptional()
  @IsUUID()
  groupId?: string | null;

  @ApiPropertyOptional({ type: [String], maxItems: TAGS_MAX })
  @Optional()
  @TagsField()
  tags?: string[];
}

export class ChangeStatusRequest {
  @ApiProperty({ enum: TICKET_STATUSES })
  @IsIn(TICKET_STATUSES)
  status!: TicketStatus;

  @ApiPropertyOptional({ maxLength: COMMENT_MAX, description: 'Added as a public reply' })
  @Optional()
  @TextField(COMMENT_MAX, { multiline: true })
  comment?: string;
}

export class AssignRequest {
  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  @ValidateIf((_, v) => v !== null)
  @IsUUID()
  assigneeId!: string | null;
}

export class CreateCommentRequest {
  @ApiProperty({ minLength: 1, maxLength: COMMENT_MAX })
  @TextField(COMMENT_MAX, { multiline: true })
  body!: string;

  @ApiPropertyOptional({ default: false, description: 'Internal note, staff only' })
  @Optional()
  @IsBoolean()
  internal?: boolean;
}
