import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../../core/identity/actor.js';
import { ReadRecognition } from '../../../core/recognition/read-recognition.use-case.js';
import { Clock } from '../../../core/shared/clock.port.js';
import { DEFAULT_PAGE_SIZE } from '../../../core/shared/paging.js';
import { CurrentActor } from '../../auth/current-actor.decorator.js';
import { ApiAuthenticated } from '../api-problems.decorator.js';
import { PageQuery } from '../page.query.js';
import { uuid } from '../uuid.pipe.js';
import {
  LeaderboardQuery,
  LeaderboardResponse,
  PointsEntryResponse,
  PointsLedgerResponse,
  RecognitionRulesResponse,
} from './recognition.dto.js';

@ApiTags('recognition')
@Controller()
export class RecognitionController {
  constructor(
    private readonly read: ReadRecognition,
    private readonly clock: Clock,
  ) {}

  @Get('leaderboard')
  @ApiOkResponse({ type: LeaderboardResponse, description: 'Agents and admins only' })
  @ApiAuthenticated(400, 403)
  async leaderboard(@CurrentActor() actor: Actor, @Query() query: LeaderboardQuery): Promise<LeaderboardResponse> {
    return LeaderboardResponse.from(await this.read.leaderboard(actor, query.period ?? 'all', this.clock.now()));
  }

  @Get('agents/:id/points')
  @ApiOkResponse({ type: PointsLedgerResponse, description: 'The agent themselves, or an admin' })
  @ApiAuthenticated(400, 403, 404)
  async ledger(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Query() query: PageQuery): Promise<PointsLedgerResponse> {
    const page = await this.read.ledger(actor, id, { limit: query.limit ?? DEFAULT_PAGE_SIZE, cursor: query.cursor });
    return {
      agentId: id,
      points: page.standing.points,
      level: page.standing.level,
      items: page.items.map(PointsEntryResponse.from),
      nextCursor: page.nextCursor,
    };
  }

  @Get('recognition/rules')
  @ApiOkResponse({ type: RecognitionRulesResponse, description: 'The points per rule and the levels in force' })
  @ApiAuthenticated(403)
  rulesInForce(@CurrentActor() actor: Actor): RecognitionRulesResponse {
    return this.read.rulesInForce(actor);
  }
}
