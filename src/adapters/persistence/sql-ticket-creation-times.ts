import type { DataSource } from 'typeorm';
import { TicketCreationTimes } from '../../core/metrics/export-points.use-case.js';
import { prepared } from './prepared.js';

export class SqlTicketCreationTimes extends TicketCreationTimes {
  constructor(private readonly db: DataSource) {
    super();
  }

  async createdAt(ticketId: string): Promise<Date | null> {
    const rows: { created_at: Date }[] = await this.db.query(prepared(`SELECT created_at FROM tickets WHERE id = $1`), [ticketId]);
    return rows[0]?.created_at ?? null;
  }
}
