import { Body, Controller, Param, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { Actor } from '../../../core/identity/actor.js';
import { RateTicket } from '../../../core/satisfaction/rate-ticket.use-case.js';
import { CurrentActor } from '../../auth/current-actor.decorator.js';
import { ApiAuthenticated } from '../api-problems.decorator.js';
import { uuid } from '../uuid.pipe.js';
import { RateTicketRequest, RatingResponse } from './satisfaction.dto.js';

@ApiTags('satisfaction')
@Controller('tickets')
export class SatisfactionController {
  constructor(private readonly rateTicket: RateTicket) {}

  @Post(':id/satisfaction')
  @ApiCreatedResponse({
    type: RatingResponse,
    description: 'Rated. 409 when the ticket is not resolved or closed, or this resolution is already rated',
  })
  @ApiAuthenticated(400, 403, 404, 409)
  async rate(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() body: RateTicketRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RatingResponse> {
    const rating = await this.rateTicket.execute(actor, { ticketId: id, rating: body.rating, comment: body.comment });
    reply.status(201).header('Location', `/api/v1/tickets/${id}`);
    return RatingResponse.fromRating(rating);
  }
}
