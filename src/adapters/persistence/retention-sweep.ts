import type { DataSource } from 'typeorm';

/** Rows of `table` whose `column` is older than `hours` are deleted. */
export interface RetentionRule {
  table: 'processed_events' | 'idempotency_keys';
  column: 'processed_at' | 'created_at';
  hours: number;
}

export interface RetentionLogger {
  warn(message: string): void;
}

const BATCH = 10_000;
/** Batches per table per run: a run never holds the database for long; the rest goes at the next run. */
const MAX_BATCHES = 50;

/**
 * Deletes what is kept only for a while: consumers' processed-event claims (kept as long as the outbox keeps the
 * events) and idempotency keys. Each worker process runs it every `everyMs`; concurrent runs delete disjoint or
 * already-deleted rows, so nothing needs coordinating.
 */
export class RetentionSweep {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly db: DataSource,
    private readonly rules: readonly RetentionRule[],
    private readonly logger: RetentionLogger,
  ) {}

  /** Deletes the expired rows of every rule; returns how many per table. */
  async run(): Promise<Record<string, number>> {
    const deleted: Record<string, number> = {};
    for (const { table, column, hours } of this.rules) {
      deleted[table] = 0;
      for (let i = 0; i < MAX_BATCHES; i++) {
        const [, count] = (await this.db.query(
          `DELETE FROM ${table} WHERE ctid IN (
             SELECT ctid FROM ${table} WHERE ${column} < now() - make_interval(hours => $1) LIMIT ${BATCH})`,
          [hours],
        )) as [unknown, number];
        deleted[table] += count;
        if (count < BATCH) break;
      }
    }
    return deleted;
  }

  start(everyMs: number): void {
    const tick = () => {
      this.running ??= this.run()
        .catch((error: unknown) => this.logger.warn(`retention sweep failed: ${(error as Error).message}`))
        .finally(() => (this.running = null));
    };
    this.timer = setInterval(tick, everyMs);
    this.timer.unref();
    tick();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
