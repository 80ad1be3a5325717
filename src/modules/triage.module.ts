import { Logger, Module } from '@nestjs/common';
import { TicketTriageController, TriageModelController } from '../adapters/http/triage/triage.controller.js';
import { BullTriageTraining } from '../adapters/queue/bull-triage-training.js';
import { TriageRetrainSchedule } from '../adapters/queue/triage-retrain-schedule.js';
import { AppConfig } from '../config/app-config.js';
import { Clock } from '../core/shared/clock.port.js';
import { UnitOfWork } from '../core/shared/unit-of-work.port.js';
import { PriorityMatrix } from '../core/tickets/priority-matrix.js';
import { TicketQueries } from '../core/tickets/ticket-queries.port.js';
import { ManageTriageModel } from '../core/triage/manage-triage-model.use-case.js';
import { ReadTicketTriage } from '../core/triage/read-ticket-triage.use-case.js';
import { RunTriage } from '../core/triage/run-triage.use-case.js';
import { TrainTriageModel } from '../core/triage/train-triage-model.use-case.js';
import { TriageModelStore } from '../core/triage/triage-model-store.port.js';
import { TriageResultRepository } from '../core/triage/triage-result-repository.port.js';
import { TriageTrainingQueue } from '../core/triage/triage-training-queue.port.js';
import { priorityMatrixProvider } from './tickets.module.js';
import { useCase } from './use-case.provider.js';

/** The worker side of triage (bound in WorkerModule): the triage step, training, and the retraining schedule. */
export const triageWorkerProviders = [
  priorityMatrixProvider,
  {
    provide: RunTriage,
    useFactory: (uow: UnitOfWork, models: TriageModelStore, matrix: PriorityMatrix, clock: Clock, c: AppConfig) =>
      new RunTriage(uow, models, matrix, clock, {
        applyConfidence: c.env.TRIAGE_APPLY_CONFIDENCE,
        duplicateSimilarity: c.env.TRIAGE_DUPLICATE_SIMILARITY,
      }),
    inject: [UnitOfWork, TriageModelStore, PriorityMatrix, Clock, AppConfig],
  },
  {
    provide: TrainTriageModel,
    useFactory: (models: TriageModelStore, clock: Clock, c: AppConfig) =>
      new TrainTriageModel(models, clock, {
        minExamples: c.env.TRIAGE_MIN_EXAMPLES,
        maxExamples: c.env.TRIAGE_TRAINING_LIMIT,
        keep: c.env.TRIAGE_MODELS_KEPT,
      }),
    inject: [TriageModelStore, Clock, AppConfig],
  },
  {
    provide: TriageRetrainSchedule,
    useFactory: (training: BullTriageTraining, c: AppConfig) =>
      new TriageRetrainSchedule(training, c.env.TRIAGE_RETRAIN_EVERY_MINUTES, new Logger('TriageTraining')),
    inject: [BullTriageTraining, AppConfig],
  },
];

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
