import type { DataSource, EntityManager } from 'typeorm';
import type { SlaEvent } from '../../core/sla/sla-clock.js';
import { summaryOf, type RecordedSlaEvent, type TicketSla, type TicketSlaSummary } from '../../core/sla/ticket-sla.js';
import { SlaQueries, TicketSlaRepository } from '../../core/sla/ticket-sla-repository.port.js';
import { prepared } from './prepared.js';
import {
  TICKET_SLA_COLUMNS,
  ticketSlaParams,
  toRecordedSlaEvent,
  toTicketSla,
  type SlaEventRow,
  type TicketSlaRow,
} from './ticket-sla-row.mapper.js';
import type { TransactionWrites } from './transaction-writes.js';

const PLACEHOLDERS = TICKET_SLA_COLUMNS.split(',').map((_, i) => `$${i + 1}`).join(', ');
const UPSERT = `INSERT INTO ticket_sla (${TICKET_SLA_COLUMNS}) VALUES (${PLACEHOLDERS})
  ON CONFLICT (ticket_id) DO UPDATE SET (${TICKET_SLA_COLUMNS}) = (${PLACEHOLDERS})`;

/** First key of the transaction-scoped advisory locks that serialise SLA work per ticket ('sla' in ASCII). */
const SLA_LOCK_SPACE = 0x736c61;

export class SqlTicketSlaRepository extends TicketSlaRepository {
  constructor(
    private readonly db: EntityManager,
    /** A ticket read (and cached) carries its `sla`: a change of its clocks is a change of the ticket for the cache. */
    private readonly writes: TransactionWrites,
  ) {
    super();
  }

  async lock(ticketId: string): Promise<TicketSla | null> {
    // Sent together: PostgreSQL runs them in order, so the clocks are read under the lock.
    const [, rows]: [unknown, TicketSlaRow[]] = await Promise.all([
      this.db.query(prepared(`SELECT pg_advisory_xact_lock(${SLA_LOCK_SPACE}, hashtext($1::text))`), [ticketId]),
      this.db.query(prepared(`SELECT ${TICKET_SLA_COLUMNS} FROM ticket_sla WHERE ticket_id = $1 FOR UPDATE`), [ticketId]),
    ]);
    return rows[0] ? toTicketSla(rows[0]) : null;
  }

  async save(record: TicketSla): Promise<void> {
    await this.db.query(prepared(UPSERT), ticketSlaParams(record));
    this.writes.tickets.add(record.ticketId);
  }

  async appendEvents(ticketId: string, events: SlaEvent[]): Promise<void> {
    if (!events.length) return;
    await this.db.query(
      prepared(`INSERT INTO sla_events (ticket_id, clock, type, at, due_at, details)
       SELECT $1, c, t, a, d, x FROM unnest($2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::jsonb[])
         WITH ORDINALITY AS e(c, t, a, d, x, n) ORDER BY n`),
      [
        ticketId,
        events.map((e) => e.clock),
        events.map((e) => e.type),
        events.map((e) => e.at),
        events.map((e) => e.dueAt),
        events.map((e) => JSON.stringify(e.details)),
      ],
    );
  }

  async dueForCheck(now: Date, limit: number): Promise<string[]> {
    const rows: { ticket_id: string }[] = await this.db.query(
      `SELECT ticket_id FROM ticket_sla WHERE next_check_at <= $1 ORDER BY next_check_at LIMIT $2`,
      [now, limit],
    );
    return rows.map((r) => r.ticket_id);
  }

  async runningOn(policyId: string): Promise<string[]> {
    const rows: { ticket_id: string }[] = await this.db.query(
      `SELECT ticket_id FROM ticket_sla WHERE policy_id = $1 AND resolved_at IS NULL ORDER BY ticket_id`,
      [policyId],
    );
    return rows.map((r) => r.ticket_id);
  }
}

export class SqlSlaQueries extends SlaQueries {
  constructor(private readonly db: DataSource) {
    super();
  }

  async summaryOf(ticketId: string): Promise<TicketSlaSummary | null> {
    const rows: TicketSlaRow[] = await this.db.query(
      prepared(`SELECT ${TICKET_SLA_COLUMNS} FROM ticket_sla WHERE ticket_id = $1`),
      [ticketId],
    );
    return rows[0] ? summaryOf(toTicketSla(rows[0]).state) : null;
  }

  async events(ticketId: string): Promise<RecordedSlaEvent[]> {
    const rows: SlaEventRow[] = await this.db.query(
      `SELECT ticket_id, clock, type, at, due_at, details FROM sla_events WHERE ticket_id = $1 ORDER BY at, id`,
      [ticketId],
    );
    return rows.map(toRecordedSlaEvent);
  }
}
