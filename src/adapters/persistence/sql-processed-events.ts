import type { EntityManager } from 'typeorm';
import { ProcessedEvents } from '../../core/shared/processed-events.port.js';
import { prepared } from './prepared.js';

/** A concurrent claim of the same event waits on the primary key until the first transaction ends. */
export class SqlProcessedEvents extends ProcessedEvents {
  constructor(private readonly db: EntityManager) {
    super();
  }

  async claim(consumer: string, eventId: string, at: Date): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      prepared(`INSERT INTO processed_events (consumer, event_id, processed_at) VALUES ($1, $2, $3)
        ON CONFLICT DO NOTHING RETURNING 1`),
      [consumer, eventId, at],
    );
    return rows.length === 1;
  }
}
