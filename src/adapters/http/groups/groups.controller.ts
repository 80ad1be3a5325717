import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags, ApiNoContentResponse } from '@nestjs/swagger';
import { ManageGroups, SetAvailability } from '../../../core/assignment/manage-groups.use-case.js';
import type { Actor } from '../../../core/identity/actor.js';
import { CurrentActor } from '../../auth/current-actor.decorator.js';
import { ApiAuthenticated } from '../api-problems.decorator.js';
import { uuid } from '../uuid.pipe.js';
import { AddMemberRequest, AvailabilityRequest, CreateGroupRequest, GroupResponse, UpdateGroupRequest } from './group.dto.js';

@ApiTags('groups')
@Controller('groups')
export class GroupsController {
  constructor(private readonly groups: ManageGroups) {}

  @Get()
  @ApiOkResponse({ type: [GroupResponse], description: 'Agents and admins' })
  @ApiAuthenticated(403)
  async list(@CurrentActor() actor: Actor): Promise<GroupResponse[]> {
    return (await this.groups.list(actor)).map(GroupResponse.from);
  }

  @Post()
  @ApiCreatedResponse({ type: GroupResponse })
  @ApiAuthenticated(400, 403, 409, 422)
  async create(@CurrentActor() actor: Actor, @Body() body: CreateGroupRequest): Promise<GroupResponse> {
    return GroupResponse.from(await this.groups.create(actor, { ...body, maxOpenPerAgent: body.maxOpenPerAgent ?? null }));
  }

  @Get(':id')
  @ApiOkResponse({ type: GroupResponse })
  @ApiAuthenticated(400, 404)
  async get(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<GroupResponse> {
    return GroupResponse.from(await this.groups.get(actor, id));
  }

  @Patch(':id')
  @ApiOkResponse({ type: GroupResponse })
  @ApiAuthenticated(400, 403, 404, 409)
  async update(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Body() body: UpdateGroupRequest): Promise<GroupResponse> {
    return GroupResponse.from(await this.groups.update(actor, id, body));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiAuthenticated(400, 403, 404, 409)
  async remove(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<void> {
    await this.groups.delete(actor, id);
  }

  @Post(':id/members')
  @ApiCreatedResponse({ type: GroupResponse, description: 'Joins last in the round-robin order (no-op if already a member)' })
  @ApiAuthenticated(400, 403, 404, 422)
  async addMember(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Body() body: AddMemberRequest): Promise<GroupResponse> {
    return GroupResponse.from(await this.groups.addMember(actor, id, body.userId));
  }

  @Delete(':id/members/:userId')
  @ApiOkResponse({ type: GroupResponse })
  @ApiAuthenticated(400, 403, 404)
  async removeMember(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Param('userId', uuid) userId: string,
  ): Promise<GroupResponse> {
    return GroupResponse.from(await this.groups.removeMember(actor, id, userId));
  }
}

@ApiTags('groups')
@Controller('agents/me')
export class AvailabilityController {
  constructor(private readonly availability: SetAvailability) {}

  @Put('availability')
  @ApiOkResponse({ type: AvailabilityRequest, description: 'Automatic assignment skips unavailable agents' })
  @ApiAuthenticated(400, 403)
  async set(@CurrentActor() actor: Actor, @Body() body: AvailabilityRequest): Promise<AvailabilityRequest> {
    await this.availability.execute(actor, body.available);
    return { available: body.available };
  }
}
