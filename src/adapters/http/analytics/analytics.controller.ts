import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ReadAnalytics } from '../../../core/analytics/read-analytics.use-case.js';
import type { Actor } from '../../../core/identity/actor.js';
import { CurrentActor } from '../../auth/current-actor.decorator.js';
import { ApiAuthenticated } from '../api-problems.decorator.js';
import { uuid } from '../uuid.pipe.js';
import { AnalyticsRangeQuery, DashboardQuery, TeamAnalyticsQuery } from './analytics.query.dto.js';
import { AgentAnalyticsResponse, DashboardResponse, TeamAnalyticsResponse } from './analytics.response.dto.js';

@ApiTags('analytics')
@Controller('analytics')
export class AnalyticsController {
  constructor(private readonly analytics: ReadAnalytics) {}

  @Get('dashboard')
  @ApiOkResponse({ type: DashboardResponse, description: 'Agents and admins; definitions in docs/analytics.md' })
  @ApiAuthenticated(400, 403)
  dashboard(@CurrentActor() actor: Actor, @Query() query: DashboardQuery): Promise<DashboardResponse> {
    return this.analytics.dashboard(actor, query);
  }

  @Get('agents')
  @ApiOkResponse({ type: TeamAnalyticsResponse, description: 'Admins: every agent (with `groupId`, the group’s agents over its tickets)' })
  @ApiAuthenticated(400, 403, 404)
  team(@CurrentActor() actor: Actor, @Query() query: TeamAnalyticsQuery): Promise<TeamAnalyticsResponse> {
    return this.analytics.team(actor, query);
  }

  @Get('agents/:id')
  @ApiOkResponse({ type: AgentAnalyticsResponse, description: 'The agent themselves, or an admin' })
  @ApiAuthenticated(400, 403, 404)
  agent(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Query() query: AnalyticsRangeQuery,
  ): Promise<AgentAnalyticsResponse> {
    return this.analytics.agent(actor, id, query);
  }
}
