import { describe, expect, it } from 'vitest';
import { findLikelyDuplicates, similarity } from '../../../src/core/triage/duplicates.js';
import { KINDS } from './triage-world.js';

const THRESHOLD = 0.75;

describe('similarity', () => {
  it('is 1 for the same text', () => {
    expect(similarity('La impresora del piso 3 no imprime', 'La impresora del piso 3 no imprime')).toBeCloseTo(1, 12);
  });

  it.each([
    ['case, accents and punctuation', 'Impresión bloqueada en la impresora', 'impresion BLOQUEADA, en la impresora!'],
    ['word order', 'La impresora del piso 3 no imprime', 'No imprime la impresora del piso 3'],
    ['accents and word order together', 'Sem conexão com a VPN', 'VPN: sem conexao'],
    ['stopwords and verb forms', 'Mi contraseña expiró y no puedo entrar', 'No puedo entrar, la contraseña expiró'],
    ['plural and singular', 'Impresoras sin tóner', 'impresora sin toner'],
    ['an asset tag written two ways', 'PC-4321 não liga', 'o pc 4321 nao liga'],
  ])('barely notices %s', (_, a, b) => {
    expect(similarity(a, b)).toBeGreaterThanOrEqual(0.95);
  });

  it.each([
    ['a few extra words', 'Sem conexão com a VPN', 'sem conexão com a VPN desde ontem'],
    ['a reworded sentence', 'The printer on floor 3 keeps jamming', 'printer floor 3 jammed again'],
  ])('scores near-identical texts with %s at or above the threshold', (_, a, b) => {
    expect(similarity(a, b)).toBeGreaterThanOrEqual(THRESHOLD);
  });

  it.each([
    ['different categories', 'La impresora no imprime', 'Contraseña expirada'],
    ['different categories (en)', 'Printer on 3rd floor jams paper', 'Laptop battery does not charge'],
    ['a shared verb but another system', 'No puedo acceder al correo', 'No puedo acceder a la VPN'],
    [
      'the same kind of request for another thing',
      'Necesito instalar Office en mi portátil',
      'Necesito acceso a la carpeta de finanzas',
    ],
    [
      'opposite requests',
      'Solicito alta de usuario para nuevo empleado',
      'Solicito baja de usuario para empleado que se fue',
    ],
    ['another asset', 'PC-4321 não liga', 'PC-1234 não liga'],
  ])('scores texts about %s below the threshold', (_, a, b) => {
    expect(similarity(a, b)).toBeLessThan(THRESHOLD);
  });

  it('forgives a typo more than a plain word overlap would', () => {
    // One of two words differs, so the words alone give 0.5; the trigrams of "impresorra" mostly match.
    const typo = similarity('impresora rota', 'impresorra rota');
    expect(typo).toBeGreaterThan(0.6);
    expect(typo).toBeGreaterThan(similarity('impresora rota', 'pantalla rota'));
  });

  it('is symmetric and within [0, 1]', () => {
    const texts = ['VPN caída', 'la vpn se cae', 'printer jam', '', 'de la que', 'vpn vpn vpn vpn'];
    for (const a of texts) {
      for (const b of texts) {
        const s = similarity(a, b);
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(1);
        expect(s).toBe(similarity(b, a));
      }
    }
  });

  it('is 0 when a text has no tokens', () => {
    expect(similarity('', '')).toBe(0);
    expect(similarity('de la que', 'impresora')).toBe(0);
  });
});

describe('findLikelyDuplicates', () => {
  const ticket = { id: 't1', title: 'La impresora no imprime', description: 'Atasco de papel en la impresora piso 3' };
  const candidates = [
    { ...ticket },
    { id: 'vpn', title: 'Sin conexión a la VPN', description: 'Desde casa no conecta' },
    { id: 'close', title: 'Impresora no imprime', description: 'Atasco de papel en la impresora del piso 3, otra vez' },
    { id: 'same', title: 'No imprime la impresora', description: 'en la impresora del piso 3 hay atasco de papel' },
    { id: 'other-printer', title: 'Impresora sin tóner', description: 'Hay que cambiar el tóner' },
  ];

  it('returns the similar tickets, most similar first, without the ticket itself', () => {
    const found = findLikelyDuplicates(ticket, candidates);
    expect(found.map((d) => d.id)).toEqual(['same', 'close']);
    expect(found[0].score).toBeCloseTo(1, 12);
    expect(found[1].score).toBeGreaterThanOrEqual(THRESHOLD);
    expect(found[1].score).toBeLessThan(found[0].score);
  });

  it('honours a custom threshold', () => {
    const all = findLikelyDuplicates(ticket, candidates, 0);
    expect(all.map((d) => d.id)).toEqual(['same', 'close', 'other-printer', 'vpn']);
    expect(all.at(-1)!.score).toBe(0);
    expect(findLikelyDuplicates(ticket, candidates, 1.01)).toEqual([]);
  });

  it('weighs the title: the same title with different details still matches', () => {
    const found = findLikelyDuplicates(
      { id: 'a', title: 'VPN no conecta', description: 'error 809' },
      [{ id: 'b', title: 'VPN no conecta', description: 'desde el hotel' }],
    );
    expect(found.map((d) => d.id)).toEqual(['b']);
  });

  it('finds nothing among no candidates', () => {
    expect(findLikelyDuplicates(ticket, [])).toEqual([]);
    expect(findLikelyDuplicates(ticket, [candidates[0]])).toEqual([]);
  });
});

describe('findLikelyDuplicates, pruned by the word cosine', () => {
  const phrases = Object.values(KINDS).flatMap((k) => Object.values(k.phrases).flat());
  const candidates = phrases.flatMap((title, i) => [
    { id: `a${i}`, title, description: phrases[(i * 7) % phrases.length]! },
    { id: `b${i}`, title: `${title} urgente`, description: title },
    { id: `c${i}`, title: phrases[(i * 5 + 3) % phrases.length]!, description: `${title} ${title}` },
  ]);

  it.each([0.3, 0.5, 0.6, 0.75, 0.9])('finds exactly what comparing every pair in full finds (threshold %s)', (threshold) => {
    let pairs = 0;
    for (const ticket of candidates.slice(0, 40)) {
      const text = (c: { title: string; description: string }) => `${c.title}\n${c.title}\n${c.description}`;
      const expected = candidates
        .filter((c) => c.id !== ticket.id)
        .map((c) => ({ id: c.id, score: similarity(text(ticket), text(c)) }))
        .filter((c) => c.score >= threshold)
        .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
      const found = findLikelyDuplicates(ticket, candidates, threshold);
      expect(found.map((f) => f.id)).toEqual(expected.map((e) => e.id));
      found.forEach((f, i) => expect(f.score).toBeCloseTo(expected[i]!.score, 12));
      pairs += found.length;
    }
    expect(pairs).toBeGreaterThan(0);
  });
});
