import { describe, expect, it } from 'vitest';
import { DB_OPERATIONS, operationOf } from '../../../src/adapters/persistence/timed-client.js';

describe('operationOf: the operation label of a statement', () => {
  it.each([
    ['SELECT 1', 'read'],
    ['  select id from tickets where id = $1', 'read'],
    ['(SELECT 1) UNION (SELECT 2)', 'read'],
    ['WITH t AS (SELECT 1) SELECT * FROM t', 'read'],
    ['WITH activity AS (INSERT INTO ticket_activity VALUES ($1)) INSERT INTO outbox VALUES ($2)', 'write'],
    ['INSERT INTO tickets VALUES ($1)', 'write'],
    ['UPDATE outbox SET sent_at = now()', 'write'],
    ['DELETE FROM outbox', 'write'],
    ['START TRANSACTION', 'transaction'],
    ['BEGIN', 'transaction'],
    ['COMMIT', 'transaction'],
    ['ROLLBACK', 'transaction'],
    ['CREATE INDEX x ON y (z)', 'schema'],
    ['SET statement_timeout = 1', 'other'],
    ['', 'other'],
    ['12345678 garbage', 'other'],
  ])('%s → %s', (text, operation) => {
    expect(operationOf(text)).toBe(operation);
  });

  it('is a small set of lowercase words', () => {
    expect(DB_OPERATIONS.length).toBeLessThanOrEqual(10);
    for (const operation of DB_OPERATIONS) expect(operation).toMatch(/^[a-z]+$/);
  });
});
