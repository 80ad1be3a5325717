import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BullTriageTraining } from '../../src/adapters/queue/bull-triage-training.js';
import { ProducerQueues } from '../../src/adapters/queue/producer-queues.js';
import { startTestApp, type Caller, type TestApp } from '../support/test-app.js';
import { until } from '../support/until.js';
import { expectInvalid, expectProblem } from './support/problem.js';

type Kind = 'printer' | 'laptop' | 'vpn' | 'password';

/** Past tickets, in Spanish, Portuguese and English, and how agents finally classified each kind. */
const PAST: Record<Kind, { severity: string; urgency: string; phrases: string[] }> = {
  printer: {
    severity: 'high',
    urgency: 'high',
    phrases: [
      'La impresora no imprime', 'Atasco de papel en la impresora', 'Impresora sin tóner',
      'A impressora não imprime', 'Papel preso na impressora', 'Impressora sem toner',
      'The printer does not print', 'Paper jam in the printer', 'Printer out of toner',
    ],
  },
  laptop: {
    severity: 'medium',
    urgency: 'medium',
    phrases: [
      'El portátil no enciende', 'La batería del portátil no carga', 'Pantalla del portátil rota',
      'O notebook não liga', 'A bateria do notebook não carrega', 'Tela do notebook quebrada',
      'Laptop does not turn on', 'Laptop battery not charging', 'Laptop screen cracked',
    ],
  },
  vpn: {
    severity: 'critical',
    urgency: 'high',
    phrases: [
      'No conecta la VPN', 'La VPN se desconecta', 'Error de VPN al conectar desde casa',
      'Sem conexão com a VPN', 'A VPN cai toda hora', 'Erro na VPN ao conectar de casa',
      'Cannot connect to the VPN', 'VPN keeps disconnecting', 'VPN error connecting from home',
    ],
  },
  password: {
    severity: 'low',
    urgency: 'low',
    phrases: [
      'Contraseña expirada', 'Olvidé mi contraseña', 'Restablecer contraseña',
      'Senha expirada', 'Esqueci minha senha', 'Redefinir senha',
      'Password expired', 'Forgot my password', 'Reset my password',
    ],
  },
};
const EXAMPLES = Object.values(PAST).reduce((n, k) => n + k.phrases.length, 0);

