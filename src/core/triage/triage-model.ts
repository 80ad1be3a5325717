import { SEVERITIES, URGENCIES, type Severity, type Urgency } from '../tickets/priority-matrix.js';
import { NaiveBayes, type NaiveBayesExample, type NaiveBayesJson } from './naive-bayes.js';
import { tokens } from './text-tokens.js';

export interface TrainingTicket {
  title: string;
  description: string;
  categoryId: string | null;
  subcategoryId: string | null;
  severity: Severity;
  urgency: Urgency;
}

export interface Suggestion<T> {
  value: T;
  /** Estimated probability that `value` is right, in [0, 1]. */
  confidence: number;
}

export interface TriageSuggestions {
  categoryId: Suggestion<string> | null;
  subcategoryId: Suggestion<string> | null;
  severity: Suggestion<Severity> | null;
  urgency: Suggestion<Urgency> | null;
}

export interface TriageModelJson {
  format: 'triage-model';
  version: 1;
  trainedOn: number;
  category: NaiveBayesJson;
  subcategory: NaiveBayesJson;
  severity: NaiveBayesJson;
  urgency: NaiveBayesJson;
  /** [subcategoryId, categoryId] for every learned subcategory. */
  subcategoryParents: [string, string][];
}

export type TriageField = 'categoryId' | 'subcategoryId' | 'severity' | 'urgency';
const FIELDS: readonly TriageField[] = ['categoryId', 'subcategoryId', 'severity', 'urgency'];

/** The tokens a ticket is classified by: the title's count twice, since a title says more per word. */
export function ticketTokens(title: string, description: string): string[] {
  const titleTokens = tokens(title);
  return [...titleTokens, ...titleTokens, ...tokens(description)];
}

/**
 * Suggests a ticket's classification from its text: one naive Bayes model per field, trained on past tickets.
 *
 * The subcategory is chosen only among subcategories seen under the suggested category: P(sub | text) is
 * renormalised over those, then multiplied by the category's confidence, so its confidence estimates
 * P(category and subcategory both right) and is never above the category's.
 */
export class TriageModel {
  private constructor(
    readonly trainedOn: number,
    private readonly category: NaiveBayes,
    private readonly subcategory: NaiveBayes,
    private readonly severity: NaiveBayes,
    private readonly urgency: NaiveBayes,
    private readonly parents: ReadonlyMap<string, string>,
  ) {}

