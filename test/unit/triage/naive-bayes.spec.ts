import { describe, expect, it } from 'vitest';
import { NaiveBayes, type NaiveBayesExample } from '../../../src/core/triage/naive-bayes.js';
import { tokens } from '../../../src/core/triage/text-tokens.js';

/** Phrases with an obvious signal per category, in es/pt/en. */
const PHRASES: Record<string, string[]> = {
  printer: [
    'la impresora no imprime',
    'atasco de papel en la impresora',
    'impresora sin tóner',
    'a impressora não imprime',
    'papel preso na impressora',
    'impressora sem toner',
    'the printer does not print',
    'paper jam in the printer',
    'printer out of toner',
  ],
  network: [
    'no hay conexión a la red',
    'la vpn se desconecta',
    'el wifi no funciona',
    'sem conexão com a vpn',
    'a rede caiu',
    'o wifi não conecta',
    'cannot connect to the vpn',
    'network is down',
    'wifi keeps dropping',
  ],
  password: [
    'contraseña expirada',
    'olvidé mi contraseña',
    'usuario bloqueado por contraseña',
    'senha expirada',
    'esqueci minha senha',
    'usuário bloqueado, trocar senha',
    'password expired',
    'forgot my password',
    'account locked, reset password',
  ],
};
/** Words with no signal, added to every example. */
const FILLERS = ['desde esta mañana', 'ayuda urgente', 'desde cedo', 'ajuda por favor', 'since this morning', 'help'];

function trainingSet(): NaiveBayesExample[] {
  const examples: NaiveBayesExample[] = [];
  for (const [label, phrases] of Object.entries(PHRASES)) {
    phrases.forEach((a, i) => {
      const b = phrases[(i + 4) % phrases.length];
      const filler = FILLERS[(i + label.length) % FILLERS.length];
      examples.push({ tokens: tokens(`${a}. ${b}. ${filler}`), label });
      examples.push({ tokens: tokens(`${filler}: ${a}`), label });
    });
  }
  return examples;
}

/** Sentences never seen in training, each reusing only some of the category's words. */
const HOLDOUT: [string, string][] = [
  ['Mi impresora imprime hojas en blanco', 'printer'],
  ['Impresoras del segundo piso sin papel', 'printer'],
  ['A impressora do financeiro está sem papel', 'printer'],
  ['Printing is very slow on the HP printer', 'printer'],
  ['toner cartridge empty', 'printer'],
  ['No me puedo conectar a la VPN desde casa', 'network'],
  ['Red inalámbrica sin conexión en sala 3', 'network'],
  ['Sem wifi no escritório', 'network'],
  ['VPN disconnects every hour', 'network'],
  ['The office network is slow', 'network'],
  ['Mi contraseña expiró ayer', 'password'],
  ['Necesito restablecer la contraseña del correo', 'password'],
  ['Minha senha não funciona', 'password'],
  ['My password expired, account locked', 'password'],
  ['Please reset my password', 'password'],
];

