import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../../core/identity/actor.js';
import { ManageTriageModel } from '../../../core/triage/manage-triage-model.use-case.js';
import { ReadTicketTriage } from '../../../core/triage/read-ticket-triage.use-case.js';
import { CurrentActor } from '../../auth/current-actor.decorator.js';
import { ApiAuthenticated } from '../api-problems.decorator.js';
import { uuid } from '../uuid.pipe.js';
import { RetrainRequest, RetrainResponse, TicketTriageResponse, TriageModelResponse } from './triage.dto.js';

@ApiTags('triage')
@Controller('triage/model')
export class TriageModelController {
  constructor(private readonly model: ManageTriageModel) {}

  @Get()
  @ApiOkResponse({ type: TriageModelResponse, description: 'Admins: the active model (the newest trained)' })
  @ApiAuthenticated(403, 404)
  async active(@CurrentActor() actor: Actor): Promise<TriageModelResponse> {
    return TriageModelResponse.from(await this.model.active(actor));
  }

  @Post('retrain')
  @HttpCode(202)
  @ApiBody({ type: RetrainRequest, required: false, description: 'No body (an empty object is accepted)' })
  @ApiAcceptedResponse({ type: RetrainResponse, description: 'Queued: a worker trains and stores the new model' })
  @ApiAuthenticated(400, 403, 422, 503)
  async retrain(@CurrentActor() actor: Actor, @Body() _body: RetrainRequest): Promise<RetrainResponse> {
    const { jobId, examples } = await this.model.retrain(actor);
    return { jobId, queue: 'triage-training', examples };
  }
}

@ApiTags('triage')
@Controller('tickets')
export class TicketTriageController {
  constructor(private readonly triage: ReadTicketTriage) {}

  @Get(':id/triage')
  @ApiOkResponse({ type: TicketTriageResponse, description: 'Staff: suggestions, what was applied, likely duplicates' })
  @ApiAuthenticated(400, 403, 404)
  async get(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<TicketTriageResponse> {
    return TicketTriageResponse.from(await this.triage.execute(actor, id));
  }
}
