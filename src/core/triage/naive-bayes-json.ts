/** The JSON form of a naive Bayes model, and its validation: a model file may come from anywhere. */

export interface NaiveBayesJson {
  format: 'naive-bayes';
  version: 1;
  alpha: number;
  labels: string[];
  /** Examples seen per label, aligned with `labels`. */
  docCounts: number[];
  vocabulary: string[];
  /** Aligned with `vocabulary`: flattened pairs [labelIndex, count, labelIndex, count, …]. */
  postings: number[][];
}

/** Checks that `json` is a whole, consistent model; throws an Error naming the first problem. Returns a copy. */
export function parseNaiveBayesJson(json: unknown): NaiveBayesJson {
  const fail = (what: string): never => {
    throw new Error(`Invalid naive Bayes model: ${what}`);
  };
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return fail('not an object');
  const raw = json as Record<string, unknown>;
  if (raw.format !== 'naive-bayes' || raw.version !== 1) fail('unknown format or version');
  const { alpha, labels, docCounts, vocabulary, postings } = raw;
  if (typeof alpha !== 'number' || !(alpha > 0) || !Number.isFinite(alpha)) fail('alpha must be a positive number');
  if (!isUniqueStrings(labels)) return fail('labels must be distinct strings');
  if (!Array.isArray(docCounts) || docCounts.length !== labels.length || !docCounts.every(isPositiveInteger)) {
    fail('docCounts must hold a positive integer per label');
  }
  if (!isUniqueStrings(vocabulary)) return fail('vocabulary must be distinct strings');
  if (!Array.isArray(postings) || postings.length !== vocabulary.length) fail('postings must align with vocabulary');
  (postings as unknown[]).forEach((pairs, t) => {
    if (!Array.isArray(pairs) || pairs.length === 0 || pairs.length % 2 !== 0) fail(`postings[${t}] must be pairs`);
    const seen = new Set<unknown>();
    for (let i = 0; i < (pairs as unknown[]).length; i += 2) {
      const [l, count] = [(pairs as unknown[])[i], (pairs as unknown[])[i + 1]];
      if (!Number.isInteger(l) || (l as number) < 0 || (l as number) >= labels.length || seen.has(l)) {
        fail(`postings[${t}] names an unknown or repeated label`);
      }
      if (!isPositiveInteger(count)) fail(`postings[${t}] holds a count that is not a positive integer`);
      seen.add(l);
    }
  });
  const valid = raw as unknown as NaiveBayesJson;
  return {
    format: 'naive-bayes',
    version: 1,
    alpha: valid.alpha,
    labels: [...valid.labels],
    docCounts: [...valid.docCounts],
    vocabulary: [...valid.vocabulary],
    postings: valid.postings.map((pairs) => [...pairs]),
  };
}

function isUniqueStrings(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') && new Set(value).size === value.length;
}

function isPositiveInteger(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) > 0;
}
