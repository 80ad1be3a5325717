import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiOkResponse, ApiTags, ApiNoContentResponse } from '@nestjs/swagger';
import type { Actor } from '../../../core/identity/actor.js';
import { DEFAULT_PAGE_SIZE } from '../../../core/shared/paging.js';
import { ManageWebhooks } from '../../../core/webhooks/manage-webhooks.use-case.js';
import { CurrentActor } from '../../auth/current-actor.decorator.js';
import { ApiAuthenticated } from '../api-problems.decorator.js';
import { uuid } from '../uuid.pipe.js';
import {
  AttemptResponse,
  CreateWebhookRequest,
  DeliveryDetailResponse,
  DeliveryListQuery,
  DeliveryPageResponse,
  DeliveryResponse,
  UpdateWebhookRequest,
  WebhookResponse,
} from './webhook.dto.js';

@ApiTags('webhooks')
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: ManageWebhooks) {}

  @Get()
  @ApiOkResponse({ type: [WebhookResponse], description: 'Admins' })
  @ApiAuthenticated(403)
  async list(@CurrentActor() actor: Actor): Promise<WebhookResponse[]> {
    return (await this.webhooks.list(actor)).map((w) => WebhookResponse.from(w));
  }

  @Post()
  @ApiCreatedResponse({ type: WebhookResponse, description: 'The response carries the full secret, once' })
  @ApiAuthenticated(400, 403, 422)
  async create(@CurrentActor() actor: Actor, @Body() body: CreateWebhookRequest): Promise<WebhookResponse> {
    return WebhookResponse.from(await this.webhooks.create(actor, body), true);
  }

  @Get(':id')
  @ApiOkResponse({ type: WebhookResponse })
  @ApiAuthenticated(400, 403, 404)
  async get(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<WebhookResponse> {
    return WebhookResponse.from(await this.webhooks.get(actor, id));
  }

  @Patch(':id')
  @ApiOkResponse({ type: WebhookResponse, description: 'Carries the full secret when the request changed it' })
  @ApiAuthenticated(400, 403, 404, 422)
  async update(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Body() body: UpdateWebhookRequest): Promise<WebhookResponse> {
    return WebhookResponse.from(await this.webhooks.update(actor, id, body), body.secret !== undefined);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiAuthenticated(400, 403, 404)
  async remove(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<void> {
    await this.webhooks.delete(actor, id);
  }

  @Get(':id/deliveries')
  @ApiOkResponse({ type: DeliveryPageResponse, description: 'Newest first' })
  @ApiAuthenticated(400, 403, 404)
  async deliveries(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Query() query: DeliveryListQuery,
  ): Promise<DeliveryPageResponse> {
    const page = await this.webhooks.deliveries(actor, id, query.limit ?? DEFAULT_PAGE_SIZE, query.cursor);
    return { items: page.items.map(DeliveryResponse.from), nextCursor: page.nextCursor };
  }

  @Get(':id/deliveries/:deliveryId')
  @ApiOkResponse({ type: DeliveryDetailResponse, description: 'The delivery with every attempt' })
  @ApiAuthenticated(400, 403, 404)
  async delivery(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Param('deliveryId', uuid) deliveryId: string,
  ): Promise<DeliveryDetailResponse> {
    const { delivery, attempts } = await this.webhooks.delivery(actor, id, deliveryId);
    return { ...DeliveryResponse.from(delivery), attemptLog: attempts.map(AttemptResponse.from) };
  }

  @Post(':id/deliveries/:deliveryId/replay')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: DeliveryResponse, description: 'Queued: sent again as a new attempt' })
  @ApiAuthenticated(400, 403, 404)
  async replay(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Param('deliveryId', uuid) deliveryId: string,
  ): Promise<DeliveryResponse> {
    return DeliveryResponse.from(await this.webhooks.replay(actor, id, deliveryId));
  }
}
