import { Module } from '@nestjs/common';
import { TicketTriageController, TriageModelController } from '../adapters/http/triage/triage.controller.js';
import { AppConfig } from '../config/app-config.js';
import { TicketQueries } from '../core/tickets/ticket-queries.port.js';
import { ManageTriageModel } from '../core/triage/manage-triage-model.use-case.js';
import { ReadTicketTriage } from '../core/triage/read-ticket-triage.use-case.js';
import { TriageModelStore } from '../core/triage/triage-model-store.port.js';
import { TriageResultRepository } from '../core/triage/triage-result-repository.port.js';
import { TriageTrainingQueue } from '../core/triage/triage-training-queue.port.js';
import { useCase } from './use-case.provider.js';

/** The triage API: the model's figures and retraining (admins), a ticket's triage result (staff). */
@Module({
  controllers: [TriageModelController, TicketTriageController],
  providers: [
    {
      provide: ManageTriageModel,
      useFactory: (models: TriageModelStore, queue: TriageTrainingQueue, c: AppConfig) =>
        new ManageTriageModel(models, queue, { minExamples: c.env.TRIAGE_MIN_EXAMPLES, maxExamples: c.env.TRIAGE_TRAINING_LIMIT }),
      inject: [TriageModelStore, TriageTrainingQueue, AppConfig],
    },
    useCase(ReadTicketTriage, [TicketQueries, TriageResultRepository]),
  ],
})
export class TriageModule {}
