import { Module } from '@nestjs/common';
import { SlaPoliciesController, TicketSlaEventsController } from '../adapters/http/sla/sla-policies.controller.js';
import { ManageSlaPolicies } from '../core/sla/manage-sla-policies.use-case.js';
import { SlaPolicyRepository } from '../core/sla/sla-policy-repository.port.js';
import { SlaReader } from '../core/sla/sla-reader.js';
import { SlaQueries } from '../core/sla/ticket-sla-repository.port.js';
import { Clock } from '../core/shared/clock.port.js';
import { UnitOfWork } from '../core/shared/unit-of-work.port.js';
import { TicketQueries } from '../core/tickets/ticket-queries.port.js';
import { useCase } from './use-case.provider.js';

@Module({
  controllers: [SlaPoliciesController, TicketSlaEventsController],
  providers: [
    useCase(ManageSlaPolicies, [UnitOfWork, SlaPolicyRepository, Clock]),
    useCase(SlaReader, [TicketQueries, SlaQueries]),
  ],
})
export class SlaModule {}
