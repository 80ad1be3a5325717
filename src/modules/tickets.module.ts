import { Module } from '@nestjs/common';
import { TicketCommentsController } from '../adapters/http/tickets/ticket-comments.controller.js';
import { TicketsController } from '../adapters/http/tickets/tickets.controller.js';
import { AppConfig } from '../config/app-config.js';
import { Clock } from '../core/shared/clock.port.js';
import { UnitOfWork } from '../core/shared/unit-of-work.port.js';
import { AddComment } from '../core/tickets/add-comment.use-case.js';
import { AssignTicket } from '../core/tickets/assign-ticket.use-case.js';
import { ChangeTicketStatus } from '../core/tickets/change-ticket-status.use-case.js';
import { CreateTicket } from '../core/tickets/create-ticket.use-case.js';
import { DeleteTicket } from '../core/tickets/delete-ticket.use-case.js';
import { PriorityMatrix } from '../core/tickets/priority-matrix.js';
import { TicketQueries } from '../core/tickets/ticket-queries.port.js';
import { TicketReader } from '../core/tickets/ticket-reader.js';
import { UpdateTicket } from '../core/tickets/update-ticket.use-case.js';
import { useCase } from './use-case.provider.js';

/** The configured priority matrix (also used by the workers: triage changes severity and urgency). */
export const priorityMatrixProvider = {
  provide: PriorityMatrix,
  useFactory: (c: AppConfig) => (c.env.PRIORITY_MATRIX ? PriorityMatrix.fromJson(c.env.PRIORITY_MATRIX) : new PriorityMatrix()),
  inject: [AppConfig],
};

@Module({
  controllers: [TicketsController, TicketCommentsController],
  providers: [
    priorityMatrixProvider,
    useCase(TicketReader, [TicketQueries]),
    useCase(CreateTicket, [UnitOfWork, PriorityMatrix, Clock]),
    useCase(UpdateTicket, [UnitOfWork, PriorityMatrix, Clock]),
    useCase(ChangeTicketStatus, [UnitOfWork, Clock]),
    useCase(AssignTicket, [UnitOfWork, Clock]),
    useCase(DeleteTicket, [UnitOfWork, Clock]),
    useCase(AddComment, [UnitOfWork, Clock]),
  ],
})
export class TicketsModule {}
