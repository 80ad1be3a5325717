import { describe, expect, it } from 'vitest';
import { ForbiddenError } from '../../../src/core/shared/domain-error.js';
import { TicketNotFoundError } from '../../../src/core/tickets/ticket.errors.js';
import { ManageTriageModel } from '../../../src/core/triage/manage-triage-model.use-case.js';
import { ReadTicketTriage } from '../../../src/core/triage/read-ticket-triage.use-case.js';
import {
  TooFewTrainingExamplesError,
  TriageModelNotFoundError,
  TriageResultNotFoundError,
} from '../../../src/core/triage/triage.errors.js';
import { TriageTrainingQueue } from '../../../src/core/triage/triage-training-queue.port.js';
import { InMemoryTicketQueries } from '../../support/fakes/in-memory-ticket-queries.js';
import { failureOf } from '../failure-of.js';
import { triageWorld } from './triage-world.js';

/** Records the training runs asked for. */
class RecordingTrainingQueue extends TriageTrainingQueue {
  readonly requests: string[] = [];
  async request() {
    this.requests.push(`job-${this.requests.length + 1}`);
    return { jobId: this.requests.at(-1)! };
  }
}

function world() {
  const w = triageWorld();
  const queue = new RecordingTrainingQueue();
  const manage = new ManageTriageModel(w.models, queue, { minExamples: 10, maxExamples: 1000 });
  const read = new ReadTicketTriage(new InMemoryTicketQueries(w.db), w.db.autocommit.triage);
  return { ...w, queue, manage, read };
}

describe('ManageTriageModel', () => {
  it('is for admins only', async () => {
    const w = world();
    for (const actor of [w.agent, w.alice]) {
      expect(await failureOf(() => w.manage.active(actor))).toBeInstanceOf(ForbiddenError);
      expect(await failureOf(() => w.manage.retrain(actor))).toBeInstanceOf(ForbiddenError);
    }
    expect(w.queue.requests).toEqual([]);
  });

  it('refuses a retraining with too few finished tickets, saying how many there are, and queues nothing', async () => {
    const w = world();
    for (let i = 0; i < 9; i++) w.ticketOf(w.bob, { status: 'resolved' });
    const error = await failureOf(() => w.manage.retrain(w.admin));
    expect(error).toBeInstanceOf(TooFewTrainingExamplesError);
    expect((error as TooFewTrainingExamplesError).details).toEqual({ examples: 9, minimum: 10 });
    expect(w.queue.requests).toEqual([]);
  });

  it('queues a training run when there is enough to learn from', async () => {
    const w = world();
    w.seedResolved(1);
    expect(await w.manage.retrain(w.admin)).toEqual({ jobId: 'job-1', examples: 48 });
  });

  it('shows the active model, or says there is none', async () => {
    const w = world();
    expect(await failureOf(() => w.manage.active(w.admin))).toBeInstanceOf(TriageModelNotFoundError);
    w.seedResolved(1);
    const outcome = await w.train.execute();
    if (!outcome.trained) throw new Error(outcome.reason);
    expect(await w.manage.active(w.admin)).toEqual(outcome.model);
  });
});

describe('ReadTicketTriage', () => {
  it('shows a triaged ticket to staff, never to requesters, and hides tickets the caller may not see', async () => {
    const w = world();
    const { id, created } = await w.open(w.alice, { title: 'Printer out of toner', description: 'toner' });
    expect(await failureOf(() => w.read.execute(w.agent, id))).toBeInstanceOf(TriageResultNotFoundError);
    const result = await w.triage.execute(created);

    expect(await w.read.execute(w.agent, id)).toEqual(result);
    expect(await w.read.execute(w.admin, id)).toEqual(result);
    expect(await failureOf(() => w.read.execute(w.alice, id))).toBeInstanceOf(ForbiddenError);
    expect(await failureOf(() => w.read.execute(w.bob, id))).toBeInstanceOf(TicketNotFoundError);
    expect(await failureOf(() => w.read.execute(w.agent, crypto.randomUUID()))).toBeInstanceOf(TicketNotFoundError);
  });
});
