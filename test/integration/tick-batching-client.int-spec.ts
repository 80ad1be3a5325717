import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { TickBatchingClient } from '../../src/adapters/persistence/tick-batching-client.js';
import { testDatabaseUrl } from '../support/database.js';

type Socket = { _write: (...a: unknown[]) => unknown; _writev: (...a: unknown[]) => unknown };

/** Counts the writes that reach the client's socket (one per `write` or `writev`, after corking). */
function countSocketWrites(client: pg.Client): () => number {
  const socket = (client as unknown as { connection: { stream: Socket } }).connection.stream;
  let writes = 0;
  for (const method of ['_write', '_writev'] as const) {
    const original = socket[method].bind(socket);
    socket[method] = (...args: unknown[]) => {
      writes++;
      return original(...args);
    };
  }
  return () => writes;
}

describe('TickBatchingClient (PostgreSQL, pipeline mode)', () => {
  const clients: pg.Client[] = [];
  const connect = async (Client: typeof pg.Client) => {
    const client = new Client({ connectionString: testDatabaseUrl(), pipeline: true } as pg.ClientConfig);
    clients.push(client);
    await client.connect();
    return client;
  };

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.end()));
  });

  it('sends the statements issued in one turn in one socket write, where pg alone writes each', async () => {
    const statements = (c: pg.Client) => [1, 2, 3, 4].map((n) => c.query('SELECT $1::int AS n', [n]));

    const plain = await connect(pg.Client);
    const plainWrites = countSocketWrites(plain);
    await Promise.all(statements(plain));
    expect(plainWrites()).toBe(4);

    const batching = await connect(TickBatchingClient);
    const batchedWrites = countSocketWrites(batching);
    const results = await Promise.all(statements(batching));
    expect(batchedWrites()).toBe(1);
    expect(results.map((r) => r.rows[0].n)).toEqual([1, 2, 3, 4]);
  });

  it('keeps order, results and errors per statement: a failing one fails alone, the transaction rolls back', async () => {
    const client = await connect(TickBatchingClient);
    await client.query('CREATE TEMP TABLE tick_batch (n int PRIMARY KEY)');
    const begun = client.query('BEGIN');
    const first = client.query('INSERT INTO tick_batch VALUES (1) RETURNING n');
    const duplicate = client.query('INSERT INTO tick_batch VALUES (1)');
    const ended = client.query('COMMIT');
    await begun;
    expect((await first).rows).toEqual([{ n: 1 }]);
    await expect(duplicate).rejects.toThrow(/duplicate key/);
    // PostgreSQL answers COMMIT of a failed transaction with a rollback.
    await ended;
    const after = await client.query('SELECT count(*)::int AS n FROM tick_batch');
    expect(after.rows[0].n).toBe(0);
  });

  it('writes statements issued in later turns without waiting for anything else', async () => {
    const client = await connect(TickBatchingClient);
    const writes = countSocketWrites(client);
    for (let n = 0; n < 3; n++) expect((await client.query('SELECT $1::int AS n', [n])).rows[0].n).toBe(n);
    expect(writes()).toBe(3);
  });
});
