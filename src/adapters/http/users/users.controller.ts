import { Body, Controller, Get, Param, Patch, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../../core/identity/actor.js';
import { UpdateUser, UserDirectory } from '../../../core/identity/manage-users.use-case.js';
import { DEFAULT_PAGE_SIZE } from '../../../core/shared/paging.js';
import { ActorCache } from '../../auth/actor-cache.js';
import { CurrentActor } from '../../auth/current-actor.decorator.js';
import { ApiAuthenticated } from '../api-problems.decorator.js';
import { uuid } from '../uuid.pipe.js';
import { UpdateUserRequest, UserListQueryDto, UserPageResponse, UserResponse } from './user.dto.js';

@ApiTags('users')
@Controller('users')
export class UsersController {
  constructor(
    private readonly directory: UserDirectory,
    private readonly updateUser: UpdateUser,
    private readonly actors: ActorCache,
  ) {}

  @Get()
  @ApiOkResponse({ type: UserPageResponse, description: 'Agents and admins only' })
  @ApiAuthenticated(400, 403)
  async list(@CurrentActor() actor: Actor, @Query() query: UserListQueryDto): Promise<UserPageResponse> {
    const page = await this.directory.list(actor, {
      role: query.role,
      active: query.active === undefined ? undefined : query.active === 'true',
      q: query.q,
      limit: query.limit ?? DEFAULT_PAGE_SIZE,
      cursor: query.cursor,
    });
    return { ...page, items: page.items.map(UserResponse.from) };
  }

  @Get(':id')
  @ApiOkResponse({ type: UserResponse, description: 'Requesters can read only themselves' })
  @ApiAuthenticated(400, 404)
  async get(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<UserResponse> {
    return UserResponse.from(await this.directory.get(actor, id));
  }

  @Patch(':id')
  @ApiOkResponse({ type: UserResponse })
  @ApiAuthenticated(400, 403, 404, 422)
  async update(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() body: UpdateUserRequest,
  ): Promise<UserResponse> {
    const user = await this.updateUser.execute(actor, { id, ...body });
    this.actors.invalidateUser(user.id);
    return UserResponse.from(user);
  }
}
