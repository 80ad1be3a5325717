// `npm run bench:pipeline`: the background pipeline's speed on this machine, in three phases on one fresh database:
//   1. relay: outbox events moved to BullMQ by the OutboxRelay alone (the service's own class, from dist/);
//   2. workers: the queued jobs drained by `--role=worker` processes (BENCH_WORKERS of them);
//   3. lag: tickets created over HTTP at BENCH_RATE/s for BENCH_SECONDS with `npm start`'s layout (API and workers
//      in one process): time from a ticket's creation to its assignment and its triage, p50/p99.
// Settings (env): BENCH_TICKETS (50000 seeded, mixed statuses: the triage model learns from the resolved ones),
// BENCH_EVENTS (10000), BENCH_WORKERS (1), BENCH_RATE (200), BENCH_SECONDS (20), BENCH_LAG_WARMUP (10 s at the
// rate before the measured seconds, reported as the cold start; 0 = none), BENCH_LAYOUT (single | split),
// BENCH_PG_ADMIN_URL (postgres://postgres@127.0.0.1:5432/postgres), REDIS_URL (redis://127.0.0.1:6379), BENCH_KEEP_DB=1.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import {
  ROOT,
  ADMIN_URL,
  BENCH_ADMIN,
  REDIS_URL,
  benchScratch,
  pick,
  buildIfNeeded,
  call,
  calibrate,
  cpuBusyPct,
  freePort,
  log,
  percentile,
  nonNegativeInt,
  positiveInt,
  seconds,
  runBench,
  startService,
  waitReady,
} from './lib.mjs';
import { SENTENCES, TITLES, seed } from './seed.mjs';

const settings = {
  tickets: positiveInt('BENCH_TICKETS', 50_000),
  events: positiveInt('BENCH_EVENTS', 10_000),
  workers: positiveInt('BENCH_WORKERS', 1),
  rate: positiveInt('BENCH_RATE', 200),
  seconds: positiveInt('BENCH_SECONDS', 20),
  lagWarmupSeconds: nonNegativeInt('BENCH_LAG_WARMUP', 10),
  layout: process.env.BENCH_LAYOUT === 'split' ? 'split' : 'single',
  keepDb: process.env.BENCH_KEEP_DB === '1',
};
const scratch = benchScratch('bench_pipeline');
const { dbName, dbUrl, queuePrefix } = scratch;
const services = new Set();

const serviceEnv = (port) => ({
  NODE_ENV: 'production',
  HOST: '127.0.0.1',
  PORT: String(port ?? 0),
  DATABASE_URL: dbUrl,
  REDIS_URL,
  REDIS_AUTOSTART: 'false',
  QUEUE_PREFIX: queuePrefix,
  LOG_LEVEL: 'warn',
  RATE_LIMIT_PER_MINUTE: '100000000',
  BOOTSTRAP_ADMIN_EMAIL: BENCH_ADMIN.email,
  BOOTSTRAP_ADMIN_PASSWORD: BENCH_ADMIN.password,
  // Trained once on request in set-up (below), not again by the schedule in the middle of a phase.
  TRIAGE_RETRAIN_EVERY_MINUTES: '0',
});

async function start(role, port) {
  // Each process its own /metrics port (several run side by side).
  const service = startService({ ...serviceEnv(port), METRICS_PORT: String(await freePort()) }, [`--role=${role}`]);
  services.add(service);
  if (port) await waitReady(service, `http://127.0.0.1:${port}`);
  return service;
}

async function stop(service) {
  await service.stop();
  services.delete(service);
}

