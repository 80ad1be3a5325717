import type pg from 'pg';

/** What a statement does, as `tessera_db_query_duration_seconds{operation}` names it: a small fixed set. */
export const DB_OPERATIONS = ['read', 'write', 'transaction', 'schema', 'other'] as const;
export type DbOperation = (typeof DB_OPERATIONS)[number];

export type QueryObserver = (operation: DbOperation, seconds: number) => void;

const FIRST_WORD: Record<string, DbOperation> = {
  SELECT: 'read',
  SHOW: 'read',
  VALUES: 'read',
  TABLE: 'read',
  INSERT: 'write',
  UPDATE: 'write',
  DELETE: 'write',
  MERGE: 'write',
  COPY: 'write',
  TRUNCATE: 'write',
  BEGIN: 'transaction',
  START: 'transaction',
  COMMIT: 'transaction',
  ROLLBACK: 'transaction',
  SAVEPOINT: 'transaction',
  RELEASE: 'transaction',
  CREATE: 'schema',
  ALTER: 'schema',
  DROP: 'schema',
};

/** `WITH … INSERT/UPDATE/DELETE` writes; a `WITH` that only selects reads. */
const WRITING_CTE = /\b(INSERT|UPDATE|DELETE|MERGE)\b/i;

/** The operation of a statement from its first keyword (the statement's text is never a label). */
export function operationOf(text: string): DbOperation {
  const match = /^[\s(]*([A-Za-z]+)/.exec(text);
  if (!match) return 'other';
  const word = match[1]!.toUpperCase();
  if (word === 'WITH') return WRITING_CTE.test(text) ? 'write' : 'read';
  return FIRST_WORD[word] ?? 'other';
}

function textOf(statement: unknown): string {
  if (typeof statement === 'string') return statement;
  const text = (statement as { text?: unknown } | null)?.text;
  return typeof text === 'string' ? text : '';
}

/**
 * A subclass of the pool's client class that times every statement from the call to its answer (in pipeline mode
 * that includes the wait behind the statements sent before it) and hands the time to `observe`. Results, errors and
 * pg's overloads pass through unchanged.
 */
export function timedClient<C extends typeof pg.Client>(Base: C, observe: QueryObserver): C {
  // @ts-expect-error a mixin over pg.Client's constructor signature
  return class TimedClient extends Base {
    override query(...args: unknown[]): never {
      const started = process.hrtime.bigint();
      const operation = operationOf(textOf(args[0]));
      const done = () => observe(operation, Number(process.hrtime.bigint() - started) / 1e9);
      const last = args.length - 1;
      if (typeof args[last] === 'function') {
        const callback = args[last] as (...a: unknown[]) => void;
        args[last] = (...a: unknown[]) => {
          done();
          callback(...a);
        };
        return (super.query as (...a: unknown[]) => never)(...args);
      }
      const result = (super.query as (...a: unknown[]) => unknown)(...args);
      if (result && typeof (result as Promise<unknown>).then === 'function') (result as Promise<unknown>).then(done, done);
      return result as never;
    }
  };
}
