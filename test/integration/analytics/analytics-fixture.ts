import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';

/** A small deterministic PRNG (mulberry32), so a failing fixture can be reproduced. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Fixture {
  agents: string[];
  groups: string[];
  categories: string[];
  tickets: string[];
}

const STATUSES = ['new', 'open', 'in_progress', 'pending', 'resolved', 'closed'];
const PRIORITIES = ['critical', 'high', 'medium', 'low'];

/** An instant with microseconds, as PostgreSQL text. */
function instant(ms: number, random: () => number): string {
  const micros = String(Math.floor(random() * 1000)).padStart(3, '0');
  return new Date(ms).toISOString().replace('Z', `${micros}Z`);
}

/**
 * `count` tickets created between `from` and `to` (epoch ms), with every status, resolutions (some closed without
 * one), first responses, breaches, reopens, deleted tickets, and tickets without group, category or assignee.
 */
export async function seedAnalyticsFixture(db: DataSource, count: number, from: number, to: number, seed = 7): Promise<Fixture> {
  const random = prng(seed);
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
  const agents = Array.from({ length: 6 }, () => randomUUID());
  const requester = randomUUID();
  const groups = Array.from({ length: 3 }, () => randomUUID());
  const categories = Array.from({ length: 4 }, () => randomUUID());
  const policy = randomUUID();

  await db.query(
    `INSERT INTO users (id, email, name, role, created_at, updated_at)
     SELECT id, id || '@fixture.test', 'Agent ' || ord, 'agent', now(), now() FROM unnest($1::uuid[]) WITH ORDINALITY AS a(id, ord)`,
    [agents],
  );
  await db.query(`INSERT INTO users (id, email, name, role, created_at, updated_at) VALUES ($1, 'req@fixture.test', 'Req', 'requester', now(), now())`, [requester]);
  await db.query(
    `INSERT INTO groups (id, name, strategy, created_at, updated_at)
     SELECT id, 'Group ' || ord, 'manual', now(), now() FROM unnest($1::uuid[]) WITH ORDINALITY AS g(id, ord)`,
    [groups],
  );
  // Agents 1–4 in group 1, agents 3–6 in group 2; group 3 has none.
  await db.query(
    `INSERT INTO group_members (group_id, user_id, joined_at)
     SELECT $1::uuid, unnest($2::uuid[]), now() UNION ALL SELECT $3::uuid, unnest($4::uuid[]), now()`,
    [groups[0], agents.slice(0, 4), groups[1], agents.slice(2)],
  );
  await db.query(
    `INSERT INTO categories (id, name, created_at, updated_at)
     SELECT id, 'Category ' || ord, now(), now() FROM unnest($1::uuid[]) WITH ORDINALITY AS c(id, ord)`,
    [categories],
  );
  await db.query(
    `INSERT INTO sla_policies (id, name, targets, calendar, pause_statuses, at_risk_percent, notify_group, created_at, updated_at)
     VALUES ($1, 'Fixture', '{}', '{}', '{}', 75, false, now(), now())`,
    [policy],
  );

  const tickets: Record<string, unknown>[] = [];
  const slas: Record<string, unknown>[] = [];
  const activity: Record<string, unknown>[] = [];
  const ratings: Record<string, unknown>[] = [];
  const HOUR = 3_600_000;
  for (let i = 0; i < count; i++) {
    const id = randomUUID();
    const createdMs = from + Math.floor(random() * (to - from));
    const status = pick(STATUSES);
    const finished = status === 'resolved' || status === 'closed';
    // Some closed tickets were closed without a resolution; some open ones were resolved once and reopened.
    const resolvedMs = finished && !(status === 'closed' && random() < 0.2) ? createdMs + Math.floor(random() * 72 * HOUR) : null;
    const created = instant(createdMs, random);
    const resolved = resolvedMs === null ? null : instant(resolvedMs, random);
    tickets.push({
      id,
      title: `Fixture ${i}`,
      description: 'x',
      status,
      priority: pick(PRIORITIES),
      severity: 'medium',
      urgency: 'medium',
      category_id: random() < 0.15 ? null : pick(categories),
      requester_id: requester,
      assignee_id: random() < 0.2 ? null : pick(agents),
      group_id: random() < 0.15 ? null : pick(groups),
      created_at: created,
      updated_at: created,
      resolved_at: resolved,
      closed_at: status === 'closed' ? (resolved ?? created) : null,
      deleted_at: random() < 0.03 ? created : null,
      version: 1,
    });
    if (random() < 0.85) {
      // Durations from seconds to days; a few under a second (the histogram's first bin).
      const responded = random() < 0.8 ? createdMs + Math.floor(random() < 0.03 ? random() * 900 : random() ** 2 * 48 * HOUR) : null;
      const slaResolved = resolvedMs ?? (status === 'closed' ? createdMs + HOUR : null);
      slas.push({
        ticket_id: id,
        policy_id: policy,
        priority: 'medium',
        started_at: created,
        first_responded_at: responded === null ? null : instant(responded, random),
        resolved_at: slaResolved === null ? null : instant(slaResolved, random),
        first_response_breached: random() < 0.25,
        resolution_breached: random() < 0.2,
        last_event_at: created,
      });
    }
    // Ratings of finished tickets; some were rated twice (an earlier resolution's rating, then the latest).
    if ((finished || random() < 0.05) && random() < 0.6) {
      const rate = (resolutionMs: number, ratedMs: number) =>
        ratings.push({
          id: randomUUID(),
          ticket_id: id,
          resolution_at: instant(resolutionMs, random),
          rating: 1 + Math.floor(random() * 5),
          requester_id: requester,
          rated_at: instant(ratedMs, random),
        });
      const resolution = resolvedMs ?? createdMs + HOUR;
      if (random() < 0.2) rate(createdMs + 1000, createdMs + 2000);
      rate(resolution, resolution + 1000);
    }
    const change = (from: string, to: string) =>
      activity.push({
        id: randomUUID(),
        ticket_id: id,
        type: 'status_changed',
        field: 'status',
        old_value: from,
        new_value: to,
        occurred_at: created,
      });
    if (random() < 0.5) change('new', 'open');
    if (random() < 0.15) change('resolved', 'open');
    if (random() < 0.05) change('resolved', 'closed');
  }

  await insertRows(db, 'tickets', tickets);
  await insertRows(db, 'ticket_sla', slas);
  await insertRows(db, 'ticket_activity', activity.map((a) => ({ internal: false, ...a })));
  await insertRows(db, 'ticket_ratings', ratings);
  // Recognition: a few ledger entries (and the running totals kept with them).
  const ledger = [
    [agents[0], 40],
    [agents[0], 25],
    [agents[1], -5],
    [agents[2], 450],
  ] as const;
  for (const [agent, points] of ledger) {
    await db.query(
      `INSERT INTO agent_points (id, agent_id, event_id, rule, points, reason, at) VALUES (gen_random_uuid(), $1, gen_random_uuid(), 'fixture', $2, 'fixture', now())`,
      [agent, points],
    );
  }
  await db.query(`INSERT INTO agent_point_totals (agent_id, points) SELECT agent_id, sum(points) FROM agent_points GROUP BY agent_id`);
  return { agents, groups, categories, tickets: tickets.map((t) => String(t.id)) };
}

async function insertRows(db: DataSource, table: string, rows: Record<string, unknown>[]): Promise<void> {
  const columns = Object.keys(rows[0]);
  for (let i = 0; i < rows.length; i += 1000) {
    await db.query(
      `INSERT INTO ${table} (${columns.join(', ')})
       SELECT ${columns.join(', ')} FROM json_populate_recordset(NULL::${table}, $1)`,
      [JSON.stringify(rows.slice(i, i + 1000))],
    );
  }
}
