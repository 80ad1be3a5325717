import { BullModule, getQueueToken } from '@nestjs/bullmq';
import { Global, Inject, Logger, Module, type OnModuleInit } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { BullFailedJobs } from '../adapters/queue/bull-failed-jobs.js';
import { BullTriageTraining } from '../adapters/queue/bull-triage-training.js';
import { ProducerQueues } from '../adapters/queue/producer-queues.js';
import { QUEUES, redisOptionsFromUrl, type QueueName } from '../adapters/queue/queues.js';
import { throttled } from '../adapters/timing.js';
import { AppConfig } from '../config/app-config.js';
import { FailedJobs } from '../core/pipeline/failed-jobs.port.js';
import { TriageTrainingQueue } from '../core/triage/triage-training-queue.port.js';

const names = Object.values(QUEUES);

/**
 * BullMQ on the same Redis. Producers use no offline queue, so while Redis is away they fail fast and events
 * stay in the PostgreSQL outbox instead of piling up in memory.
 */
@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (c: AppConfig) => ({
        prefix: c.env.QUEUE_PREFIX,
        connection: { ...redisOptionsFromUrl(c.redisUrl), enableOfflineQueue: false, maxRetriesPerRequest: 1 },
      }),
    }),
    ...names.map((name) => BullModule.registerQueue({ name })),
  ],
  providers: [
    {
      provide: ProducerQueues,
      useFactory: (...queues: Queue[]) => new ProducerQueues(new Map(queues.map((q) => [q.name as QueueName, q]))),
      inject: names.map((name) => getQueueToken(name)),
    },
    { provide: FailedJobs, useFactory: (q: ProducerQueues) => new BullFailedJobs(q.byName), inject: [ProducerQueues] },
    {
      provide: BullTriageTraining,
      useFactory: (q: ProducerQueues, c: AppConfig) =>
        new BullTriageTraining(q.byName.get(QUEUES.triageTraining)!, { attempts: c.env.JOB_ATTEMPTS, backoffMs: c.env.JOB_BACKOFF_MS }),
      inject: [ProducerQueues, AppConfig],
    },
    { provide: TriageTrainingQueue, useExisting: BullTriageTraining },
  ],
  exports: [BullModule, ProducerQueues, FailedJobs, BullTriageTraining, TriageTrainingQueue],
})
export class QueueModule implements OnModuleInit {
  private readonly logger = new Logger('Queues');
  private readonly warn = throttled(60_000, (message) => this.logger.warn(message));

  constructor(@Inject(ProducerQueues) private readonly queues: ProducerQueues) {}

  onModuleInit(): void {
    // Without a listener an 'error' event would crash the process; Redis outages are reported by /health.
    for (const queue of this.queues.byName.values()) {
      queue.on('error', (error) => this.warn(`Queue ${queue.name} cannot reach Redis: ${error.message}`));
    }
  }
}
