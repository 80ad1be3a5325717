import { describe, expect, it } from 'vitest';
import { MODEL_RECHECK_MS, RunTriage, TRIAGE_CONSUMER } from '../../../src/core/triage/run-triage.use-case.js';
import type { TriageModelStore } from '../../../src/core/triage/triage-model-store.port.js';
import { TRIAGE_SETTINGS, triageWorld } from './triage-world.js';

/** A world with a model trained on the seeded resolved tickets. */
async function trainedWorld(settings: Parameters<typeof triageWorld>[0] = {}) {
  const w = triageWorld(settings);
  w.seedResolved(2);
  const outcome = await w.train.execute();
  if (!outcome.trained) throw new Error(outcome.reason);
  return w;
}

describe('RunTriage', () => {
  it('applies confident suggestions to fields nobody chose, as the system, so the priority follows the matrix', async () => {
    const w = await trainedWorld();
    const { id, created } = await w.open(w.alice, { title: 'La impresora no imprime', description: 'Atasco de papel otra vez' });

    const result = await w.triage.execute(created);

    const t = w.db.ticket(id)!;
    expect(t).toMatchObject({ ...w.categories.printer, severity: 'high', urgency: 'high', priority: 'critical', version: 2 });
    expect(result!.applied.map((a) => [a.field, a.value])).toEqual([
      ['categoryId', w.categories.printer.categoryId],
      ['subcategoryId', w.categories.printer.subcategoryId],
      ['severity', 'high'],
      ['urgency', 'high'],
    ]);
    for (const a of result!.applied) expect(a.confidence).toBeGreaterThanOrEqual(0.85);
    expect(result).toMatchObject({ modelVersion: 1, triagedAt: w.clock.now(), duplicates: [] });

    const activity = w.db.activity(id).filter((a) => a.type === 'field_changed');
    expect(activity.map((a) => [a.field, a.actorId])).toEqual([
      ['severity', null],
      ['urgency', null],
      ['categoryId', null],
      ['subcategoryId', null],
      ['priority', null],
    ]);
    const updated = w.lastEvent(id, 'ticket.updated');
    expect(updated.actorId).toBeNull();
    expect(updated.payload['reason']).toEqual({
      source: 'triage',
      modelVersion: 1,
      confidence: Object.fromEntries(result!.applied.map((a) => [a.field, a.confidence])),
    });
    expect(await w.db.autocommit.triage.find(id)).toEqual(result);
  });

  it('applies a suggestion at or above the threshold and only stores one below it, for the agent', async () => {
    const w = await trainedWorld();
    // Surely hardware, but a printer or a laptop? The subcategory's confidence is about half the category's.
    const { id, created } = await w.open(w.alice, {
      title: 'Laptop and printer',
      description: 'laptop printer',
      severity: 'medium',
      urgency: 'medium',
    });

    const result = await w.triage.execute(created);

    const { categoryId, subcategoryId } = result!.suggestions;
    expect(categoryId).toMatchObject({ value: w.categories.printer.categoryId });
    expect(categoryId!.confidence).toBeGreaterThanOrEqual(0.85);
    expect(subcategoryId!.confidence).toBeLessThan(0.85);
    expect(result!.applied.map((a) => a.field)).toEqual(['categoryId']);
    expect(w.db.ticket(id)).toMatchObject({ categoryId: w.categories.printer.categoryId, subcategoryId: null });
    expect(await w.db.autocommit.triage.find(id)).toMatchObject({ suggestions: { subcategoryId } });
  });

  it('never overwrites what the creator chose: severity and urgency given at creation stay', async () => {
    const w = await trainedWorld();
    const { id, created } = await w.open(w.alice, {
      title: 'A impressora não imprime',
      description: 'Papel preso',
      severity: 'low',
      urgency: 'medium',
    });
    expect(created.payload['setByCreator']).toEqual(['severity', 'urgency']);

    const result = await w.triage.execute(created);

    expect(result!.suggestions.severity).toMatchObject({ value: 'high' });
    expect(result!.applied.map((a) => a.field)).toEqual(['categoryId', 'subcategoryId']);
    expect(w.db.ticket(id)).toMatchObject({ ...w.categories.printer, severity: 'low', urgency: 'medium', priority: 'low' });
  });

  it('respects an agent who set the category before the job ran (the suggestion is moot)', async () => {
    const w = await trainedWorld();
    const { id, created } = await w.open(w.alice, { title: 'Printer does not print', description: 'Paper jam' });
    await w.update.execute(w.agent, { id, patch: { categoryId: w.categories.password.categoryId, urgency: 'low' } });

    const result = await w.triage.execute(created);

    expect(result!.suggestions.categoryId).toMatchObject({ value: w.categories.printer.categoryId });
    // The printer subcategory belongs to another category than the agent's: not applied either.
    expect(result!.applied.map((a) => a.field)).toEqual(['severity']);
    expect(w.db.ticket(id)).toMatchObject({
      categoryId: w.categories.password.categoryId,
      subcategoryId: null,
      severity: 'high',
      urgency: 'low',
    });
  });

  it('keeps a category an agent cleared on purpose', async () => {
    const w = await trainedWorld();
    const { id, created } = await w.open(w.alice, {
      title: 'VPN is down',
      description: 'Cannot connect to the VPN',
      categoryId: w.categories.password.categoryId,
    });
    await w.update.execute(w.agent, { id, patch: { categoryId: null } });

    const result = await w.triage.execute(created);

    expect(result!.applied.map((a) => a.field)).toEqual(['severity', 'urgency']);
    expect(w.db.ticket(id)).toMatchObject({ categoryId: null, subcategoryId: null, severity: 'critical' });
  });

  it('flags open tickets of the same requester with very similar text, not closed ones nor other requesters', async () => {
    const w = await trainedWorld();
    const same = w.ticketOf(w.alice, { title: 'Sem conexão com a VPN', description: 'A VPN cai toda hora desde ontem' });
    w.ticketOf(w.alice, { title: 'Sem conexão com a VPN', description: 'A VPN cai toda hora desde ontem', status: 'closed' });
    w.ticketOf(w.bob, { title: 'Sem conexão com a VPN', description: 'A VPN cai toda hora desde ontem' });
    w.ticketOf(w.alice, { title: 'Esqueci minha senha', description: 'Preciso redefinir a senha' });
    const { id, created } = await w.open(w.alice, { title: 'Sem conexao com a VPN', description: 'a vpn cai toda hora' });

    const result = await w.triage.execute(created);

    expect(result!.duplicates).toEqual([{ ticketId: same.id, number: same.number, score: expect.any(Number) }]);
    expect(result!.duplicates[0]!.score).toBeGreaterThanOrEqual(0.75);
    expect((await w.db.autocommit.triage.find(id))!.duplicates).toEqual(result!.duplicates);
  });

  it('finds the duplicates by the ticket’s own requester when the event does not name one', async () => {
    const w = await trainedWorld();
    const same = w.ticketOf(w.alice, { title: 'Sem conexão com a VPN', description: 'A VPN cai toda hora desde ontem' });
    const { created } = await w.open(w.alice, { title: 'Sem conexao com a VPN', description: 'a vpn cai toda hora' });
    const { ticket: _view, ...payload } = created.payload;

    const result = await w.triage.execute({ ...created, payload });

    expect(result!.duplicates).toEqual([{ ticketId: same.id, number: same.number, score: expect.any(Number) }]);
  });

  it('handles an event once: a repeated job changes nothing and writes nothing', async () => {
    const w = await trainedWorld();
    const { id, created } = await w.open(w.alice, { title: 'Olvidé mi contraseña', description: 'No puedo entrar' });
    const first = await w.triage.execute(created);
    expect(first!.applied.length).toBeGreaterThan(0);
    const activity = w.db.activity(id).length;
    const events = w.db.outbox().length;
    const ticket = w.db.ticket(id);

    w.clock.advance(5000);
    expect(await w.triage.execute(created)).toBeNull();

    expect(w.db.activity(id)).toHaveLength(activity);
    expect(w.db.outbox()).toHaveLength(events);
    expect(w.db.ticket(id)).toEqual(ticket);
    expect(await w.db.autocommit.triage.find(id)).toEqual(first);
  });

  it('triages again when a person edits the text, keeping what the creator chose and what was applied before', async () => {
    const w = await trainedWorld();
    const { id, created } = await w.open(w.alice, { title: 'Something is broken', description: 'Help', severity: 'medium' });
    const first = await w.triage.execute(created);
    expect(first!.applied).toEqual([]);

    await w.update.execute(w.alice, { id, patch: { title: 'La VPN se desconecta', description: 'No conecta la VPN' } });
    const second = await w.triage.execute(w.lastEvent(id, 'ticket.updated'));

    expect(second!.applied.map((a) => a.field)).toEqual(['categoryId', 'subcategoryId', 'urgency']);
    expect(second!.creatorSet).toEqual(['severity']);
    expect(w.db.ticket(id)).toMatchObject({ ...w.categories.vpn, severity: 'medium', urgency: 'high' });
  });

  it('ignores updates that do not change the text, and its own changes', async () => {
    const w = await trainedWorld();
    const { id, created } = await w.open(w.alice, { title: 'Printer out of toner', description: 'toner' });
    await w.triage.execute(created);
    const systemUpdate = w.lastEvent(id, 'ticket.updated');
    await w.update.execute(w.agent, { id, patch: { tags: ['floor-2'] } });
    const tagsUpdate = w.lastEvent(id, 'ticket.updated');

    expect(await w.triage.execute(systemUpdate)).toBeNull();
    expect(await w.triage.execute(tagsUpdate)).toBeNull();
    // Nothing was even claimed: no work was done for them.
    const claimed = w.db.readCommitted().processed;
    expect(claimed.has(`${TRIAGE_CONSUMER}/${systemUpdate.id}`)).toBe(false);
    expect(claimed.has(`${TRIAGE_CONSUMER}/${tagsUpdate.id}`)).toBe(false);
  });

  it('without a model, still stores the result with the duplicates', async () => {
    const w = triageWorld();
    const earlier = w.ticketOf(w.alice, { title: 'Printer out of toner', description: 'The printer needs toner' });
    const { id, created } = await w.open(w.alice, { title: 'Printer out of toner', description: 'The printer needs toner' });

    const result = await w.triage.execute(created);

    expect(result).toMatchObject({
      modelVersion: null,
      suggestions: { categoryId: null, subcategoryId: null, severity: null, urgency: null },
      applied: [],
      duplicates: [{ ticketId: earlier.id, number: earlier.number, score: 1 }],
    });
    expect(w.db.ticket(id)!.version).toBe(1);
  });

  it('leaves resolved, closed and deleted tickets alone', async () => {
    const w = await trainedWorld();
    for (const state of [{ status: 'resolved' as const }, { status: 'closed' as const }, { deletedAt: new Date() }]) {
      const t = w.ticketOf(w.alice, { title: 'La impresora no imprime', description: 'sin tóner', ...state });
      const event = { id: crypto.randomUUID(), type: 'ticket.created', aggregateId: t.id, actorId: w.alice.id, payload: {} };
      expect(await w.triage.execute(event)).toBeNull();
      expect(w.db.ticket(t.id)).toEqual(t);
      expect(await w.db.autocommit.triage.find(t.id)).toBeNull();
    }
  });

  it('uses a model retrained meanwhile once the recheck window has passed, not per ticket', async () => {
    const w = await trainedWorld();
    const first = await w.open(w.alice, { title: 'VPN caída', description: 'No conecta la VPN' });
    expect(await w.triage.execute(first.created)).toMatchObject({ modelVersion: 1 });
    const retrained = await w.train.execute();
    expect(retrained).toMatchObject({ trained: true, model: { version: 2 } });

    // open() moves the clock on by a second before it creates.
    const second = await w.open(w.alice, { title: 'Olvidé mi contraseña', description: 'Restablecer contraseña' });
    w.clock.advance(MODEL_RECHECK_MS - 1000 - 1);
    expect(await w.triage.execute(second.created)).toMatchObject({ modelVersion: 1 });

    const third = await w.open(w.alice, { title: 'Atasco de papel', description: 'La impresora no imprime' });
    expect(await w.triage.execute(third.created)).toMatchObject({ modelVersion: 2 });
  });
});

describe('RunTriage model loading', () => {
  it('loads and parses the model once for triages that start together, not once each', async () => {
    const w = await trainedWorld();
    const opened = [];
    for (let i = 0; i < 12; i++) opened.push(await w.open(w.alice, { title: `VPN caída ${i}`, description: 'No conecta la VPN' }));
    let loads = 0;
    const counted = {
      activeVersion: () => w.models.activeVersion(),
      load: (version: number) => {
        loads++;
        return w.models.load(version);
      },
    } as unknown as TriageModelStore;
    // A process that has not loaded the model yet.
    const triage = new RunTriage(w.uow, counted, w.matrix, w.clock, TRIAGE_SETTINGS);
    const results = await Promise.all(opened.map((o) => triage.execute(o.created)));
    expect(results.every((r) => r?.modelVersion === 1)).toBe(true);
    expect(loads).toBe(1);
  });
});
