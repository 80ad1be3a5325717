import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsISO8601, IsOptional, IsUUID, Matches } from 'class-validator';
import { TextField } from '../fields.decorator.js';
import { PageQuery } from '../page.query.js';
import { PRIORITIES, SEVERITIES, type Priority, type Severity } from '../../../core/tickets/priority-matrix.js';
import { TICKET_STATUSES, type TicketStatus } from '../../../core/tickets/ticket-status.js';

/** `status=open,pending` and `status=open&status=pending` both mean "open or pending". */
const list = ({ value }: { value: unknown }) =>
  (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(',')).filter((v) => v.length > 0);

export const SORTS = ['createdAt', '-createdAt', 'updatedAt', '-updatedAt', 'priority', '-priority'] as const;

export class TicketListQueryDto extends PageQuery {
  @ApiPropertyOptional({ enum: TICKET_STATUSES, isArray: true, description: 'Comma-separated or repeated' })
  @IsOptional()
  @Transform(list)
  @IsIn(TICKET_STATUSES, { each: true })
  status?: TicketStatus[];

  @ApiPropertyOptional({ enum: PRIORITIES, isArray: true })
  @IsOptional()
  @Transform(list)
  @IsIn(PRIORITIES, { each: true })
  priority?: Priority[];

  @ApiPropertyOptional({ enum: SEVERITIES, isArray: true })
  @IsOptional()
  @Transform(list)
  @IsIn(SEVERITIES, { each: true })
  severity?: Severity[];

  @ApiPropertyOptional({ format: 'uuid', description: 'Matches the category or the subcategory' })
  @IsOptional()
  @IsUUID()
  categoryId?: string;

  @ApiPropertyOptional({ description: 'A user id, or `none` for unassigned tickets' })
  @IsOptional()
  @Matches(/^(none|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i, {
    message: 'must be a UUID or none',
  })
  assigneeId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  requesterId?: string;

  @ApiPropertyOptional({ maxLength: 50 })
  @IsOptional()
  @TextField(50, { min: 0 })
  tag?: string;

  @ApiPropertyOptional({ maxLength: 200, description: 'Full-text search over title and description, accent-insensitive' })
  @IsOptional()
  @TextField(200, { min: 0 })
  q?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsISO8601({ strict: true })
  createdFrom?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsISO8601({ strict: true })
  createdTo?: string;

  @ApiPropertyOptional({ enum: SORTS, default: '-createdAt' })
  @IsOptional()
  @IsIn(SORTS)
  sort?: (typeof SORTS)[number];

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Adds an exact total (costs a count)' })
  @IsOptional()
  @IsIn(['true', 'false'])
  includeTotal?: 'true' | 'false';
}
