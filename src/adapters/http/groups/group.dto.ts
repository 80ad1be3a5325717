import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { TextField } from '../fields.decorator.js';
import {
  ASSIGNMENT_STRATEGIES,
  GROUP_NAME_MAX,
  MAX_OPEN_PER_AGENT_LIMIT,
  type AssignmentStrategy,
  type Group,
} from '../../../core/assignment/group.js';
import { Optional } from '../optional.decorator.js';
import { isoTime } from '../iso-time.js';

const MAX_LIST = 500;

export class CreateGroupRequest {
  @ApiProperty({ minLength: 1, maxLength: GROUP_NAME_MAX, example: 'Service desk L1' })
  @TextField(GROUP_NAME_MAX)
  name!: string;

  @ApiProperty({ enum: ASSIGNMENT_STRATEGIES, description: 'How new tickets are handed out' })
  @IsIn(ASSIGNMENT_STRATEGIES)
  strategy!: AssignmentStrategy;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 1, maximum: MAX_OPEN_PER_AGENT_LIMIT, description: 'Open tickets per agent before the group stops giving them more' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_OPEN_PER_AGENT_LIMIT)
  maxOpenPerAgent?: number | null;

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Agents, in the order they join' })
  @Optional()
  @IsArray()
  @ArrayMaxSize(MAX_LIST)
  @IsUUID('all', { each: true })
  memberIds?: string[];

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Categories whose new tickets land in this group' })
  @Optional()
  @IsArray()
  @ArrayMaxSize(MAX_LIST)
  @IsUUID('all', { each: true })
  categoryIds?: string[];
}

export class UpdateGroupRequest {
  @ApiPropertyOptional({ minLength: 1, maxLength: GROUP_NAME_MAX })
  @Optional()
  @TextField(GROUP_NAME_MAX)
  name?: string;

  @ApiPropertyOptional({ enum: ASSIGNMENT_STRATEGIES })
  @Optional()
  @IsIn(ASSIGNMENT_STRATEGIES)
  strategy?: AssignmentStrategy;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 1, maximum: MAX_OPEN_PER_AGENT_LIMIT, description: 'null removes the cap' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_OPEN_PER_AGENT_LIMIT)
  maxOpenPerAgent?: number | null;

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Replaces the categories this group is the default for' })
  @Optional()
  @IsArray()
  @ArrayMaxSize(MAX_LIST)
  @IsUUID('all', { each: true })
  categoryIds?: string[];
}

export class AddMemberRequest {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  userId!: string;
}

export class AvailabilityRequest {
  @ApiProperty({ description: 'false: skipped by automatic assignment until set back to true' })
  @IsBoolean()
  available!: boolean;
}

export class GroupMemberResponse {
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty({ format: 'date-time' }) joinedAt!: string;
}

export class GroupResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ASSIGNMENT_STRATEGIES }) strategy!: string;
  @ApiProperty({ type: Number, nullable: true }) maxOpenPerAgent!: number | null;
  @ApiProperty({ type: [GroupMemberResponse], description: 'In join order (the round-robin order)' })
  members!: GroupMemberResponse[];
  @ApiProperty({ type: [String], format: 'uuid' }) categoryIds!: string[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;

  static from(g: Group): GroupResponse {
    return {
      id: g.id,
      name: g.name,
      strategy: g.strategy,
      maxOpenPerAgent: g.maxOpenPerAgent,
      members: g.members.map((m) => ({ userId: m.userId, joinedAt: isoTime(m.joinedAt) })),
      categoryIds: g.categoryIds,
      createdAt: isoTime(g.createdAt),
      updatedAt: isoTime(g.updatedAt),
    };
  }
}
