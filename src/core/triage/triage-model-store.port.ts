import type { TrainingTicket, TriageField, TriageModelJson } from './triage-model.js';

/** Accuracy of one field on the held-out tickets; null when none of them had a value there. */
export interface FieldAccuracy {
  field: TriageField;
  accuracy: number | null;
  /** Held-out tickets with a value for the field. */
  tested: number;
}

export interface TriageModelStats {
  version: number;
  trainedAt: Date;
  /** Tickets the stored model learned from. */
  examples: number;
  /** Of those, how many were held out to measure the accuracy (see TrainTriageModel). */
  heldOut: number;
  accuracy: FieldAccuracy[];
}

export interface NewTriageModel {
  trainedAt: Date;
  examples: number;
  heldOut: number;
  accuracy: FieldAccuracy[];
  model: TriageModelJson;
}

/** Trained triage models (the newest is the active one) and the tickets they are trained from. */
export abstract class TriageModelStore {
  /** Stores a model under the next version and keeps only the newest `keep`; returns its stats. */
  abstract save(model: NewTriageModel, keep: number): Promise<TriageModelStats>;
  abstract activeStats(): Promise<TriageModelStats | null>;
  abstract activeVersion(): Promise<number | null>;
  /** The model JSON of a version (unvalidated: TriageModel.fromJSON checks it); null when pruned. */
  abstract load(version: number): Promise<unknown>;
  /**
   * Resolved and closed tickets that are not deleted, most recently finished first, at most `limit`, with their
   * final classification (descriptions may be cut to their beginning to bound memory).
   */
  abstract trainingTickets(limit: number): Promise<(TrainingTicket & { id: string })[]>;
  /** How many tickets trainingTickets(limit) would return. */
  abstract countTrainingTickets(limit: number): Promise<number>;
}