describe('NaiveBayes', () => {
  const model = NaiveBayes.train(trainingSet());

  it('classifies held-out sentences in three languages', () => {
    const right = HOLDOUT.filter(([text, label]) => model.predict(tokens(text))?.label === label);
    expect(right.length / HOLDOUT.length).toBeGreaterThanOrEqual(0.9);
  });

  it('learns every label, sorted, and counts its examples', () => {
    expect(model.labels).toEqual(['network', 'password', 'printer']);
    expect(model.exampleCount).toBe(54);
  });

  it('gives the posterior of the top label and the runner-up, which sum to at most 1', () => {
    const prediction = model.predict(tokens('la impresora no imprime'))!;
    expect(prediction.label).toBe('printer');
    expect(prediction.confidence).toBeGreaterThan(0.9);
    expect(prediction.confidence).toBeLessThanOrEqual(1);
    expect(prediction.runnerUp!.confidence).toBeLessThan(prediction.confidence);
    expect(prediction.confidence + prediction.runnerUp!.confidence).toBeLessThanOrEqual(1 + 1e-12);
  });

  it('posteriors cover every label, best first, and sum to 1', () => {
    const ranked = model.posteriors(tokens('wifi'))!;
    expect(ranked.map((p) => p.label)).toHaveLength(3);
    expect(ranked[0].label).toBe('network');
    expect(ranked[0].probability).toBeGreaterThanOrEqual(ranked[1].probability);
    expect(ranked[1].probability).toBeGreaterThanOrEqual(ranked[2].probability);
    expect(ranked.reduce((sum, p) => sum + p.probability, 0)).toBeCloseTo(1, 12);
  });

  it('is more confident about a clear text than an ambiguous one', () => {
    const clear = model.predict(tokens('atasco de papel, la impresora no imprime'))!;
    const ambiguous = model.predict(tokens('la impresora y la vpn'))!;
    expect(clear.confidence).toBeGreaterThan(ambiguous.confidence);
    expect(ambiguous.confidence).toBeLessThan(0.8);
  });

  it('computes smoothed probabilities exactly', () => {
    // P(x|A) = (2+1)/(3+2) = 3/5, P(x|B) = (0+1)/(1+2) = 1/3, equal priors: P(A|x) = 0.3 / (0.3 + 1/6) = 9/14.
    const tiny = NaiveBayes.train([
      { tokens: ['x1', 'x1', 'y1'], label: 'A' },
      { tokens: ['y1'], label: 'B' },
    ]);
    const prediction = tiny.predict(['x1'])!;
    expect(prediction.label).toBe('A');
    expect(prediction.confidence).toBeCloseTo(9 / 14, 12);
    expect(prediction.runnerUp).toEqual({ label: 'B', confidence: expect.closeTo(5 / 14, 12) });
  });

  it('weighs priors: with no evidence either way the more frequent label wins', () => {
    const skewed = NaiveBayes.train([
      { tokens: ['same'], label: 'common' },
      { tokens: ['same'], label: 'common' },
      { tokens: ['same'], label: 'common' },
      { tokens: ['same'], label: 'rare' },
    ]);
    expect(skewed.predict(['same'])).toEqual({
      label: 'common',
      confidence: expect.closeTo(0.75, 12),
      runnerUp: { label: 'rare', confidence: expect.closeTo(0.25, 12) },
    });
  });

  it('is less sure with heavier smoothing', () => {
    const examples = trainingSet();
    const light = NaiveBayes.train(examples, { alpha: 0.1 }).predict(tokens('vpn'))!;
    const heavy = NaiveBayes.train(examples, { alpha: 10 }).predict(tokens('vpn'))!;
    expect(light.label).toBe('network');
    expect(heavy.label).toBe('network');
    expect(heavy.confidence).toBeLessThan(light.confidence);
  });

  it('stays finite on very long texts, where raw probabilities would underflow', () => {
    const prediction = model.predict(Array(20_000).fill(tokens('impresora')[0]))!;
    expect(prediction.label).toBe('printer');
    expect(prediction.confidence).toBe(1);
    expect(Number.isFinite(prediction.runnerUp!.confidence)).toBe(true);
  });

  it('ignores unknown tokens and returns null when no token is known', () => {
    expect(model.predict(['zzunknown', ...tokens('vpn')])).toEqual(model.predict(tokens('vpn')));
    expect(model.predict(['zzunknown'])).toBeNull();
    expect(model.predict([])).toBeNull();
  });

  it('returns null when untrained', () => {
    const empty = NaiveBayes.train([]);
    expect(empty.labels).toEqual([]);
    expect(empty.predict(['vpn'])).toBeNull();
  });

  it('does not learn labels with fewer examples than minExamplesPerLabel', () => {
    const examples = [
      ...trainingSet(),
      { tokens: ['monitor', 'pantalla'], label: 'display' },
      { tokens: ['monitor', 'pantalla'], label: 'display' },
    ];
    const strict = NaiveBayes.train(examples, { minExamplesPerLabel: 3 });
    expect(strict.labels).not.toContain('display');
    expect(strict.exampleCount).toBe(54);
    expect(strict.predict(['monitor', 'pantalla'])).toBeNull();

    const lenient = NaiveBayes.train(examples, { minExamplesPerLabel: 2 });
    expect(lenient.predict(['monitor', 'pantalla'])?.label).toBe('display');
  });

  it('keeps only the most frequent terms when the vocabulary is capped', () => {
    const capped = NaiveBayes.train(
      [
        { tokens: ['often', 'often', 'often', 'sometimes', 'sometimes', 'once'], label: 'A' },
        { tokens: ['often', 'sometimes'], label: 'B' },
      ],
      { maxVocabulary: 2 },
    );
    expect(capped.toJSON().vocabulary).toEqual(['often', 'sometimes']);
    expect(capped.predict(['once'])).toBeNull();
    expect(capped.predict(['often'])?.label).toBe('A');
  });

  it('keeps 20,000 terms by default', () => {
    const terms = Array.from({ length: 25_000 }, (_, i) => `t${i}`);
    const big = NaiveBayes.train([
      { tokens: [...terms, 't24999'], label: 'A' },
      { tokens: ['t0'], label: 'B' },
    ]);
    const { vocabulary } = big.toJSON();
    expect(vocabulary).toHaveLength(20_000);
    expect(vocabulary.slice(0, 2)).toEqual(['t0', 't24999']);
  });

  it('rejects a smoothing that is not positive', () => {
    expect(() => NaiveBayes.train([], { alpha: 0 })).toThrow(/alpha/);
    expect(() => NaiveBayes.train([], { alpha: Number.NaN })).toThrow(/alpha/);
  });
});

