/**
 * Tokenizer for ticket text written in Spanish, Portuguese and English.
 *
 * lowercase → strip diacritics (NFD, drop combining marks) → split on anything that is not a letter or digit →
 * drop stopwords, 1-character tokens and tokens over 40 characters (pasted hashes, base64) → light suffix stemming.
 *
 * Host names and asset tags such as "PC-4321" split into "pc" and "4321": the hyphen is a separator like any other,
 * "pc" is a useful word on its own, and the number still matches the same asset in another ticket.
 */

const MAX_TOKEN_LENGTH = 40;

/** Compact es/pt/en stopword lists, already lowercased and without accents (they are matched after folding). */
const STOPWORDS = new Set(
  [
    // Spanish
    'al algo algun alguna algunas alguno algunos ante antes aqui asi aun bien buenas buenos cada como con contra',
    'cual cuando de del desde dia dias donde el ella ellas ellos en entre era es esa esas ese eso esos esta estan',
    'estamos estar estas este esto estos estoy favor fue ha hace hacer han hasta hay hola la las le les lo los mas',
    'me mi mis mucho muchos muy nada ni no nos nosotros nuestra nuestro otra otras otro otros para pero poco por',
    'porque puede puedo que quien saludos se sea ser si sin sobre solo son su sus tambien tanto te tengo tiene',
    'tienen todo todos tu tus un una unas uno unos usted ya yo gracias tardes',
    // Portuguese
    'ao aos aquele aquilo as ate boa bom com da das depois do dos ela elas ele eles em essa essas esse esses estao',
    'estou eu foi isso isto ja lhe mais mas meu minha muito na nao nas nem nos num numa obrigada obrigado ola ou',
    'pela pelas pelo pelos pode posso quando sem seu sua tambem tem ter teu tua um uma voce voces',
    // English
    'about after again all also am an and any are as at be been being but by can cannot cant could did do does',
    'doesnt dont for from get got had has have he hello her hi his how if in into is it its just me my not of on',
    'or our please she should so some than thank thanks that the their them there these they this those to too',
    'very was we were what when where which who why will with would you your',
  ]
    .join(' ')
    .split(' '),
);

const MIN_STEM = 3;

/** Suffixes of gerunds, participles and infinitives (es/pt/en), longest first so "iendo" beats "endo". */
const VERB_SUFFIXES = ['iendo', 'ando', 'endo', 'indo', 'ing', 'ado', 'ada', 'ido', 'ida', 'ed', 'ar', 'er', 'ir'];

/** Folds case and accents: "Impressão" → "impressao", "CONTRASEÑA" → "contrasena". */
export function normalize(text: string): string {
  return text.toLowerCase().normalize('NFD').replace(/\p{M}+/gu, '');
}

/**
 * A light stemmer for folded words; it merges singular/plural and common verb forms, nothing more:
 * 1. plural: "-oes"/"-aes" → "-ao" (pt), "-ies" → "-y" (en), "-es" after r/l/n/d/z/x, else a final "-s"
 *    (not after i/s/u: "pais", "access", "status");
 * 2. one verb ending: gerund, participle or infinitive ("imprimiendo", "conectado", "imprimir", "printing", "failed");
 * 3. only when step 2 removed nothing: a final vowel a/e/o ("impresora" → "impresor", "imprime" → "imprim").
 * Every step keeps at least 3 letters, so short words pass untouched.
 */
export function stem(word: string): string {
  if (/\d/.test(word) || word.length <= MIN_STEM) return word;
  let w = depluralize(word);
  const verb = VERB_SUFFIXES.find((s) => w.endsWith(s) && w.length - s.length >= MIN_STEM);
  if (verb) return w.slice(0, -verb.length);
  const last = w[w.length - 1];
  if ((last === 'a' || last === 'e' || last === 'o') && w.length - 1 >= MIN_STEM) w = w.slice(0, -1);
  return w;
}

function depluralize(w: string): string {
  if (/[oa]es$/.test(w) && w.length - 3 >= MIN_STEM) return `${w.slice(0, -3)}ao`;
  if (w.endsWith('ies') && w.length - 3 >= MIN_STEM) return `${w.slice(0, -3)}y`;
  if (/[rlndzx]es$/.test(w) && w.length - 2 >= MIN_STEM) return w.slice(0, -2);
  if (/[^isu]s$/.test(w) && w.length - 1 >= MIN_STEM) return w.slice(0, -1);
  return w;
}

/** The words of `text` that carry meaning, folded and stemmed, in order of appearance (repeats kept). */
export function tokens(text: string): string[] {
  const out: string[] = [];
  for (const raw of normalize(text).split(/[^\p{L}\p{N}]+/u)) {
    if (raw.length < 2 || raw.length > MAX_TOKEN_LENGTH || STOPWORDS.has(raw)) continue;
    out.push(stem(raw));
  }
  return out;
}

/** How often each token of `text` occurs. */
export function termCounts(text: string): Map<string, number> {
  return countTerms(tokens(text));
}

export function countTerms(terms: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
  return counts;
}
