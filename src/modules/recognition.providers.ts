import type { Provider } from '@nestjs/common';
import { TypeOrmRecognitionUnitOfWork } from '../adapters/persistence/sql-recognition.js';
import { TypeOrmUnitOfWork } from '../adapters/persistence/typeorm-unit-of-work.js';
import { RecognitionProcessor } from '../adapters/queue/processors/recognition.processor.js';
import { AppConfig } from '../config/app-config.js';
import { AwardPoints } from '../core/recognition/award-points.use-case.js';
import { LevelScale } from '../core/recognition/level-scale.js';
import { RecognitionUnitOfWork } from '../core/recognition/recognition.ports.js';
import { RecognitionRules } from '../core/recognition/recognition-rules.js';
import { useCase } from './use-case.provider.js';

/** GAMIFICATION_RULES (checked at start by parseEnv) over the documented defaults. */
export const recognitionRulesProvider: Provider = {
  provide: RecognitionRules,
  useFactory: (c: AppConfig) =>
    c.env.GAMIFICATION_RULES ? RecognitionRules.fromJson(c.env.GAMIFICATION_RULES) : RecognitionRules.defaults(),
  inject: [AppConfig],
};

/** GAMIFICATION_LEVELS (checked at start by parseEnv), or the documented defaults. */
export const levelScaleProvider: Provider = {
  provide: LevelScale,
  useFactory: (c: AppConfig) => (c.env.GAMIFICATION_LEVELS ? LevelScale.fromJson(c.env.GAMIFICATION_LEVELS) : LevelScale.defaults()),
  inject: [AppConfig],
};

/** The recognition worker's pieces (worker processes do not load the HTTP RecognitionModule). */
export const recognitionWorkerProviders: Provider[] = [
  recognitionRulesProvider,
  { provide: RecognitionUnitOfWork, useFactory: (uow: TypeOrmUnitOfWork) => new TypeOrmRecognitionUnitOfWork(uow), inject: [TypeOrmUnitOfWork] },
  useCase(AwardPoints, [RecognitionUnitOfWork, RecognitionRules]),
  useCase(RecognitionProcessor, [AwardPoints]),
];
