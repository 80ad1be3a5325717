import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Put, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags, ApiNoContentResponse } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { Actor } from '../../../core/identity/actor.js';
import { DEFAULT_PAGE_SIZE } from '../../../core/shared/paging.js';
import { AssignTicket } from '../../../core/tickets/assign-ticket.use-case.js';
import { ChangeTicketStatus } from '../../../core/tickets/change-ticket-status.use-case.js';
import { CreateTicket } from '../../../core/tickets/create-ticket.use-case.js';
import { DeleteTicket } from '../../../core/tickets/delete-ticket.use-case.js';
import type { TicketSnapshot } from '../../../core/tickets/ticket.js';
import type { TicketSortField } from '../../../core/tickets/ticket-queries.port.js';
import { TicketReader } from '../../../core/tickets/ticket-reader.js';
import { UpdateTicket } from '../../../core/tickets/update-ticket.use-case.js';
import { SlaQueries } from '../../../core/sla/ticket-sla-repository.port.js';
import { SatisfactionQueries } from '../../../core/satisfaction/satisfaction.ports.js';
import { CurrentActor } from '../../auth/current-actor.decorator.js';
import { ApiAuthenticated } from '../api-problems.decorator.js';
import { uuid } from '../uuid.pipe.js';
import { etagOf, expectedVersion, idempotencyKey } from './http-preconditions.js';
import { AssignRequest, ChangeStatusRequest, CreateTicketRequest, UpdateTicketRequest } from './ticket.request.dto.js';
import { TicketListQueryDto } from './ticket-list.query.dto.js';
import { TicketPageResponse, TicketResponse } from './ticket.response.dto.js';

@ApiTags('tickets')
@Controller('tickets')
export class TicketsController {
  constructor(
    private readonly reader: TicketReader,
    private readonly createTicket: CreateTicket,
    private readonly updateTicket: UpdateTicket,
    private readonly changeStatus: ChangeTicketStatus,
    private readonly assignTicket: AssignTicket,
    private readonly deleteTicket: DeleteTicket,
    private readonly sla: SlaQueries,
    private readonly satisfaction: SatisfactionQueries,
  ) {}

  @Post()
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Replays return the first result' })
  @ApiCreatedResponse({ type: TicketResponse, description: 'Created; Location points at the ticket' })
  @ApiAuthenticated(400, 403, 422)
  async create(
    @CurrentActor() actor: Actor,
    @Body() body: CreateTicketRequest,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TicketResponse> {
    const { ticket, replayed } = await this.createTicket.execute(actor, { ...body, idempotencyKey: idempotencyKey(key) });
    const snapshot = ticket.snapshot();
    reply.status(201).header('Location', `/api/v1/tickets/${snapshot.id}`).header('ETag', etagOf(snapshot.version));
    if (replayed) reply.header('Idempotent-Replayed', 'true');
    return TicketResponse.from(snapshot);
  }

  @Get()
  @ApiOkResponse({ type: TicketPageResponse })
  @ApiAuthenticated(400)
  async list(@CurrentActor() actor: Actor, @Query() query: TicketListQueryDto): Promise<TicketPageResponse> {
    const sort = query.sort ?? '-createdAt';
    const page = await this.reader.list(actor, {
      status: query.status,
      priority: query.priority,
      severity: query.severity,
      categoryId: query.categoryId,
      assigneeId: query.assigneeId?.toLowerCase() === 'none' ? null : query.assigneeId,
      requesterId: query.requesterId,
      tag: query.tag,
      q: query.q?.trim() || undefined,
      createdFrom: query.createdFrom ? new Date(query.createdFrom) : undefined,
      createdTo: query.createdTo ? new Date(query.createdTo) : undefined,
      sort: { field: sort.replace('-', '') as TicketSortField, direction: sort.startsWith('-') ? 'desc' : 'asc' },
      limit: query.limit ?? DEFAULT_PAGE_SIZE,
      cursor: query.cursor,
      includeTotal: query.includeTotal === 'true',
    });
    return { ...page, items: page.items.map(TicketResponse.from) };
  }

  @Get(':id')
  @ApiOkResponse({ type: TicketResponse, headers: { ETag: { description: 'Current version' } } })
  @ApiAuthenticated(400, 404)
  async get(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TicketResponse> {
    const ticket = await this.reader.get(actor, id);
    reply.header('ETag', etagOf(ticket.version));
    return TicketResponse.from(ticket);
  }

  @Patch(':id')
  @ApiHeader({ name: 'If-Match', required: false, description: 'ETag from a GET; 412 when stale' })
  @ApiOkResponse({ type: TicketResponse })
  @ApiAuthenticated(400, 403, 404, 409, 412, 422)
  async update(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() body: UpdateTicketRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TicketResponse> {
    const ticket = await this.updateTicket.execute(actor, { id, patch: body, expectedVersion: expectedVersion(ifMatch) });
    return this.respond(reply, ticket.snapshot());
  }

  @Patch(':id/status')
  @ApiHeader({ name: 'If-Match', required: false })
  @ApiOkResponse({ type: TicketResponse })
  @ApiAuthenticated(400, 403, 404, 409, 412)
  async status(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() body: ChangeStatusRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TicketResponse> {
    const ticket = await this.changeStatus.execute(actor, { id, ...body, expectedVersion: expectedVersion(ifMatch) });
    return this.respond(reply, ticket.snapshot());
  }

  @Put(':id/assignee')
  @ApiHeader({ name: 'If-Match', required: false })
  @ApiOkResponse({ type: TicketResponse })
  @ApiAuthenticated(400, 403, 404, 409, 412, 422)
  async assign(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() body: AssignRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TicketResponse> {
    const ticket = await this.assignTicket.execute(actor, {
      id,
      assigneeId: body.assigneeId,
      expectedVersion: expectedVersion(ifMatch),
    });
    return this.respond(reply, ticket.snapshot());
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiAuthenticated(400, 403, 404)
  async remove(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<void> {
    await this.deleteTicket.execute(actor, { id, restore: false });
  }

  @Post(':id/restore')
  @HttpCode(200)
  @ApiOkResponse({ type: TicketResponse })
  @ApiAuthenticated(400, 403, 404)
  async restore(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TicketResponse> {
    const ticket = await this.deleteTicket.execute(actor, { id, restore: true });
    return this.respond(reply, ticket.snapshot());
  }

  /**
   * A change's result shows the clocks as they stand (the SLA worker applies the change to them moments later)
   * and the ticket's latest rating.
   */
  private async respond(reply: FastifyReply, snapshot: TicketSnapshot): Promise<TicketResponse> {
    reply.header('ETag', etagOf(snapshot.version));
    const [sla, satisfaction] = await Promise.all([this.sla.summaryOf(snapshot.id), this.satisfaction.latestOf(snapshot.id)]);
    return TicketResponse.from({ ...snapshot, sla, satisfaction });
  }
}
