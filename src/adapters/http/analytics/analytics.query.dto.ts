import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { PRIORITIES, type Priority } from '../../../core/tickets/priority-matrix.js';

/** `from`/`to`/`tz` are checked by the core (dates, zone, order, length), which names the field in the 400. */
export class AnalyticsRangeQuery {
  @ApiPropertyOptional({ format: 'date', example: '2026-11-01', description: 'First day (inclusive) in `tz`; default: 29 days before `to`' })
  @IsOptional()
  @IsString()
  @MaxLength(10)
  from?: string;

  @ApiPropertyOptional({ format: 'date', example: '2026-11-30', description: 'Last day (inclusive) in `tz`; default: today in `tz`. At most 400 days in all' })
  @IsOptional()
  @IsString()
  @MaxLength(10)
  to?: string;

  @ApiPropertyOptional({ example: 'Europe/Madrid', default: 'UTC', description: 'IANA time zone the days are counted in' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  tz?: string;
}

export class TeamAnalyticsQuery extends AnalyticsRangeQuery {
  @ApiPropertyOptional({ format: 'uuid', description: "The group's agents, over the group's tickets" })
  @IsOptional()
  @IsUUID()
  groupId?: string;
}

export class DashboardQuery extends TeamAnalyticsQuery {
  @ApiPropertyOptional({ format: 'uuid', description: "The ticket's (top-level) category" })
  @IsOptional()
  @IsUUID()
  categoryId?: string;

  @ApiPropertyOptional({ enum: PRIORITIES })
  @IsOptional()
  @IsIn(PRIORITIES)
  priority?: Priority;
}
