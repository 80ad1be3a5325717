import { createHash } from 'node:crypto';
import { Clock } from '../shared/clock.port.js';
import { evaluate, TriageModel, type TrainingTicket } from './triage-model.js';
import { TriageModelStore, type FieldAccuracy, type TriageModelStats } from './triage-model-store.port.js';

export interface TrainingSettings {
  /** Fewer resolved/closed tickets than this: no model is made. */
  minExamples: number;
  /** The newest this many resolved/closed tickets are learned from. */
  maxExamples: number;
  /** Stored models kept (the newest is the active one). */
  keep: number;
}

export type TrainingOutcome =
  | { trained: true; model: TriageModelStats }
  | { trained: false; reason: string; examples: number; minimum: number };

/** One ticket in HOLDOUT_BUCKETS is held out to measure accuracy, chosen by its id so reruns pick the same ones. */
const HOLDOUT_BUCKETS = 5;

/**
 * Learns a triage model from this installation's own resolved and closed tickets (their final category,
 * subcategory, severity and urgency) and stores it as the new active model.
 *
 * Accuracy: a model trained on the other 4/5 of the tickets is evaluated on the held-out 1/5 (per field); the model
 * stored is then trained on all of them, so the figures are a slightly pessimistic estimate of the stored model's.
 */
export class TrainTriageModel {
  constructor(
    private readonly models: TriageModelStore,
    private readonly clock: Clock,
    private readonly settings: TrainingSettings,
  ) {}

  async execute(): Promise<TrainingOutcome> {
    const { minExamples, maxExamples, keep } = this.settings;
    const tickets = await this.models.trainingTickets(maxExamples);
    if (tickets.length < minExamples) {
      return {
        trained: false,
        reason: `only ${tickets.length} resolved or closed ticket(s) to learn from; at least ${minExamples} are needed`,
        examples: tickets.length,
        minimum: minExamples,
      };
    }
    const training: TrainingTicket[] = [];
    const heldOut: TrainingTicket[] = [];
    for (const ticket of tickets) (isHeldOut(ticket.id) ? heldOut : training).push(ticket);
    const accuracy = measure(training, heldOut);
    const model = TriageModel.train(tickets);
    const stats = await this.models.save(
      { trainedAt: this.clock.now(), examples: tickets.length, heldOut: heldOut.length, accuracy, model: model.toJSON() },
      keep,
    );
    return { trained: true, model: stats };
  }
}

function isHeldOut(id: string): boolean {
  return createHash('sha256').update(id).digest()[0]! % HOLDOUT_BUCKETS === 0;
}

function measure(training: TrainingTicket[], heldOut: TrainingTicket[]): FieldAccuracy[] {
  const report = evaluate(TriageModel.train(training), heldOut);
  return report.map(({ field, accuracy, count }) => ({ field, accuracy: count === 0 ? null : accuracy, tested: count }));
}
