import type { TriageField, TriageSuggestions } from './triage-model.js';

/** A suggestion the triage step wrote to the ticket itself, with the confidence it had. */
export interface AppliedSuggestion {
  field: TriageField;
  value: string;
  confidence: number;
  appliedAt: Date;
}

/** An open ticket of the same requester whose text is very similar. */
export interface LikelyDuplicate {
  ticketId: string;
  number: number;
  /** Similarity in [0, 1] (see duplicates.ts). */
  score: number;
}

/** What the triage step concluded about one ticket (the latest run; staff only). */
export interface TriageResult {
  ticketId: string;
  suggestions: TriageSuggestions;
  applied: AppliedSuggestion[];
  duplicates: LikelyDuplicate[];
  /** The model that made the suggestions; null when none had been trained yet. */
  modelVersion: number | null;
  triagedAt: Date;
  /**
   * The classification fields the ticket's creator gave explicitly (from the ticket.created event), kept so a
   * later run (after a text edit) still knows them; null when unknown.
   */
  creatorSet: TriageField[] | null;
}

export const NO_SUGGESTIONS: TriageSuggestions = { categoryId: null, subcategoryId: null, severity: null, urgency: null };
