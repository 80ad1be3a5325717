import { countTerms, tokens } from './text-tokens.js';

/**
 * Likely-duplicate detection among a requester's open tickets.
 *
 * similarity = the mean of two cosine similarities, both over tokens() so case, accents, stopwords and word order
 * never matter and plural/verb forms mostly do not:
 * - word cosine, over token counts: the main signal, and the one that tells "VPN" from "printer";
 * - character-trigram cosine, over the trigrams of each token (padded, so word boundaries count): it forgives
 *   typos and the stems the light stemmer leaves apart ("impresora"/"impressora", "conexion"/"conexao"), which
 *   matter most in short titles where one differing word halves the word cosine.
 * Either alone is too strict (words) or too lenient (trigrams: unrelated texts in one language share many);
 * the mean needs both to agree before a pair crosses the default 0.75.
 */
export function similarity(a: string, b: string): number {
  return compare(profile(a), profile(b));
}

export interface DuplicateCandidate {
  id: string;
  title: string;
  description: string;
}

/**
 * The candidates at least `threshold` similar to `ticket`, most similar first; the ticket itself is never one.
 * Title and description are compared together, the title twice, as the triage model weighs them.
 */
export function findLikelyDuplicates(
  ticket: DuplicateCandidate,
  candidates: readonly DuplicateCandidate[],
  threshold = 0.75,
): { id: string; score: number }[] {
  const target = profile(ticketText(ticket));
  // The trigram cosine is at most 1: a word cosine under 2 × threshold − 1 cannot reach the threshold, and most
  // candidates (other subjects) stop there, before their trigrams are counted.
  const wordsNeeded = 2 * threshold - 1;
  const found: { id: string; score: number }[] = [];
  for (const candidate of candidates) {
    if (candidate.id === ticket.id) continue;
    const words = tokens(ticketText(candidate));
    const w = cosine(target.words, countTerms(words));
    if (w < wordsNeeded) continue;
    const score = (w + cosine(target.trigrams, trigramCounts(words))) / 2;
    if (score >= threshold) found.push({ id: candidate.id, score });
  }
  return found.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

interface Profile {
  words: Map<string, number>;
  trigrams: Map<string, number>;
}

function ticketText({ title, description }: DuplicateCandidate): string {
  return `${title}\n${title}\n${description}`;
}

function profile(text: string): Profile {
  const words = tokens(text);
  return { words: countTerms(words), trigrams: trigramCounts(words) };
}

function trigramCounts(words: string[]): Map<string, number> {
  return countTerms(words.flatMap(trigramsOf));
}

function trigramsOf(word: string): string[] {
  const padded = ` ${word} `;
  return Array.from({ length: padded.length - 2 }, (_, i) => padded.slice(i, i + 3));
}

function compare(a: Profile, b: Profile): number {
  return (cosine(a.words, b.words) + cosine(a.trigrams, b.trigrams)) / 2;
}

/** Cosine of two count vectors; 0 when either is empty. Clamped to [0, 1] against rounding. */
function cosine(a: Map<string, number>, b: Map<string, number>): number {
  let dot = 0;
  for (const [term, count] of a) dot += count * (b.get(term) ?? 0);
  if (dot === 0) return 0;
  return Math.min(1, dot / (norm(a) * norm(b)));
}

function norm(v: Map<string, number>): number {
  let sum = 0;
  for (const count of v.values()) sum += count * count;
  return Math.sqrt(sum);
}
