import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RetentionSweep } from '../../src/adapters/persistence/retention-sweep.js';
import { createScratchDatabase } from '../support/database.js';

describe('RetentionSweep (real PostgreSQL)', () => {
  let db: { url: string; drop(): Promise<void> };
  let sql: DataSource;
  const warnings: string[] = [];

  beforeAll(async () => {
    db = await createScratchDatabase();
    sql = await new DataSource({ type: 'postgres', url: db.url, poolSize: 2 }).initialize();
  });
  afterAll(async () => {
    await sql?.destroy();
    await db?.drop();
  });

  const claim = (hoursAgo: number) =>
    sql.query(`INSERT INTO processed_events (consumer, event_id, processed_at) VALUES ('triage', $1, now() - make_interval(hours => $2))`, [
      randomUUID(),
      hoursAgo,
    ]);
  const key = (hoursAgo: number) =>
    sql.query(
      `INSERT INTO idempotency_keys (actor_id, key, request_hash, ticket_id, created_at)
       VALUES ($1, $2, 'hash', $3, now() - make_interval(hours => $4))`,
      [randomUUID(), `key-${hoursAgo}-${randomUUID()}`, randomUUID(), hoursAgo],
    );
  const ages = async (table: string, column: string) =>
    (
      (await sql.query(`SELECT round(extract(epoch FROM now() - ${column}) / 3600)::int AS h FROM ${table} ORDER BY 1`)) as {
        h: number;
      }[]
    ).map((r) => r.h);

  it('deletes claims past the outbox retention and idempotency keys past theirs, keeping the younger rows', async () => {
    for (const h of [1, 100, 167, 169, 500]) await claim(h);
    for (const h of [1, 23, 25, 48]) await key(h);
    const sweep = new RetentionSweep(
      sql,
      [
        { table: 'processed_events', column: 'processed_at', hours: 168 },
        { table: 'idempotency_keys', column: 'created_at', hours: 24 },
      ],
      { warn: (m) => warnings.push(m) },
    );

    expect(await sweep.run()).toEqual({ processed_events: 2, idempotency_keys: 2 });
    expect(await ages('processed_events', 'processed_at')).toEqual([1, 100, 167]);
    expect(await ages('idempotency_keys', 'created_at')).toEqual([1, 23]);
    expect(await sweep.run()).toEqual({ processed_events: 0, idempotency_keys: 0 });
    expect(warnings).toEqual([]);
  });

  it('runs at start and on its interval, and stop() waits for a run in progress', async () => {
    await claim(1000);
    const sweep = new RetentionSweep(sql, [{ table: 'processed_events', column: 'processed_at', hours: 168 }], {
      warn: (m) => warnings.push(m),
    });
    sweep.start(60_000);
    await sweep.stop();
    expect(await ages('processed_events', 'processed_at')).not.toContain(1000);
    expect(warnings).toEqual([]);
  });
});
