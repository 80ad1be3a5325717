import { isAdmin, type Actor } from '../identity/actor.js';
import { ForbiddenError } from '../shared/domain-error.js';
import { TooFewTrainingExamplesError, TriageModelNotFoundError } from './triage.errors.js';
import { TriageModelStore, type TriageModelStats } from './triage-model-store.port.js';
import { TriageTrainingQueue } from './triage-training-queue.port.js';
import type { TrainingSettings } from './train-triage-model.use-case.js';

/** Admins read the active model's figures and ask for a retraining, which a worker runs. */
export class ManageTriageModel {
  constructor(
    private readonly models: TriageModelStore,
    private readonly training: TriageTrainingQueue,
    private readonly settings: Pick<TrainingSettings, 'minExamples' | 'maxExamples'>,
  ) {}

  async active(actor: Actor): Promise<TriageModelStats> {
    this.authorize(actor);
    const stats = await this.models.activeStats();
    if (!stats) throw new TriageModelNotFoundError();
    return stats;
  }

  /** Refuses at once (422, saying why) when there are too few tickets to learn from; else queues the training. */
  async retrain(actor: Actor): Promise<{ jobId: string; examples: number }> {
    this.authorize(actor);
    const examples = await this.models.countTrainingTickets(this.settings.maxExamples);
    if (examples < this.settings.minExamples) throw new TooFewTrainingExamplesError(examples, this.settings.minExamples);
    const { jobId } = await this.training.request();
    return { jobId, examples };
  }

  private authorize(actor: Actor): void {
    if (!isAdmin(actor)) throw new ForbiddenError('Only admins manage the triage model', 'TRIAGE_ADMIN_ONLY');
  }
}
