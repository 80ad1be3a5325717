import pg from 'pg';

interface Corkable {
  cork(): void;
  uncork(): void;
}

/**
 * A `pg` client that sends the statements issued in one turn of the event loop in one write. `pg` writes each
 * statement's messages to the socket on its own (one `writev` per statement); on a pipelined connection a
 * transaction issues several at once (BEGIN with its first lookups, the appends with COMMIT), and on this
 * project's machines each socket write costs tens of microseconds of CPU. The socket is corked at the first
 * statement of a turn and uncorked once the turn's promise callbacks have run (process.nextTick), so nothing waits
 * longer than that. Statement order, results and errors are `pg`'s own.
 */
export class TickBatchingClient extends pg.Client {
  private corked = false;

  // Typed loosely on purpose: pg's many overloads pass through unchanged (the return type is the overload's own).
  override query(...args: unknown[]): never {
    this.corkUntilNextTick();
    return (super.query as (...a: unknown[]) => never)(...args);
  }

  private corkUntilNextTick(): void {
    if (this.corked) return;
    const stream = (this as unknown as { connection?: { stream?: Partial<Corkable> } }).connection?.stream;
    if (typeof stream?.cork !== 'function' || typeof stream.uncork !== 'function') return;
    this.corked = true;
    stream.cork();
    process.nextTick(() => {
      this.corked = false;
      stream.uncork!();
    });
  }
}
