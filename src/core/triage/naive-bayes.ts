import { parseNaiveBayesJson, type NaiveBayesJson } from './naive-bayes-json.js';

export type { NaiveBayesJson };

/**
 * Multinomial naive Bayes over token counts, with add-alpha (Laplace) smoothing and log probabilities.
 *
 * score(label) = log P(label) + Σ_tokens log P(token | label), P(token | label) = (count + α) / (total + α·|V|).
 * Tokens outside the vocabulary are ignored. The counts are kept sparse, per term, as the labels it occurs under:
 * the constant part of every label's score is computed once and only the labels a token was seen with are
 * adjusted, so memory and prediction time follow the non-zero counts, not labels × vocabulary.
 */

export interface NaiveBayesExample {
  tokens: readonly string[];
  label: string;
}

export interface NaiveBayesOptions {
  /** Smoothing added to every count; default 1 (Laplace). */
  alpha?: number;
  /** Labels with fewer examples are not learned (their examples are left out); default 1. */
  minExamplesPerLabel?: number;
  /** Only this many terms, the most frequent, are kept; default 20,000, so the JSON stays small. */
  maxVocabulary?: number;
}

export interface NaiveBayesPrediction {
  label: string;
  /** Posterior probability of `label`, in [0, 1]. */
  confidence: number;
  runnerUp?: { label: string; confidence: number };
}

const DEFAULT_MAX_VOCABULARY = 20_000;

/** Per term: the labels it occurs under and log((count + α) / α) for each, the lift over an unseen term. */
interface Posting {
  labelIndexes: number[];
  lifts: number[];
}

export class NaiveBayes {
  readonly labels: string[];
  /** Examples behind the learned labels (examples of labels too rare to learn are not counted). */
  readonly exampleCount: number;
  private readonly index = new Map<string, Posting>();
  /** Per label: log prior. */
  private readonly logPriors: number[];
  /** Per label: log(α / (total + α·|V|)), the log likelihood of any in-vocabulary token before its lift. */
  private readonly logUnseen: number[];

  private constructor(private readonly json: NaiveBayesJson) {
    this.labels = [...json.labels];
    this.exampleCount = json.docCounts.reduce((sum, n) => sum + n, 0);
    const totals = json.labels.map(() => 0);
    json.vocabulary.forEach((term, t) => {
      const pairs = json.postings[t];
      const posting: Posting = { labelIndexes: [], lifts: [] };
      for (let i = 0; i < pairs.length; i += 2) {
        totals[pairs[i]] += pairs[i + 1];
        posting.labelIndexes.push(pairs[i]);
        posting.lifts.push(Math.log((pairs[i + 1] + json.alpha) / json.alpha));
      }
      this.index.set(term, posting);
    });
    const smoothing = json.alpha * json.vocabulary.length;
    this.logPriors = json.docCounts.map((n) => Math.log(n / this.exampleCount));
    this.logUnseen = totals.map((total) => Math.log(json.alpha / (total + smoothing)));
  }

  static train(examples: readonly NaiveBayesExample[], opts: NaiveBayesOptions = {}): NaiveBayes {
    const alpha = opts.alpha ?? 1;
    const minExamples = opts.minExamplesPerLabel ?? 1;
    const maxVocabulary = opts.maxVocabulary ?? DEFAULT_MAX_VOCABULARY;
    if (!(alpha > 0) || !Number.isFinite(alpha)) throw new Error('alpha must be a positive number');

    const docs = new Map<string, number>();
    for (const { label } of examples) docs.set(label, (docs.get(label) ?? 0) + 1);
    const labels = [...docs.keys()].filter((label) => docs.get(label)! >= minExamples).sort();
    const labelIndex = new Map(labels.map((label, i) => [label, i]));

    const counts = new Map<string, Map<number, number>>();
    const frequency = new Map<string, number>();
    for (const example of examples) {
      const l = labelIndex.get(example.label);
      if (l === undefined) continue;
      for (const term of example.tokens) {
        frequency.set(term, (frequency.get(term) ?? 0) + 1);
        let byLabel = counts.get(term);
        if (!byLabel) counts.set(term, (byLabel = new Map()));
        byLabel.set(l, (byLabel.get(l) ?? 0) + 1);
      }
    }
    const vocabulary = [...frequency.keys()]
      .sort((a, b) => frequency.get(b)! - frequency.get(a)! || (a < b ? -1 : a > b ? 1 : 0))
      .slice(0, Math.max(0, maxVocabulary));
    const postings = vocabulary.map((term) =>
      [...counts.get(term)!].sort(([a], [b]) => a - b).flatMap(([l, count]) => [l, count]),
    );
    return new NaiveBayes({
      format: 'naive-bayes',
      version: 1,
      alpha,
      labels,
      docCounts: labels.map((label) => docs.get(label)!),
      vocabulary,
      postings,
    });
  }

  /** Every learned label with its posterior probability, most probable first; null when nothing can be said. */
  posteriors(tokens: readonly string[]): { label: string; probability: number }[] | null {
    if (this.labels.length === 0) return null;
    const scores = [...this.logPriors];
    let known = 0;
    for (const token of tokens) {
      const posting = this.index.get(token);
      if (!posting) continue;
      known++;
      for (let i = 0; i < posting.labelIndexes.length; i++) scores[posting.labelIndexes[i]] += posting.lifts[i];
    }
    if (known === 0) return null;
    for (let l = 0; l < scores.length; l++) scores[l] += known * this.logUnseen[l];
    // Softmax, shifted by the maximum so the largest exponent is 0 and nothing overflows or underflows to 0/0.
    const max = Math.max(...scores);
    const weights = scores.map((s) => Math.exp(s - max));
    const sum = weights.reduce((a, b) => a + b, 0);
    return this.labels
      .map((label, l) => ({ label, probability: weights[l] / sum }))
      .sort((a, b) => b.probability - a.probability || (a.label < b.label ? -1 : 1));
  }

  /** The most probable label and the next one; null when untrained or when no token is in the vocabulary. */
  predict(tokens: readonly string[]): NaiveBayesPrediction | null {
    const ranked = this.posteriors(tokens);
    if (!ranked) return null;
    const [best, second] = ranked;
    const prediction: NaiveBayesPrediction = { label: best.label, confidence: best.probability };
    if (second) prediction.runnerUp = { label: second.label, confidence: second.probability };
    return prediction;
  }

  toJSON(): NaiveBayesJson {
    return structuredClone(this.json);
  }

  /** Rebuilds a model from `toJSON()` output; throws an Error saying what is wrong with anything else. */
  static fromJSON(json: unknown): NaiveBayes {
    return new NaiveBayes(parseNaiveBayesJson(json));
  }
}
