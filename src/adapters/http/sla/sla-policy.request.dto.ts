import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, IsUUID, ValidateNested } from 'class-validator';
import { CleanText, CodePointLength, TextField } from '../fields.decorator.js';
import { NAME_MAX } from '../../../core/sla/sla-policy.js';
import { TICKET_STATUSES, type TicketStatus } from '../../../core/tickets/ticket-status.js';
import { Optional } from '../optional.decorator.js';

// Shapes and types are checked here (unknown fields → 400); ranges and rules by the core's validateSlaPolicy.
const MAX_LIST = 500;

export class SlaTargetDto {
  @ApiProperty({ minimum: 1, description: 'Business minutes to the first public reply of an agent' })
  @IsInt()
  firstResponseMinutes!: number;

  @ApiProperty({ minimum: 1, description: 'Business minutes to resolution' })
  @IsInt()
  resolutionMinutes!: number;
}

export class SlaTargetsDto {
  @ApiProperty({ type: SlaTargetDto }) @IsObject() @ValidateNested() @Type(() => SlaTargetDto) critical!: SlaTargetDto;
  @ApiProperty({ type: SlaTargetDto }) @IsObject() @ValidateNested() @Type(() => SlaTargetDto) high!: SlaTargetDto;
  @ApiProperty({ type: SlaTargetDto }) @IsObject() @ValidateNested() @Type(() => SlaTargetDto) medium!: SlaTargetDto;
  @ApiProperty({ type: SlaTargetDto }) @IsObject() @ValidateNested() @Type(() => SlaTargetDto) low!: SlaTargetDto;
}

export class WeeklyHoursDto {
  @ApiProperty({ minimum: 0, maximum: 6, description: '0 = Sunday … 6 = Saturday' })
  @IsInt()
  day!: 0 | 1 | 2 | 3 | 4 | 5 | 6;

  @ApiProperty({ example: '09:00' }) @TextField(5, { min: 0 }) start!: string;
  @ApiProperty({ example: '17:00', description: "'24:00' is the end of the day" }) @TextField(5, { min: 0 }) end!: string;
}

export class BusinessCalendarDto {
  @ApiProperty({ example: 'Europe/Madrid', description: 'IANA time zone' })
  @TextField(64, { min: 0 })
  timeZone!: string;

  @ApiProperty({ type: [WeeklyHoursDto], description: 'Opening ranges in local time; several per day make breaks' })
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => WeeklyHoursDto)
  weeklyHours!: WeeklyHoursDto[];

  @ApiProperty({ type: [String], example: ['2025-12-25'], description: "Local dates 'YYYY-MM-DD', closed all day" })
  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  @CleanText({}, { each: true })
  @CodePointLength(1, 10, { each: true })
  holidays!: string[];
}

export class SlaEscalationDto {
  @ApiProperty({ description: 'At-risk and breach events name the ticket’s group (notifyGroupId)' })
  @IsBoolean()
  notifyGroup!: boolean;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'A breach moves the ticket here, unassigned' })
  @IsOptional()
  @IsUUID()
  reassignToGroupId?: string | null;
}

export class CreateSlaPolicyRequest {
  @ApiProperty({ minLength: 1, maxLength: NAME_MAX, example: 'Standard support' })
  @TextField(NAME_MAX)
  name!: string;

  @ApiProperty({ type: SlaTargetsDto, description: 'Business minutes per priority' })
  @IsObject()
  @ValidateNested()
  @Type(() => SlaTargetsDto)
  targets!: SlaTargetsDto;

  @ApiProperty({ type: BusinessCalendarDto })
  @IsObject()
  @ValidateNested()
  @Type(() => BusinessCalendarDto)
  calendar!: BusinessCalendarDto;

  @ApiPropertyOptional({ enum: TICKET_STATUSES, isArray: true, description: "Statuses that stop the clocks (default ['pending'])" })
  @Optional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsIn(TICKET_STATUSES, { each: true })
  pauseStatuses?: TicketStatus[];

  @ApiPropertyOptional({ minimum: 1, maximum: 99, description: 'Share of a target elapsed that makes a clock at risk (80)' })
  @Optional()
  @IsInt()
  atRiskPercent?: number;

  @ApiPropertyOptional({ type: SlaEscalationDto, description: 'Default: notify the group, no reassignment' })
  @Optional()
  @IsObject()
  @ValidateNested()
  @Type(() => SlaEscalationDto)
  escalation?: SlaEscalationDto;

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Top-level categories whose tickets follow it (taken from other policies)' })
  @Optional()
  @IsArray()
  @ArrayMaxSize(MAX_LIST)
  @IsUUID('all', { each: true })
  categoryIds?: string[];

  @ApiPropertyOptional({ description: 'Followed by tickets of every other category (replaces the previous default)' })
  @Optional()
  @IsBoolean()
  isDefault?: boolean;
}

/** Every field optional; `targets`, `calendar` and `escalation` are replaced as a whole when sent. */
export class UpdateSlaPolicyRequest {
  @ApiPropertyOptional({ minLength: 1, maxLength: NAME_MAX }) @Optional() @TextField(NAME_MAX) name?: string;

  @ApiPropertyOptional({ type: SlaTargetsDto })
  @Optional()
  @IsObject()
  @ValidateNested()
  @Type(() => SlaTargetsDto)
  targets?: SlaTargetsDto;

  @ApiPropertyOptional({ type: BusinessCalendarDto })
  @Optional()
  @IsObject()
  @ValidateNested()
  @Type(() => BusinessCalendarDto)
  calendar?: BusinessCalendarDto;

  @ApiPropertyOptional({ enum: TICKET_STATUSES, isArray: true })
  @Optional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsIn(TICKET_STATUSES, { each: true })
  pauseStatuses?: TicketStatus[];

  @ApiPropertyOptional({ minimum: 1, maximum: 99 }) @Optional() @IsInt() atRiskPercent?: number;

  @ApiPropertyOptional({ type: SlaEscalationDto })
  @Optional()
  @IsObject()
  @ValidateNested()
  @Type(() => SlaEscalationDto)
  escalation?: SlaEscalationDto;

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Replaces the categories that follow it' })
  @Optional()
  @IsArray()
  @ArrayMaxSize(MAX_LIST)
  @IsUUID('all', { each: true })
  categoryIds?: string[];

  @ApiPropertyOptional() @Optional() @IsBoolean() isDefault?: boolean;
}
