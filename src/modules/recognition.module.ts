import { Global, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RecognitionController } from '../adapters/http/recognition/recognition.controller.js';
import { SqlRecognitionQueries } from '../adapters/persistence/sql-recognition.js';
import { UserRepository } from '../core/identity/user-repository.port.js';
import { AgentStandings } from '../core/recognition/agent-standings.js';
import { LevelScale } from '../core/recognition/level-scale.js';
import { ReadRecognition } from '../core/recognition/read-recognition.use-case.js';
import { RecognitionQueries } from '../core/recognition/recognition.ports.js';
import { RecognitionRules } from '../core/recognition/recognition-rules.js';
import { levelScaleProvider, recognitionRulesProvider } from './recognition.providers.js';
import { useCase } from './use-case.provider.js';

/**
 * Agent recognition's read side in the API: the leaderboard, the ledgers, and AgentStandings (points and level per
 * agent), global so /auth/me and analytics use the same figures. Points are awarded by the worker (WorkerModule).
 */
@Global()
@Module({
  controllers: [RecognitionController],
  providers: [
    recognitionRulesProvider,
    levelScaleProvider,
    { provide: RecognitionQueries, useFactory: (ds: DataSource) => new SqlRecognitionQueries(ds), inject: [DataSource] },
    useCase(AgentStandings, [RecognitionQueries, LevelScale]),
    useCase(ReadRecognition, [RecognitionQueries, AgentStandings, UserRepository, RecognitionRules, LevelScale]),
  ],
  exports: [AgentStandings, LevelScale],
})
export class RecognitionModule {}
