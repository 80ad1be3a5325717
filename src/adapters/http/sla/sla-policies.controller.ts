import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags, ApiNoContentResponse } from '@nestjs/swagger';
import type { Actor } from '../../../core/identity/actor.js';
import { ManageSlaPolicies } from '../../../core/sla/manage-sla-policies.use-case.js';
import { SlaReader } from '../../../core/sla/sla-reader.js';
import { CurrentActor } from '../../auth/current-actor.decorator.js';
import { ApiAuthenticated } from '../api-problems.decorator.js';
import { uuid } from '../uuid.pipe.js';
import { CreateSlaPolicyRequest, UpdateSlaPolicyRequest } from './sla-policy.request.dto.js';
import { SlaEventResponse, SlaPolicyResponse } from './sla.response.dto.js';

@ApiTags('sla')
@Controller('sla-policies')
export class SlaPoliciesController {
  constructor(private readonly policies: ManageSlaPolicies) {}

  @Get()
  @ApiOkResponse({ type: [SlaPolicyResponse], description: 'Agents and admins' })
  @ApiAuthenticated(403)
  async list(@CurrentActor() actor: Actor): Promise<SlaPolicyResponse[]> {
    return (await this.policies.list(actor)).map(SlaPolicyResponse.from);
  }

  @Post()
  @ApiCreatedResponse({ type: SlaPolicyResponse })
  @ApiAuthenticated(400, 403, 422)
  async create(@CurrentActor() actor: Actor, @Body() body: CreateSlaPolicyRequest): Promise<SlaPolicyResponse> {
    return SlaPolicyResponse.from(await this.policies.create(actor, body));
  }

  @Get(':id')
  @ApiOkResponse({ type: SlaPolicyResponse })
  @ApiAuthenticated(400, 404)
  async get(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<SlaPolicyResponse> {
    return SlaPolicyResponse.from(await this.policies.get(actor, id));
  }

  @Patch(':id')
  @ApiOkResponse({ type: SlaPolicyResponse, description: 'Running clocks that follow it are recomputed by the SLA worker' })
  @ApiAuthenticated(400, 403, 404, 422)
  async update(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() body: UpdateSlaPolicyRequest,
  ): Promise<SlaPolicyResponse> {
    return SlaPolicyResponse.from(await this.policies.update(actor, id, body));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiAuthenticated(400, 403, 404, 409)
  async remove(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<void> {
    await this.policies.delete(actor, id);
  }
}

@ApiTags('sla')
@Controller('tickets/:id/sla-events')
export class TicketSlaEventsController {
  constructor(private readonly reader: SlaReader) {}

  @Get()
  @ApiOkResponse({ type: [SlaEventResponse], description: 'What happened to each clock, in order; anyone who may see the ticket' })
  @ApiAuthenticated(400, 404)
  async list(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<SlaEventResponse[]> {
    return (await this.reader.events(actor, id)).map(SlaEventResponse.from);
  }
}
