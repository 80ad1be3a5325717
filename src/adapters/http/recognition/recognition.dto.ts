import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import type { PointsEntry } from '../../../core/recognition/recognition.ports.js';
import { LEADERBOARD_PERIODS, type Leaderboard, type LeaderboardPeriod } from '../../../core/recognition/read-recognition.use-case.js';
import { isoTime, isoTimeOrNull } from '../iso-time.js';

export class LeaderboardQuery {
  @ApiPropertyOptional({
    enum: LEADERBOARD_PERIODS,
    default: 'all',
    description: 'week: since Monday 00:00 UTC; month: since the 1st 00:00 UTC; all: all time',
  })
  @IsOptional()
  @IsIn(LEADERBOARD_PERIODS)
  period?: LeaderboardPeriod;
}

export class LeaderboardEntryResponse {
  @ApiProperty({ description: 'Equal points share a rank (1, 2, 2, 4)' }) rank!: number;
  @ApiProperty({ format: 'uuid' }) agentId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'Points earned in the period (net of penalties)' }) points!: number;
  @ApiProperty({ description: 'Level by all-time points' }) level!: string;
}

export class LeaderboardResponse {
  @ApiProperty({ enum: LEADERBOARD_PERIODS }) period!: LeaderboardPeriod;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'Start of the period; null for all' })
  from!: string | null;
  @ApiProperty({ type: [LeaderboardEntryResponse], description: 'Every active agent and admin, best first' })
  items!: LeaderboardEntryResponse[];

  static from(b: Leaderboard): LeaderboardResponse {
    return { period: b.period, from: isoTimeOrNull(b.from), items: b.items };
  }
}

export class PointsEntryResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: 'Positive (award) or negative (penalty, or an award taken back)' }) points!: number;
  @ApiProperty({ example: 'Resolved #1042 within its SLA' }) reason!: string;
  @ApiProperty({
    example: 'resolved_within_sla',
    description: 'A GAMIFICATION_RULES key, or resolution_taken_back',
  })
  rule!: string;
  @ApiProperty({ format: 'uuid', description: 'The outbox event that caused it' }) eventId!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) ticketId!: string | null;
  @ApiProperty({ format: 'date-time' }) at!: string;

  static from(e: PointsEntry): PointsEntryResponse {
    return { id: e.id, points: e.points, reason: e.reason, rule: e.rule, eventId: e.eventId, ticketId: e.ticketId, at: isoTime(e.at) };
  }
}

export class PointsLedgerResponse {
  @ApiProperty({ format: 'uuid' }) agentId!: string;
  @ApiProperty({ description: 'All-time points: the sum of the whole ledger' }) points!: number;
  @ApiProperty() level!: string;
  @ApiProperty({ type: [PointsEntryResponse], description: 'Newest first' }) items!: PointsEntryResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class LevelResponse {
  @ApiProperty() name!: string;
  @ApiProperty() minPoints!: number;
}

export class RecognitionRulesResponse {
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { resolved_within_sla: 10, first_response_within_sla: 5, rating_5: 5, reopened: -8, sla_breached: -5 },
  })
  rules!: Record<string, number>;
  @ApiProperty({ type: [LevelResponse] }) levels!: LevelResponse[];
}