describe('NaiveBayes JSON', () => {
  const model = NaiveBayes.train(trainingSet());

  it('round-trips through JSON text with identical predictions', () => {
    const copy = NaiveBayes.fromJSON(JSON.parse(JSON.stringify(model)));
    expect(copy.labels).toEqual(model.labels);
    expect(copy.exampleCount).toBe(model.exampleCount);
    expect(copy.toJSON()).toEqual(model.toJSON());
    for (const [text] of HOLDOUT) expect(copy.predict(tokens(text))).toEqual(model.predict(tokens(text)));
  });

  it('is not changed by mutating the JSON it produced or was built from', () => {
    const json = model.toJSON();
    const copy = NaiveBayes.fromJSON(json);
    const before = copy.predict(tokens('vpn'));
    json.labels.reverse();
    json.postings.forEach((pairs) => pairs.fill(1));
    model.toJSON().docCounts.fill(1);
    expect(copy.predict(tokens('vpn'))).toEqual(before);
    expect(model.predict(tokens('vpn'))).toEqual(before);
  });

  const valid = () => NaiveBayes.train([{ tokens: ['a1', 'b1'], label: 'A' }, { tokens: ['b1'], label: 'B' }]).toJSON();
  const garbage: [string, unknown][] = [
    ['null', null],
    ['a number', 42],
    ['an array', []],
    ['an empty object', {}],
    ['another version', { ...valid(), version: 2 }],
    ['a non-positive alpha', { ...valid(), alpha: 0 }],
    ['labels that are not strings', { ...valid(), labels: [1, 2] }],
    ['repeated labels', { ...valid(), labels: ['A', 'A'] }],
    ['docCounts of the wrong length', { ...valid(), docCounts: [1] }],
    ['a fractional doc count', { ...valid(), docCounts: [1, 0.5] }],
    ['postings not aligned with the vocabulary', { ...valid(), postings: [[0, 1]] }],
    ['repeated vocabulary', { ...valid(), vocabulary: ['a1', 'a1'] }],
    ['an odd-length posting', { ...valid(), postings: [[0, 1, 1], [1, 1]] }],
    ['an unknown label index', { ...valid(), postings: [[5, 1], [0, 1]] }],
    ['a label repeated in a posting', { ...valid(), postings: [[0, 1, 0, 1], [0, 1]] }],
    ['a negative count', { ...valid(), postings: [[0, -1], [0, 1]] }],
    ['a string count', { ...valid(), postings: [[0, '1'], [0, 1]] }],
  ];

  it.each(garbage)('rejects %s', (_, json) => {
    expect(() => NaiveBayes.fromJSON(json)).toThrow(/Invalid naive Bayes model/);
  });

  it('accepts the valid base the garbage cases were built from', () => {
    expect(NaiveBayes.fromJSON(valid()).predict(['a1'])?.label).toBe('A');
  });
});
