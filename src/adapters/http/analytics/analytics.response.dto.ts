import { ApiProperty } from '@nestjs/swagger';

export class AnalyticsDashboardTotalsDto {
  @ApiProperty({ description: 'Tickets created in the range' }) created!: number;
  @ApiProperty({ description: 'Tickets whose current resolved_at falls in the range' }) resolved!: number;
  @ApiProperty({ description: 'Tickets created in the range that were reopened at least once' }) reopened!: number;
  @ApiProperty({ description: 'Tickets created in the range that are neither resolved nor closed' }) open!: number;
  @ApiProperty({ description: 'Tickets created in the range with any breached SLA clock' }) slaBreached!: number;
}

export class AnalyticsBacklogByStatusDto {
  @ApiProperty() new!: number;
  @ApiProperty() open!: number;
  @ApiProperty() in_progress!: number;
  @ApiProperty() pending!: number;
}

export class AnalyticsBacklogByPriorityDto {
  @ApiProperty() critical!: number;
  @ApiProperty() high!: number;
  @ApiProperty() medium!: number;
  @ApiProperty() low!: number;
}

export class AnalyticsBacklogCategoryDto {
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'null: tickets without a category' }) categoryId!: string | null;
  @ApiProperty({ type: String, nullable: true }) name!: string | null;
  @ApiProperty() count!: number;
}

export class AnalyticsBacklogAssigneeDto {
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'null: unassigned tickets' }) agentId!: string | null;
  @ApiProperty({ type: String, nullable: true }) name!: string | null;
  @ApiProperty() count!: number;
}

export class AnalyticsBacklogDto {
  @ApiProperty({ type: AnalyticsBacklogByStatusDto }) byStatus!: AnalyticsBacklogByStatusDto;
  @ApiProperty({ type: AnalyticsBacklogByPriorityDto }) byPriority!: AnalyticsBacklogByPriorityDto;
  @ApiProperty({ type: [AnalyticsBacklogCategoryDto] }) byCategory!: AnalyticsBacklogCategoryDto[];
  @ApiProperty({ type: [AnalyticsBacklogAssigneeDto] }) byAssignee!: AnalyticsBacklogAssigneeDto[];
}

export class AnalyticsDayFiguresDto {
  @ApiProperty({ format: 'date' }) date!: string;
  @ApiProperty() created!: number;
  @ApiProperty() resolved!: number;
}

export class AnalyticsDurationFiguresDto {
  @ApiProperty() count!: number;
  @ApiProperty({ description: 'Exact; 0 when count is 0' }) averageMinutes!: number;
  @ApiProperty({ description: 'percentile_cont(0.5), within 2 % (log-spaced bins); 0 when count is 0' }) medianMinutes!: number;
  @ApiProperty({ description: 'percentile_cont(0.9), within 2 % (log-spaced bins); 0 when count is 0' }) p90Minutes!: number;
}

export class AnalyticsSlaTargetDto {
  @ApiProperty({ description: 'Clocks fulfilled without a breach' }) met!: number;
  @ApiProperty({ description: 'Clocks breached' }) breached!: number;
  @ApiProperty({ description: 'met / (met + breached); 1 when both are 0' }) compliance!: number;
}

export class AnalyticsSlaFiguresDto {
  @ApiProperty({ type: AnalyticsSlaTargetDto }) firstResponse!: AnalyticsSlaTargetDto;
  @ApiProperty({ type: AnalyticsSlaTargetDto }) resolution!: AnalyticsSlaTargetDto;
}

export class AnalyticsRatingDistributionDto {
  @ApiProperty({ name: '1' }) '1'!: number;
  @ApiProperty({ name: '2' }) '2'!: number;
  @ApiProperty({ name: '3' }) '3'!: number;
  @ApiProperty({ name: '4' }) '4'!: number;
  @ApiProperty({ name: '5' }) '5'!: number;
}

export class AnalyticsSatisfactionDto {
  @ApiProperty() count!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'null without ratings' }) average!: number | null;
  @ApiProperty({ type: AnalyticsRatingDistributionDto }) distribution!: AnalyticsRatingDistributionDto;
}

export class DashboardResponse {
  @ApiProperty({ format: 'date' }) from!: string;
  @ApiProperty({ format: 'date' }) to!: string;
  @ApiProperty({ example: 'UTC' }) timeZone!: string;
  @ApiProperty({ type: AnalyticsDashboardTotalsDto }) totals!: AnalyticsDashboardTotalsDto;
  @ApiProperty({ type: AnalyticsBacklogDto, description: 'Open tickets now (filters applied)' }) backlog!: AnalyticsBacklogDto;
  @ApiProperty({ type: [AnalyticsDayFiguresDto], description: 'Every day of the range, zeros included' }) perDay!: AnalyticsDayFiguresDto[];
  @ApiProperty({ type: AnalyticsDurationFiguresDto, description: 'Tickets created in the range, to the first public staff reply' })
  firstResponse!: AnalyticsDurationFiguresDto;
  @ApiProperty({ type: AnalyticsDurationFiguresDto, description: 'Tickets resolved in the range, from creation' }) resolution!: AnalyticsDurationFiguresDto;
  @ApiProperty({ type: AnalyticsSlaFiguresDto }) sla!: AnalyticsSlaFiguresDto;
  @ApiProperty({ description: 'reopened ÷ resolved; 0 when nothing was resolved' }) reopenRate!: number;
  @ApiProperty({ type: AnalyticsSatisfactionDto }) satisfaction!: AnalyticsSatisfactionDto;
}

export class AgentAnalyticsResponse {
  @ApiProperty({ format: 'uuid' }) agentId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'Tickets created in the range and assigned to the agent' }) assigned!: number;
  @ApiProperty({ description: 'Tickets assigned to the agent and resolved in the range' }) resolved!: number;
  @ApiProperty({ description: "The agent's open tickets now" }) open!: number;
  @ApiProperty({ type: AnalyticsDurationFiguresDto }) firstResponse!: AnalyticsDurationFiguresDto;
  @ApiProperty({ type: AnalyticsDurationFiguresDto }) resolution!: AnalyticsDurationFiguresDto;
  @ApiProperty({ type: AnalyticsSlaFiguresDto }) sla!: AnalyticsSlaFiguresDto;
  @ApiProperty({ type: AnalyticsSatisfactionDto }) satisfaction!: AnalyticsSatisfactionDto;
  @ApiProperty({ description: "Recognition: all-time points (the ledger's sum, as on the leaderboard for period=all)" }) points!: number;
  @ApiProperty({ description: 'Recognition level reached by those points' }) level!: string;
}

export class TeamAnalyticsResponse {
  @ApiProperty({ type: [AgentAnalyticsResponse] }) items!: AgentAnalyticsResponse[];
}
