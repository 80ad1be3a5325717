import { describe, expect, it } from 'vitest';
import { TriageModel } from '../../../src/core/triage/triage-model.js';
import { TrainTriageModel } from '../../../src/core/triage/train-triage-model.use-case.js';
import { TRAINING_SETTINGS, triageWorld } from './triage-world.js';

describe('TrainTriageModel', () => {
  it('makes no model from too few resolved or closed tickets, and says why', async () => {
    const w = triageWorld();
    for (let i = 0; i < 9; i++) w.ticketOf(w.bob, { status: i % 2 ? 'resolved' : 'closed' });
    // Open and deleted tickets do not count.
    w.ticketOf(w.bob, { status: 'open' });
    w.ticketOf(w.bob, { status: 'resolved', deletedAt: w.clock.now() });

    const outcome = await w.train.execute();

    expect(outcome).toEqual({
      trained: false,
      reason: 'only 9 resolved or closed ticket(s) to learn from; at least 10 are needed',
      examples: 9,
      minimum: 10,
    });
    expect(await w.models.activeStats()).toBeNull();
  });

  it('learns from resolved and closed tickets only, measures per-field accuracy on held-out ones and stores the model', async () => {
    const w = triageWorld();
    w.seedResolved(2, 'resolved');
    w.seedResolved(1, 'closed');
    w.ticketOf(w.bob, { status: 'open', title: 'Impresora', categoryId: w.categories.vpn.categoryId });
    w.ticketOf(w.bob, { status: 'resolved', deletedAt: w.clock.now(), categoryId: w.categories.vpn.categoryId });

    const outcome = await w.train.execute();

    if (!outcome.trained) throw new Error(outcome.reason);
    const stats = outcome.model;
    expect(stats).toMatchObject({ version: 1, trainedAt: w.clock.now(), examples: 144 });
    expect(stats.heldOut).toBeGreaterThan(0);
    expect(stats.heldOut).toBeLessThan(144 / 2);
    expect(stats.accuracy.map((a) => a.field)).toEqual(['categoryId', 'subcategoryId', 'severity', 'urgency']);
    for (const a of stats.accuracy) {
      expect(a.tested).toBe(stats.heldOut);
      expect(a.accuracy).toBeGreaterThanOrEqual(0.9);
    }
    expect(await w.models.activeStats()).toEqual(stats);

    // The stored model is the one trained on every ticket, and it classifies new text in each language.
    const model = TriageModel.fromJSON(await w.models.load(stats.version));
    expect(model.trainedOn).toBe(144);
    expect(model.suggest('A impressora não imprime nada', '').categoryId?.value).toBe(w.categories.printer.categoryId);
    expect(model.suggest('Se desconecta la VPN', '').subcategoryId?.value).toBe(w.categories.vpn.subcategoryId);
    expect(model.suggest('I forgot the password', '').severity?.value).toBe('low');
  });

  it('holds out the same tickets on every run (chosen by id), so figures only move when the data does', async () => {
    const w = triageWorld();
    w.seedResolved(2);
    const first = await w.train.execute();
    const second = await w.train.execute();
    if (!first.trained || !second.trained) throw new Error('not trained');
    expect(second.model.version).toBe(2);
    expect({ ...second.model, version: 1 }).toEqual(first.model);
  });

  it('uses only the newest tickets up to the limit, and keeps only the newest models', async () => {
    const w = triageWorld();
    w.seedResolved(2);
    const train = new TrainTriageModel(w.models, w.clock, { ...TRAINING_SETTINGS, maxExamples: 40, keep: 2 });
    for (let i = 0; i < 3; i++) {
      w.clock.advance(60_000);
      const outcome = await train.execute();
      expect(outcome).toMatchObject({ trained: true, model: { version: i + 1, examples: 40 } });
    }
    expect(await w.models.activeVersion()).toBe(3);
    expect(await w.models.load(1)).toBeNull();
    expect(await w.models.load(2)).not.toBeNull();
  });
});