  /** Labels with fewer than `minExamplesPerLabel` (default 3) tickets are not learned. */
  static train(tickets: readonly TrainingTicket[], opts: { minExamplesPerLabel?: number } = {}): TriageModel {
    const nb = { minExamplesPerLabel: opts.minExamplesPerLabel ?? 3 };
    const category: NaiveBayesExample[] = [];
    const subcategory: NaiveBayesExample[] = [];
    const severity: NaiveBayesExample[] = [];
    const urgency: NaiveBayesExample[] = [];
    const parentVotes = new Map<string, Map<string, number>>();
    for (const ticket of tickets) {
      const words = ticketTokens(ticket.title, ticket.description);
      severity.push({ tokens: words, label: ticket.severity });
      urgency.push({ tokens: words, label: ticket.urgency });
      if (ticket.categoryId === null) continue;
      category.push({ tokens: words, label: ticket.categoryId });
      if (ticket.subcategoryId === null) continue;
      subcategory.push({ tokens: words, label: ticket.subcategoryId });
      const votes = parentVotes.get(ticket.subcategoryId) ?? new Map<string, number>();
      votes.set(ticket.categoryId, (votes.get(ticket.categoryId) ?? 0) + 1);
      parentVotes.set(ticket.subcategoryId, votes);
    }
    const subModel = NaiveBayes.train(subcategory, nb);
    // A subcategory moved between categories over time belongs to the one it was filed under most often.
    const parents = new Map(
      subModel.labels.map((sub) => {
        const [[parent]] = [...parentVotes.get(sub)!].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1));
        return [sub, parent] as const;
      }),
    );
    return new TriageModel(
      tickets.length,
      NaiveBayes.train(category, nb),
      subModel,
      NaiveBayes.train(severity, nb),
      NaiveBayes.train(urgency, nb),
      parents,
    );
  }

  suggest(title: string, description: string): TriageSuggestions {
    const words = ticketTokens(title, description);
    const category = this.category.predict(words);
    return {
      categoryId: category && { value: category.label, confidence: category.confidence },
      subcategoryId: category && this.suggestSubcategory(words, category.label, category.confidence),
      severity: this.suggestOne(this.severity, words) as Suggestion<Severity> | null,
      urgency: this.suggestOne(this.urgency, words) as Suggestion<Urgency> | null,
    };
  }

  private suggestSubcategory(words: string[], categoryId: string, categoryConfidence: number) {
    const inCategory = this.subcategory.posteriors(words)?.filter((p) => this.parents.get(p.label) === categoryId);
    if (!inCategory?.length) return null;
    const mass = inCategory.reduce((sum, p) => sum + p.probability, 0);
    const [best] = inCategory;
    // `mass` cannot be 0 in practice (softmax keeps every probability positive), but a 0/0 must not leak out.
    const withinCategory = mass > 0 ? best.probability / mass : 1 / inCategory.length;
    return { value: best.label, confidence: withinCategory * categoryConfidence };
  }

  private suggestOne(model: NaiveBayes, words: string[]): Suggestion<string> | null {
    const prediction = model.predict(words);
    return prediction && { value: prediction.label, confidence: prediction.confidence };
  }

  toJSON(): TriageModelJson {
    return {
      format: 'triage-model',
      version: 1,
      trainedOn: this.trainedOn,
      category: this.category.toJSON(),
      subcategory: this.subcategory.toJSON(),
      severity: this.severity.toJSON(),
      urgency: this.urgency.toJSON(),
      subcategoryParents: [...this.parents],
    };
  }

  /** Rebuilds a model from `toJSON()` output; throws an Error saying what is wrong with anything else. */
  static fromJSON(json: unknown): TriageModel {
    const fail = (what: string): never => {
      throw new Error(`Invalid triage model: ${what}`);
    };
    if (typeof json !== 'object' || json === null || Array.isArray(json)) return fail('not an object');
    const raw = json as Record<string, unknown>;
    if (raw.format !== 'triage-model' || raw.version !== 1) fail('unknown format or version');
    if (!Number.isSafeInteger(raw.trainedOn) || (raw.trainedOn as number) < 0) fail('trainedOn must be a count');
    const fieldModel = (field: 'category' | 'subcategory' | 'severity' | 'urgency') => {
      try {
        return NaiveBayes.fromJSON(raw[field]);
      } catch (error) {
        return fail(`${field}: ${(error as Error).message}`);
      }
    };
    const [category, subcategory] = [fieldModel('category'), fieldModel('subcategory')];
    const [severity, urgency] = [fieldModel('severity'), fieldModel('urgency')];
    if (!severity.labels.every((l) => (SEVERITIES as readonly string[]).includes(l))) fail('unknown severity');
    if (!urgency.labels.every((l) => (URGENCIES as readonly string[]).includes(l))) fail('unknown urgency');
    const pairs = raw.subcategoryParents;
    const isPair = (p: unknown) => Array.isArray(p) && p.length === 2 && p.every((id) => typeof id === 'string');
    if (!Array.isArray(pairs) || !pairs.every(isPair)) return fail('subcategoryParents must be [sub, category] pairs');
    const parents = new Map(pairs as [string, string][]);
    if (parents.size !== subcategory.labels.length || !subcategory.labels.every((sub) => parents.has(sub))) {
      fail('subcategoryParents must name the parent of every learned subcategory, once');
    }
    return new TriageModel(raw.trainedOn as number, category, subcategory, severity, urgency, parents);
  }
}

/**
 * Accuracy of the model's suggestions on tickets it was not trained on, per field. A ticket counts for a field
 * when it has a value there (category and subcategory may be null); a missing suggestion counts as wrong.
 * Accuracy is 0 when no ticket counts.
 */
export function evaluate(
  model: TriageModel,
  holdout: readonly TrainingTicket[],
): { field: TriageField; accuracy: number; count: number }[] {
  const tally = new Map(FIELDS.map((field) => [field, { right: 0, count: 0 }]));
  for (const ticket of holdout) {
    const suggested = model.suggest(ticket.title, ticket.description);
    for (const field of FIELDS) {
      if (ticket[field] === null) continue;
      const t = tally.get(field)!;
      t.count++;
      if (suggested[field]?.value === ticket[field]) t.right++;
    }
  }
  return FIELDS.map((field) => {
    const { right, count } = tally.get(field)!;
    return { field, accuracy: count === 0 ? 0 : right / count, count };
  });
}
