import { ApiProperty } from '@nestjs/swagger';
import type { Suggestion, TriageField } from '../../../core/triage/triage-model.js';
import type { FieldAccuracy, TriageModelStats } from '../../../core/triage/triage-model-store.port.js';
import type { TriageResult } from '../../../core/triage/triage-result.js';
import { isoTime } from '../iso-time.js';

const FIELDS = ['categoryId', 'subcategoryId', 'severity', 'urgency'] as const;

/** POST /triage/model/retrain takes no body; anything sent in one is refused (400). */
export class RetrainRequest {}

export class RetrainResponse {
  @ApiProperty({ description: 'The training job (queue triage-training)' }) jobId!: string;
  @ApiProperty({ example: 'triage-training' }) queue!: string;
  @ApiProperty({ description: 'Resolved and closed tickets it will learn from' }) examples!: number;
}

export class FieldAccuracyResponse {
  @ApiProperty({ nullable: true, type: Number, description: 'Share right on the held-out tickets; null when none had a value' })
  accuracy!: number | null;
  @ApiProperty({ description: 'Held-out tickets with a value for the field' }) tested!: number;
}

export class ModelAccuracyResponse {
  @ApiProperty({ type: FieldAccuracyResponse }) categoryId!: FieldAccuracyResponse;
  @ApiProperty({ type: FieldAccuracyResponse }) subcategoryId!: FieldAccuracyResponse;
  @ApiProperty({ type: FieldAccuracyResponse }) severity!: FieldAccuracyResponse;
  @ApiProperty({ type: FieldAccuracyResponse }) urgency!: FieldAccuracyResponse;
}

export class TriageModelResponse {
  @ApiProperty({ description: 'Increases with every training' }) version!: number;
  @ApiProperty({ format: 'date-time' }) trainedAt!: string;
  @ApiProperty({ description: 'Resolved and closed tickets the model learned from' }) examples!: number;
  @ApiProperty({ description: 'Of those, held out (by a model trained on the rest) to measure the accuracy' })
  heldOut!: number;
  @ApiProperty({ type: ModelAccuracyResponse }) accuracy!: ModelAccuracyResponse;

  static from(s: TriageModelStats): TriageModelResponse {
    const of = (field: TriageField): FieldAccuracy => s.accuracy.find((a) => a.field === field) ?? { field, accuracy: null, tested: 0 };
    const accuracy = Object.fromEntries(
      FIELDS.map((field) => [field, { accuracy: of(field).accuracy, tested: of(field).tested }]),
    ) as unknown as ModelAccuracyResponse;
    return { version: s.version, trainedAt: isoTime(s.trainedAt), examples: s.examples, heldOut: s.heldOut, accuracy };
  }
}

export class SuggestionResponse {
  @ApiProperty({ description: 'Suggested value (a category id, or a severity/urgency level)' }) value!: string;
  @ApiProperty({ minimum: 0, maximum: 1 }) confidence!: number;
}

export class SuggestionsResponse {
  @ApiProperty({ type: SuggestionResponse, nullable: true }) categoryId!: SuggestionResponse | null;
  @ApiProperty({ type: SuggestionResponse, nullable: true, description: 'Within the suggested category' })
  subcategoryId!: SuggestionResponse | null;
  @ApiProperty({ type: SuggestionResponse, nullable: true }) severity!: SuggestionResponse | null;
  @ApiProperty({ type: SuggestionResponse, nullable: true }) urgency!: SuggestionResponse | null;
}

export class AppliedSuggestionResponse {
  @ApiProperty({ enum: FIELDS }) field!: string;
  @ApiProperty() value!: string;
  @ApiProperty({ minimum: 0, maximum: 1 }) confidence!: number;
  @ApiProperty({ format: 'date-time' }) appliedAt!: string;
}

export class LikelyDuplicateResponse {
  @ApiProperty({ format: 'uuid' }) ticketId!: string;
  @ApiProperty() number!: number;
  @ApiProperty({ minimum: 0, maximum: 1, description: 'Text similarity' }) score!: number;
}

export class TicketTriageResponse {
  @ApiProperty({ format: 'uuid' }) ticketId!: string;
  @ApiProperty({ type: SuggestionsResponse }) suggestions!: SuggestionsResponse;
  @ApiProperty({ type: [AppliedSuggestionResponse], description: 'Suggestions written to the ticket by the system' })
  applied!: AppliedSuggestionResponse[];
  @ApiProperty({ type: [LikelyDuplicateResponse], description: "The requester's open tickets with very similar text" })
  duplicates!: LikelyDuplicateResponse[];
  @ApiProperty({ nullable: true, type: Number, description: 'null: no model had been trained yet' })
  modelVersion!: number | null;
  @ApiProperty({ format: 'date-time' }) triagedAt!: string;

  static from(r: TriageResult): TicketTriageResponse {
    const suggestion = (s: Suggestion<string> | null) => s && { value: s.value, confidence: s.confidence };
    return {
      ticketId: r.ticketId,
      suggestions: {
        categoryId: suggestion(r.suggestions.categoryId),
        subcategoryId: suggestion(r.suggestions.subcategoryId),
        severity: suggestion(r.suggestions.severity),
        urgency: suggestion(r.suggestions.urgency),
      },
      applied: r.applied.map((a) => ({ field: a.field, value: a.value, confidence: a.confidence, appliedAt: isoTime(a.appliedAt) })),
      duplicates: r.duplicates.map((d) => ({ ticketId: d.ticketId, number: d.number, score: d.score })),
      modelVersion: r.modelVersion,
      triagedAt: isoTime(r.triagedAt),
    };
  }
}
