import { BullModule, InjectQueue } from '@nestjs/bullmq';
import { Logger, Module, type OnModuleInit } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { redisOptionsFromUrl, TICKET_EVENTS_QUEUE } from '../adapters/queue/queues.js';
import { AppConfig } from '../config/app-config.js';

/**
 * BullMQ on the same Redis. Producers use no offline queue, so while Redis is away they fail fast and events
 * stay in the PostgreSQL outbox instead of piling up in memory.
 */
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (c: AppConfig) => ({
        prefix: 'tessera',
        connection: { ...redisOptionsFromUrl(c.redisUrl), enableOfflineQueue: false, maxRetriesPerRequest: 1 },
      }),
    }),
    BullModule.registerQueue({ name: TICKET_EVENTS_QUEUE }),
  ],
  exports: [BullModule],
})
export class QueueModule implements OnModuleInit {
  private readonly logger = new Logger('Queues');
  private lastWarning = 0;

  constructor(@InjectQueue(TICKET_EVENTS_QUEUE) private readonly queue: Queue) {}

  onModuleInit(): void {
    // Without a listener an 'error' event would crash the process; Redis outages are reported by /health.
    this.queue.on('error', (error) => {
      if (Date.now() - this.lastWarning < 60_000) return;
      this.lastWarning = Date.now();
      this.logger.warn(`Queue ${TICKET_EVENTS_QUEUE} cannot reach Redis: ${error.message}`);
    });
  }
}
