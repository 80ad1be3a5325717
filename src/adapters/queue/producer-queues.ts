import type { Queue } from 'bullmq';
import type { QueueName } from './queues.js';

/** The BullMQ queues this process adds jobs to, by name (DI token for the relay and the failed-jobs admin). */
export class ProducerQueues {
  constructor(readonly byName: ReadonlyMap<QueueName, Queue>) {}
}
