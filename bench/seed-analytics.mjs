// The analytics side of the bench seed: SLA clocks and satisfaction ratings for the seeded tickets (so first
// responses, breaches and ratings have realistic volumes), then the analytics rollups built from the raw rows by
// `npm run analytics:rebuild`'s own code (dist/src/analytics-rebuild.js).
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { ROOT } from './lib.mjs';

export async function seedAnalytics(pool, dbUrl, log) {
  const policy = randomUUID();
  let t = Date.now();
  await pool.query(
    `INSERT INTO sla_policies (id, name, targets, calendar, pause_statuses, at_risk_percent, notify_group, is_default, created_at, updated_at)
     VALUES ($1, 'Bench', '{}', '{}', '{}', 75, false, false, now(), now())`,
    [policy],
  );
  // 85 % of the tickets have clocks; most were answered within minutes to two days; a fifth breached.
  await pool.query(
    `INSERT INTO ticket_sla (ticket_id, policy_id, priority, started_at, first_responded_at, resolved_at,
       first_response_breached, resolution_breached, last_event_at)
     SELECT id, $1, priority, created_at,
       CASE WHEN status <> 'new' OR r1 < 0.5 THEN least(coalesce(resolved_at, now()), created_at + (r2 ^ 2) * interval '2 days') END,
       resolved_at, r3 < 0.2, r3 < 0.12, created_at
     FROM (SELECT id, priority, created_at, resolved_at, status, random() AS r0, random() AS r1, random() AS r2, random() AS r3
           FROM tickets) s
     WHERE r0 < 0.85`,
    [policy],
  );
  log(`  SLA clocks (${((Date.now() - t) / 1000).toFixed(1)} s)`);
  t = Date.now();
  await pool.query(
    `INSERT INTO ticket_ratings (id, ticket_id, resolution_at, rating, requester_id, assignee_id, rated_at)
     SELECT gen_random_uuid(), id, resolved_at, 1 + floor(random() * 5)::int, requester_id, assignee_id, resolved_at + interval '1 hour'
     FROM tickets WHERE resolved_at IS NOT NULL AND random() < 0.3`,
  );
  log(`  ratings (${((Date.now() - t) / 1000).toFixed(1)} s)`);
  await pool.query(`VACUUM ANALYZE ticket_sla, ticket_ratings`);
  t = Date.now();
  const rebuild = spawnSync(process.execPath, [`${ROOT}dist/src/analytics-rebuild.js`], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: dbUrl },
    encoding: 'utf8',
  });
  if (rebuild.status !== 0) throw new Error(`analytics rebuild failed: ${rebuild.stderr || rebuild.stdout}`);
  const rebuildSeconds = Number(((Date.now() - t) / 1000).toFixed(1));
  log(`  ${rebuild.stdout.trim()}`);
  await pool.query(`VACUUM ANALYZE`);
  return { rebuildSeconds };
}

/** Rows in the analytics rollups. */
export async function rollupSizes(pool) {
  const { rows: [sizes] } = await pool.query(
    `SELECT (SELECT count(*) FROM analytics_blocks)::int AS block_rows, (SELECT count(*) FROM analytics_blocks_hist)::int AS histogram_rows,
       (SELECT count(*) FROM analytics_agent_blocks)::int AS agent_rows, (SELECT count(*) FROM analytics_agent_blocks_hist)::int AS agent_histogram_rows,
       (SELECT count(*) FROM analytics_backlog)::int AS backlog_rows`,
  );
  return sizes;
}
