import { Module } from '@nestjs/common';
import { SatisfactionController } from '../adapters/http/satisfaction/satisfaction.controller.js';
import { TypeOrmSatisfactionUnitOfWork } from '../adapters/persistence/sql-ratings.js';
import { TypeOrmUnitOfWork } from '../adapters/persistence/typeorm-unit-of-work.js';
import { RateTicket } from '../core/satisfaction/rate-ticket.use-case.js';
import { SatisfactionUnitOfWork } from '../core/satisfaction/satisfaction.ports.js';
import { Clock } from '../core/shared/clock.port.js';
import { useCase } from './use-case.provider.js';

/** CSAT: the requester's rating of a resolution (the ticket shows it through TicketQueries / SatisfactionQueries). */
@Module({
  controllers: [SatisfactionController],
  providers: [
    { provide: SatisfactionUnitOfWork, useFactory: (uow: TypeOrmUnitOfWork) => new TypeOrmSatisfactionUnitOfWork(uow), inject: [TypeOrmUnitOfWork] },
    useCase(RateTicket, [SatisfactionUnitOfWork, Clock]),
  ],
})
export class SatisfactionModule {}