describe('triage (workers in the API process)', () => {
  let t: TestApp;
  let admin: Caller;
  let agent: Caller;
  let alice: Caller;
  let bob: Caller;
  const classes = {} as Record<Kind, { categoryId: string; subcategoryId: string }>;

  beforeAll(async () => {
    t = await startTestApp({ OUTBOX_POLL_MS: '50', TRIAGE_MIN_EXAMPLES: String(EXAMPLES), TRIAGE_APPLY_CONFIDENCE: '0.85' });
    admin = await t.user('admin');
    agent = await t.user('agent');
    alice = await t.user('requester', 'alice');
    bob = await t.user('requester', 'bob');
    const category = async (name: string, parentId?: string) => {
      const res = await t.request('POST', '/api/v1/categories', { as: admin, body: { name, ...(parentId && { parentId }) } });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.id as string;
    };
    const hardware = await category('Hardware');
    const network = await category('Network');
    const access = await category('Access');
    classes.printer = { categoryId: hardware, subcategoryId: await category('Printer', hardware) };
    classes.laptop = { categoryId: hardware, subcategoryId: await category('Laptop', hardware) };
    classes.vpn = { categoryId: network, subcategoryId: await category('VPN', network) };
    classes.password = { categoryId: access, subcategoryId: await category('Password', access) };
  });
  afterAll(async () => {
    await t?.close();
  });

  const open = async (as: Caller, body: Record<string, unknown>) => {
    const res = await t.request('POST', '/api/v1/tickets', { as, body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string; number: number };
  };
  const ticket = async (id: string) => (await t.request('GET', `/api/v1/tickets/${id}`, { as: agent })).body;
  const triageOf = (id: string) => t.request('GET', `/api/v1/tickets/${id}/triage`, { as: agent });
  const triaged = async (id: string) => {
    const res = await until(() => triageOf(id), (r) => r.status === 200, 15_000);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };

  it('has no model before any training: 404, and a retraining with too few tickets is refused saying why', async () => {
    expectProblem(await t.request('GET', '/api/v1/triage/model', { as: admin }), 404, 'TRIAGE_MODEL_NOT_FOUND');
    const res = await t.request('POST', '/api/v1/triage/model/retrain', { as: admin });
    expectProblem(res, 422, 'TRIAGE_TOO_FEW_EXAMPLES');
    expect(res.body).toMatchObject({ examples: 0, minimum: EXAMPLES });
    expect(res.body.detail).toContain(`at least ${EXAMPLES}`);
  });

  it('learns from resolved tickets classified by agents, retrained on demand by an admin', async () => {
    for (const [kind, { severity, urgency, phrases }] of Object.entries(PAST) as [Kind, (typeof PAST)[Kind]][]) {
      for (const phrase of phrases) {
        const { id } = await open(bob, { title: phrase, description: `${phrase}, desde ontem / since yesterday` });
        const patch = await t.request('PATCH', `/api/v1/tickets/${id}`, { as: agent, body: { ...classes[kind], severity, urgency } });
        expect(patch.status, JSON.stringify(patch.body)).toBe(200);
        const resolve = await t.request('PATCH', `/api/v1/tickets/${id}/status`, { as: agent, body: { status: 'resolved' } });
        expect(resolve.status, JSON.stringify(resolve.body)).toBe(200);
      }
    }

    const retrain = await t.request('POST', '/api/v1/triage/model/retrain', { as: admin, body: {} });
    expect(retrain.status, JSON.stringify(retrain.body)).toBe(202);
    expect(retrain.body).toEqual({ jobId: expect.any(String), queue: 'triage-training', examples: EXAMPLES });

    const model = await until(() => t.request('GET', '/api/v1/triage/model', { as: admin }), (r) => r.status === 200, 30_000);
    expect(model.status, JSON.stringify(model.body)).toBe(200);
    expect(model.body).toMatchObject({ version: expect.any(Number), examples: EXAMPLES, trainedAt: expect.any(String) });
    for (const field of ['categoryId', 'subcategoryId', 'severity', 'urgency']) {
      expect(model.body.accuracy[field]).toEqual({ accuracy: expect.any(Number), tested: model.body.heldOut });
    }
  });

  it('applies a confident suggestion to a new ticket as the system, with the priority recomputed', async () => {
    const { id } = await open(alice, { title: 'A impressora do andar 3 não imprime', description: 'Papel preso de novo' });

    const done = await until(() => ticket(id), (x) => x.categoryId !== null, 15_000);
    expect(done).toMatchObject({ ...classes.printer, severity: 'high', urgency: 'high', priority: 'critical' });

    const activity = (await t.request('GET', `/api/v1/tickets/${id}/activity`, { as: agent })).body;
    const bySystem = activity.filter((a: { actorId: string | null; type: string }) => a.actorId === null && a.type === 'field_changed');
    expect(bySystem.map((a: { field: string }) => a.field)).toEqual(
      expect.arrayContaining(['categoryId', 'subcategoryId', 'severity', 'urgency', 'priority']),
    );

    const result = await triaged(id);
    expect(result.applied.map((a: { field: string }) => a.field)).toEqual(['categoryId', 'subcategoryId', 'severity', 'urgency']);
    expect(result.suggestions.categoryId).toEqual({ value: classes.printer.categoryId, confidence: expect.any(Number) });
    expect(result.suggestions.categoryId.confidence).toBeGreaterThanOrEqual(0.85);
    expect(result).toMatchObject({ ticketId: id, modelVersion: expect.any(Number), duplicates: [] });
  });

  it('stores a suggestion below the threshold for the agent without applying it', async () => {
    const { id } = await open(alice, {
      title: 'Laptop and printer',
      description: 'laptop printer',
      severity: 'medium',
      urgency: 'medium',
    });

    const result = await triaged(id);
    expect(result.suggestions.categoryId.value).toBe(classes.printer.categoryId);
    expect(result.suggestions.subcategoryId.confidence).toBeLessThan(0.85);
    expect(result.applied.map((a: { field: string }) => a.field)).toEqual(['categoryId']);
    expect(await ticket(id)).toMatchObject({ categoryId: classes.printer.categoryId, subcategoryId: null, severity: 'medium' });
  });

  it("flags a likely duplicate among the requester's open tickets", async () => {
    const first = await open(alice, { title: 'Olvidé mi contraseña del correo', description: 'No puedo entrar al correo' });
    await triaged(first.id);
    const second = await open(alice, { title: 'olvide mi contrasena del correo', description: 'no puedo entrar al correo!' });

    const result = await triaged(second.id);
    expect(result.duplicates).toEqual([{ ticketId: first.id, number: first.number, score: expect.any(Number) }]);
    expect(result.duplicates[0].score).toBeGreaterThanOrEqual(0.75);
  });

  it('never shows triage data to requesters', async () => {
    const { id } = await open(alice, { title: 'La VPN se desconecta', description: 'Cada diez minutos' });
    await triaged(id);
    expectProblem(await t.request('GET', `/api/v1/tickets/${id}/triage`, { as: alice }), 403, 'TRIAGE_STAFF_ONLY');
    // Another requester's ticket is not even there for them.
    expectProblem(await t.request('GET', `/api/v1/tickets/${id}/triage`, { as: bob }), 404, 'TICKET_NOT_FOUND');
    const own = await t.request('GET', `/api/v1/tickets/${id}`, { as: alice });
    expect(own.status).toBe(200);
    expect(JSON.stringify(own.body)).not.toMatch(/triage|suggestion|duplicate|confidence/i);
    const list = await t.request('GET', '/api/v1/tickets', { as: alice });
    expect(JSON.stringify(list.body)).not.toMatch(/triage|suggestion|duplicate|confidence/i);
  });

  it('authenticates, authorizes and validates the triage endpoints', async () => {
    for (const [method, url] of [
      ['GET', '/api/v1/triage/model'],
      ['POST', '/api/v1/triage/model/retrain'],
      ['GET', `/api/v1/tickets/${randomUUID()}/triage`],
    ] as const) {
      expectProblem(await t.request(method, url), 401);
    }
    for (const as of [agent, alice]) {
      expectProblem(await t.request('GET', '/api/v1/triage/model', { as }), 403, 'TRIAGE_ADMIN_ONLY');
      expectProblem(await t.request('POST', '/api/v1/triage/model/retrain', { as }), 403, 'TRIAGE_ADMIN_ONLY');
    }
    expectInvalid(await t.request('POST', '/api/v1/triage/model/retrain', { as: admin, body: { now: true } }), ['now']);
    expectInvalid(await t.request('GET', '/api/v1/tickets/not-a-uuid/triage', { as: agent }), ['id']);
    expectProblem(await t.request('GET', `/api/v1/tickets/${randomUUID()}/triage`, { as: agent }), 404, 'TICKET_NOT_FOUND');
  });

  it('keeps one retraining schedule however many workers set it, and none with an interval of 0', async () => {
    const queue = t.app.get(ProducerQueues).byName.get('triage-training')!;
    // This app's worker set it at start (TRIAGE_RETRAIN_EVERY_MINUTES defaults to 1440); a second worker does too.
    const schedulers = await until(() => queue.getJobSchedulers(), (list) => list.length > 0);
    expect(schedulers.map((s) => [s.key, s.every])).toEqual([['triage-retrain', 1440 * 60_000]]);
    await t.app.get(BullTriageTraining).schedule(1440);
    expect((await queue.getJobSchedulers()).map((s) => s.key)).toEqual(['triage-retrain']);
    await t.app.get(BullTriageTraining).schedule(0);
    expect(await queue.getJobSchedulers()).toEqual([]);
  });
});