async function main() {
  const busy = await cpuBusyPct(2000);
  if (busy > 20) log(`CAUTION: the machine is ${busy} % busy before starting: other work will depress the numbers`);
  buildIfNeeded();
  const speed = await calibrate(ADMIN_URL, REDIS_URL);
  log(`machine today: PostgreSQL round trip ${speed.pgRoundTripUs} µs, Redis PING ${speed.redisPingUs} µs`);
  await scratch.create();
  const pool = new pg.Pool({ connectionString: dbUrl, max: 4 });
  try {
    // The API alone (no relay, no workers) applies the migrations and serves the set-up calls.
    let port = await freePort();
    let base = `http://127.0.0.1:${port}`;
    let api = await start('api', port);
    log(`database ${dbName}; queues under ${queuePrefix}; seeding ${settings.tickets.toLocaleString('en')} tickets`);
    let t = Date.now();
    await seed(pool, settings.tickets, () => undefined);
    log(`seeded in ${seconds(t)} s`);
    const token = await login(base);
    const setup = await prepare(pool, base, token);
    await stop(api);

    const relay = await relayPhase(pool);
    const workers = await workerPhase(pool, setup, relay.events);

    // `npm start`'s layout (the API with the relay and the workers in one process), or with BENCH_LAYOUT=split
    // `npm run start:api` beside BENCH_WORKERS `npm run start:worker` processes (their relays find the events by polling).
    port = await freePort();
    base = `http://127.0.0.1:${port}`;
    api = await start(settings.layout === 'split' ? 'api' : 'all', port);
    const lagWorkers = [];
    for (let i = 0; settings.layout === 'split' && i < settings.workers; i++) lagWorkers.push(await start('worker'));
    const lag = await lagPhase(pool, base, await login(base), setup);
    await stop(api);
    for (const w of lagWorkers) await stop(w);

    const output = {
      date: new Date().toISOString(),
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, node: process.version, cpuBusyPctBeforeStart: busy, ...speed },
      settings,
      setup: { agents: setup.agents.length, categories: setup.categories.length, triageModel: setup.triageModel },
      relay,
      workers,
      lag,
    };
    report(output);
    mkdirSync(`${ROOT}bench/results`, { recursive: true });
    writeFileSync(`${ROOT}bench/results/pipeline-latest.json`, `${JSON.stringify(output, null, 2)}\n`);
    log('\nwritten bench/results/pipeline-latest.json');
  } finally {
    await pool.end();
  }
}

