import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../../core/identity/actor.js';
import { AddComment } from '../../../core/tickets/add-comment.use-case.js';
import { TicketReader } from '../../../core/tickets/ticket-reader.js';
import { CurrentActor } from '../../auth/current-actor.decorator.js';
import { ApiAuthenticated } from '../api-problems.decorator.js';
import { CreateCommentRequest } from './ticket.request.dto.js';
import { ActivityResponse, CommentResponse } from './ticket.response.dto.js';
import { uuid } from '../uuid.pipe.js';

@ApiTags('tickets')
@Controller('tickets/:id')
export class TicketCommentsController {
  constructor(
    private readonly reader: TicketReader,
    private readonly addComment: AddComment,
  ) {}

  @Get('comments')
  @ApiOkResponse({ type: [CommentResponse], description: 'Requesters never receive internal notes' })
  @ApiAuthenticated(400, 404)
  async comments(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<CommentResponse[]> {
    return (await this.reader.comments(actor, id)).map(CommentResponse.from);
  }

  @Post('comments')
  @ApiCreatedResponse({ type: CommentResponse })
  @ApiAuthenticated(400, 403, 404, 409)
  async comment(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() body: CreateCommentRequest,
  ): Promise<CommentResponse> {
    const comment = await this.addComment.execute(actor, { ticketId: id, body: body.body, internal: body.internal ?? false });
    return CommentResponse.from(comment);
  }

  @Get('activity')
  @ApiOkResponse({ type: [ActivityResponse] })
  @ApiAuthenticated(400, 404)
  async activity(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<ActivityResponse[]> {
    return (await this.reader.activity(actor, id)).map(ActivityResponse.from);
  }
}