async function login(base) {
  const res = await call(base, 'POST', '/api/v1/auth/login', null, BENCH_ADMIN);
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${res.text}`);
  return res.json.accessToken;
}

/**
 * A round-robin group of ten seeded agents that every category routes to, a default SLA policy, a triage model trained on the seeded
 * resolved tickets, and BENCH_EVENTS seeded tickets turned back into new, unassigned ones for phases 1–2.
 */
async function prepare(pool, base, token) {
  const agents = (await pool.query(`SELECT id FROM users WHERE role = 'agent' ORDER BY email LIMIT 10`)).rows.map((r) => r.id);
  const requesters = (await pool.query(`SELECT id FROM users WHERE role = 'requester'`)).rows.map((r) => r.id);
  const categories = (await pool.query(`SELECT id FROM categories WHERE parent_id IS NULL`)).rows.map((r) => r.id);
  const group = await call(base, 'POST', '/api/v1/groups', token, { name: 'Bench desk', strategy: 'round_robin', memberIds: agents, categoryIds: categories });
  if (group.status !== 201) throw new Error(`group: ${group.status} ${group.text}`);
  // A default SLA policy, as a desk would have: every new ticket's clocks start and get a timer.
  const week = [1, 2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '18:00' }));
  const target = (firstResponseMinutes, resolutionMinutes) => ({ firstResponseMinutes, resolutionMinutes });
  const policy = await call(base, 'POST', '/api/v1/sla-policies', token, {
    name: 'Bench standard',
    isDefault: true,
    targets: { critical: target(30, 240), high: target(60, 480), medium: target(240, 1440), low: target(480, 4800) },
    calendar: { timeZone: 'Europe/Madrid', weeklyHours: week, holidays: [] },
  });
  if (policy.status !== 201) throw new Error(`SLA policy: ${policy.status} ${policy.text}`);
  const trained = await call(base, 'POST', '/api/v1/triage/model/retrain', token);
  if (trained.status !== 202) throw new Error(`retrain: ${trained.status} ${trained.text}`);
  // Training runs in a worker: one for the set-up (its relay also moves the set-up's own events).
  const trainer = await start('worker');
  const triageModel = await waitForModel(base, token);
  await stop(trainer);
  log(`triage model: ${JSON.stringify({ ...triageModel, version: undefined })}`);
  const { rows } = await pool.query(
    `UPDATE tickets SET status = 'new', assignee_id = NULL, group_id = NULL, resolved_at = NULL, closed_at = NULL
     WHERE id IN (SELECT id FROM tickets ORDER BY random() LIMIT $1) RETURNING id`,
    [settings.events],
  );
  return { agents, requesters, categories, groupId: group.json.id, backlog: rows.map((r) => r.id), triageModel };
}

async function waitForModel(base, token) {
  for (let i = 0; i < 240; i++) {
    const res = await call(base, 'GET', '/api/v1/triage/model', token);
    if (res.status === 200) return res.json;
    await sleep(500);
  }
  throw new Error('the triage model was not trained within 2 minutes');
}

/** Phase 1: BENCH_EVENTS ticket.created events written to the outbox, moved to BullMQ by the relay alone. */
async function relayPhase(pool) {
  await pool.query(
    `INSERT INTO outbox (id, type, aggregate_id, actor_id, payload, occurred_at)
     SELECT gen_random_uuid(), 'ticket.created', t.id, t.requester_id,
       jsonb_build_object('ticket', jsonb_build_object('id', t.id, 'number', t.number, 'status', t.status, 'priority', t.priority,
         'requesterId', t.requester_id, 'assigneeId', t.assignee_id, 'groupId', t.group_id, 'version', t.version),
         'changes', jsonb_build_array(jsonb_build_object('type', 'created'))),
       now()
     FROM tickets t WHERE t.status = 'new' AND t.assignee_id IS NULL`,
  );
  const events = Number((await pool.query(`SELECT count(*) FROM outbox WHERE sent_at IS NULL`)).rows[0].count);
  const [{ OutboxRelay }, { QUEUES, queuesFor, redisOptionsFromUrl }, { Queue }, { DataSource }] = await Promise.all([
    import(`${ROOT}dist/src/adapters/queue/outbox-relay.js`),
    import(`${ROOT}dist/src/adapters/queue/queues.js`),
    import('bullmq'),
    import('typeorm'),
  ]);
  const db = await new DataSource({ type: 'postgres', url: dbUrl, poolSize: 2 }).initialize();
  const queues = new Map(Object.values(QUEUES).map((name) => [name, new Queue(name, { connection: redisOptionsFromUrl(REDIS_URL), prefix: queuePrefix })]));
  const relay = new OutboxRelay(
    db,
    queues,
    { batchSize: 500, pollMs: 200, coalesceMs: 0, redisTimeoutMs: 5000, attempts: 8, backoffMs: 2000, retentionHours: 168 },
    { warn: (m) => log(`relay: ${m}`), log: () => undefined },
  );
  // No webhook exists, so the relay leaves the webhooks queue out.
  const targets = queuesFor({ type: 'ticket.created', actorId: null, payload: {} }).filter((q) => q !== QUEUES.webhooks);
  const jobsPerEvent = targets.length;
  log(`\nphase 1, relay: ${events.toLocaleString('en')} events, each to ${jobsPerEvent} queues (${targets.join(', ')})`);
  const t = Date.now();
  let moved = 0;
  for (let n = await relay.relayBatch(); n > 0; n = await relay.relayBatch()) moved += n;
  const secs = (Date.now() - t) / 1000;
  await Promise.all([...queues.values()].map((q) => q.close()));
  await db.destroy();
  if (moved !== events) throw new Error(`the relay moved ${moved} of ${events} events`);
  const result = { events, jobsPerEvent, seconds: secs, eventsPerSec: Math.round(events / secs), jobsAddedPerSec: Math.round((events * jobsPerEvent) / secs) };
  log(`  ${result.eventsPerSec} events/s (${result.jobsAddedPerSec} jobs added/s) in ${secs.toFixed(1)} s`);
  return result;
}

/** Phase 2: BENCH_WORKERS `--role=worker` processes drain what phase 1 queued (`tickets` new tickets' events); jobs/s per queue and in all, tickets/s. */
async function workerPhase(pool, setup, tickets) {
  const [{ QUEUES, redisOptionsFromUrl }, { Queue }] = await Promise.all([import(`${ROOT}dist/src/adapters/queue/queues.js`), import('bullmq')]);
  const queues = Object.values(QUEUES).map((name) => new Queue(name, { connection: redisOptionsFromUrl(REDIS_URL), prefix: queuePrefix }));
  const pending = async () => {
    const counts = await Promise.all(queues.map((q) => q.getJobCounts('waiting', 'active', 'prioritized', 'completed', 'failed')));
    return Object.fromEntries(queues.map((q, i) => [q.name, counts[i]]));
  };
  const before = await pending();
  const total = Object.values(before).reduce((n, c) => n + c.waiting + c.prioritized, 0);
  log(`\nphase 2, workers: ${total.toLocaleString('en')} queued jobs, ${settings.workers} worker process(es)`);
  const t = Date.now();
  const workers = [];
  for (let i = 0; i < settings.workers; i++) workers.push(await start('worker'));
  let now = before;
  for (;;) {
    await sleep(100);
    now = await pending();
    if (Object.values(now).every((c) => c.waiting + c.active + c.prioritized === 0)) break;
    if (Date.now() - t > 600_000) throw new Error(`workers did not drain the queues in 10 minutes: ${JSON.stringify(now)}`);
  }
  const secs = (Date.now() - t) / 1000; // includes the processes' start (~1–2 s)
  for (const w of workers) await stop(w);
  await Promise.all(queues.map((q) => q.close()));
  const perQueue = Object.fromEntries(
    Object.entries(now).map(([name, c]) => [name, { completed: c.completed - before[name].completed, failed: c.failed - before[name].failed }]),
  );
  const done = Object.values(perQueue).reduce((n, c) => n + c.completed, 0);
  const failed = Object.values(perQueue).reduce((n, c) => n + c.failed, 0);
  const assigned = Number(
    (await pool.query(`SELECT count(*) FROM tickets WHERE id = ANY($1::uuid[]) AND assignee_id IS NOT NULL`, [setup.backlog])).rows[0].count,
  );
  const result = {
    jobs: done,
    failed,
    seconds: secs,
    jobsPerSec: Math.round(done / secs),
    // Jobs per ticket differ between versions (3 queues per new ticket before the intake queue, 1 since): compare these.
    ticketsPerSec: Math.round(tickets / secs),
    perQueue,
    ticketsAssigned: assigned,
    backlog: setup.backlog.length,
  };
  log(`  ${result.jobsPerSec} jobs/s, ${result.ticketsPerSec} tickets/s (${done} done, ${failed} failed) in ${secs.toFixed(1)} s including process start; ` +
    `${assigned} of ${setup.backlog.length} tickets assigned`);
  return result;
}

/**
 * Phase 3: tickets created at BENCH_RATE/s (open loop); lag from creation to assignment and to triage. A freshly
 * started process runs its code unoptimised for its first seconds (V8 compiles the hot paths as it goes) and falls
 * behind at 200/s, so the first BENCH_LAG_WARMUP seconds at the same rate are reported apart as the cold start;
 * once their tickets are all done, the measured BENCH_SECONDS start on a warm, idle pipeline.
 */
async function lagPhase(pool, base, token, setup) {
  const layout = settings.layout === 'split' ? `API and ${settings.workers} worker process(es)` : 'API and workers in one process';
  log(`\nphase 3, lag: tickets at ${settings.rate}/s over HTTP, ${layout}`);
  let coldStart = null;
  if (settings.lagWarmupSeconds > 0) {
    const warm = await createAtRate(base, token, setup, settings.lagWarmupSeconds);
    coldStart = await lagOf(pool, warm);
    log(`  cold start (first ${settings.lagWarmupSeconds} s, ${warm.created.length} tickets): triage + assignment p50 ${coldStart.bothDoneLagMs.p50} ms, p99 ${coldStart.bothDoneLagMs.p99} ms`);
  }
  const measured = await createAtRate(base, token, setup, settings.seconds);
  const result = { ...(await lagOf(pool, measured)), coldStart };
  log(`  measured: created ${result.created}/${result.requested} at ${result.achievedRate}/s; create p50 ${result.createLatencyMs.p50} ms p99 ${result.createLatencyMs.p99} ms`);
  return result;
}

/** Creates tickets at BENCH_RATE/s for `seconds` over HTTP, on behalf of the seeded requesters. */
async function createAtRate(base, token, setup, seconds) {
  const total = settings.rate * seconds;
  const created = [];
  const failures = [];
  const latencies = [];
  const t0 = Date.now();
  const inFlight = [];
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / settings.rate;
    if (due > Date.now()) await sleep(due - Date.now());
    const sent = Date.now();
    inFlight.push(
      call(base, 'POST', '/api/v1/tickets', token, {
        title: pick(TITLES),
        description: `${pick(SENTENCES)} ${pick(SENTENCES)}`,
        categoryId: pick(setup.categories),
        // On behalf of the seeded requesters (each has a few open tickets, as triage's duplicate check expects).
        requesterId: pick(setup.requesters),
      }).then((res) => {
        latencies.push(Date.now() - sent);
        if (res.status === 201) created.push(res.json.id);
        else if (failures.length < 3) failures.push(`${res.status} ${res.text.slice(0, 300)}`);
      }),
    );
  }
  await Promise.all(inFlight);
  const achieved = Math.round(total / ((Date.now() - t0) / 1000));
  if (failures.length) log(`  create failures: ${failures.join(' | ')}`);
  return { total, created, latencies, achieved };
}

/** Waits (at most 2 minutes) until the tickets are assigned and triaged; their lags, overall and by fifth of the run. */
async function lagOf(pool, { total, created, latencies, achieved }) {
  const lagSql = `
    SELECT t.id,
      (SELECT extract(epoch FROM min(a.occurred_at) - t.created_at) * 1000 FROM ticket_activity a
        WHERE a.ticket_id = t.id AND a.type = 'assigned') AS assigned_ms,
      ${TRIAGE_DONE_MS} AS triaged_ms
    FROM tickets t WHERE t.id = ANY($1::uuid[]) ORDER BY t.created_at`;
  let rows = [];
  const deadline = Date.now() + 120_000;
  for (;;) {
    rows = (await pool.query(lagSql, [created])).rows;
    const waiting = rows.filter((r) => r.assigned_ms === null || r.triaged_ms === null).length;
    if (!waiting) break;
    if (Date.now() > deadline) {
      log(`  ${waiting} tickets still not assigned or triaged after 2 minutes`);
      break;
    }
    await sleep(250);
  }
  const ms = (list) => ({ p50: round(percentile(list, 50)), p99: round(percentile(list, 99)), max: round(Math.max(...list)), n: list.length });
  const bothDone = (r) => Math.max(Number(r.assigned_ms), Number(r.triaged_ms));
  const done = (r) => r.assigned_ms !== null && r.triaged_ms !== null;
  // The p50 of each fifth of the run, in creation order: flat when the pipeline keeps up, rising when a queue grows.
  const fifths = [0, 1, 2, 3, 4].map((k) => {
    const part = rows.slice(Math.floor((k * rows.length) / 5), Math.floor(((k + 1) * rows.length) / 5));
    return round(percentile(part.filter(done).map(bothDone), 50));
  });
  return {
    requested: total,
    created: created.length,
    achievedRate: achieved,
    createLatencyMs: ms(latencies),
    assignmentLagMs: ms(rows.map((r) => r.assigned_ms).filter((v) => v !== null).map(Number)),
    triageLagMs: ms(rows.map((r) => r.triaged_ms).filter((v) => v !== null).map(Number)),
    bothDoneLagMs: ms(rows.filter(done).map(bothDone)),
    bothDoneP50ByFifthMs: fifths,
  };
}

/** When the triage step finished for ticket `t`, as milliseconds after its creation (SQL expression). */
const TRIAGE_DONE_MS = `(SELECT extract(epoch FROM r.triaged_at - t.created_at) * 1000 FROM triage_results r WHERE r.ticket_id = t.id)`;

const round = (v) => (v === null || !Number.isFinite(v) ? null : Math.round(v));

function report(o) {
  log(`\nTessera pipeline bench: ${os.cpus().length} cpus (${o.machine.cpuBusyPctBeforeStart} % busy before start), node ${process.version}; ` +
    `PostgreSQL round trip ${o.machine.pgRoundTripUs} µs, Redis PING ${o.machine.redisPingUs} µs`);
  log(`relay:   ${o.relay.eventsPerSec} events/s, ${o.relay.jobsAddedPerSec} jobs added/s (${o.relay.events} events × ${o.relay.jobsPerEvent} queues)`);
  log(`workers: ${o.workers.jobsPerSec} jobs/s, ${o.workers.ticketsPerSec} tickets/s with ${settings.workers} worker process(es) (${o.workers.jobs} jobs, ${o.workers.failed} failed; ` +
    Object.entries(o.workers.perQueue).map(([q, c]) => `${q} ${c.completed}`).join(', ') + ')');
  const l = o.lag;
  const line = (name, v) => (v ? `${name} p50 ${v.p50} ms, p99 ${v.p99} ms, max ${v.max} ms (n=${v.n})` : `${name}: not measured`);
  log(`lag at ${l.achievedRate} tickets/s (${l.created} created): ${line('assignment', l.assignmentLagMs)}`);
  log(`  ${line('triage', l.triageLagMs)}`);
  log(`  ${line('triage + assignment', l.bothDoneLagMs)}`);
  log(`  triage + assignment p50 by fifth of the run: ${l.bothDoneP50ByFifthMs.join(' → ')} ms (rising: a queue grows)`);
  if (l.coldStart) log(`  cold start, the first ${settings.lagWarmupSeconds} s of a fresh process (not in the figures above): ${line('triage + assignment', l.coldStart.bothDoneLagMs)}`);
  log(`  ${line('create over HTTP', l.createLatencyMs)}`);
}

let cleaning = null;
function cleanup() {
  cleaning ??= (async () => {
    for (const s of services) await s.stop();
    await scratch.release();
  })();
  return cleaning;
}

await runBench(main, cleanup, () => services);
