import { describe, expect, it } from 'vitest';
import { NaiveBayes } from '../../../src/core/triage/naive-bayes.js';
import {
  evaluate,
  ticketTokens,
  TriageModel,
  type TrainingTicket,
} from '../../../src/core/triage/triage-model.js';
import type { Severity, Urgency } from '../../../src/core/tickets/priority-matrix.js';

type Lang = 'es' | 'pt' | 'en';
const LANGS: Lang[] = ['es', 'pt', 'en'];

/** category → subcategory → phrases per language. */
const CATALOGUE: Record<string, Record<string, Record<Lang, string[]>>> = {
  hardware: {
    printer: {
      es: ['la impresora no imprime', 'atasco de papel en la impresora', 'impresora sin tóner'],
      pt: ['a impressora não imprime', 'papel preso na impressora', 'impressora sem toner'],
      en: ['the printer does not print', 'paper jam in the printer', 'printer out of toner'],
    },
    laptop: {
      es: ['el portátil no enciende', 'la batería del portátil no carga', 'pantalla del portátil rota'],
      pt: ['o notebook não liga', 'a bateria do notebook não carrega', 'tela do notebook quebrada'],
      en: ['laptop does not turn on', 'laptop battery not charging', 'laptop screen cracked'],
    },
  },
  network: {
    vpn: {
      es: ['no conecta la vpn', 'la vpn se desconecta', 'error de vpn al conectar desde casa'],
      pt: ['sem conexão com a vpn', 'a vpn cai toda hora', 'erro na vpn ao conectar de casa'],
      en: ['cannot connect to vpn', 'vpn keeps disconnecting', 'vpn error connecting from home'],
    },
    wifi: {
      es: ['el wifi no funciona', 'señal wifi débil en la sala', 'no hay internet por wifi'],
      pt: ['o wifi não funciona', 'sinal do wifi fraco na sala', 'sem internet no wifi'],
      en: ['wifi not working', 'weak wifi signal in the meeting room', 'no internet over wifi'],
    },
  },
  access: {
    password: {
      es: ['contraseña expirada', 'olvidé mi contraseña', 'restablecer contraseña'],
      pt: ['senha expirada', 'esqueci minha senha', 'redefinir senha'],
      en: ['password expired', 'forgot my password', 'reset my password'],
    },
    permissions: {
      es: ['sin permiso en la carpeta compartida', 'necesito acceso a la carpeta de finanzas', 'acceso denegado'],
      pt: ['sem permissão na pasta compartilhada', 'preciso de acesso à pasta do financeiro', 'acesso negado'],
      en: ['no permission on the shared folder', 'need access to the finance folder', 'access denied'],
    },
  },
};

/** Severity follows how many people are affected, urgency how soon it is needed. */
const SEVERITY_PHRASES: Record<Severity, Record<Lang, string>> = {
  critical: { es: 'toda la empresa parada', pt: 'a empresa inteira parada', en: 'entire company down' },
  high: { es: 'todo mi departamento afectado', pt: 'o departamento inteiro afetado', en: 'whole department affected' },
  medium: { es: 'afecta solo mi puesto', pt: 'afeta apenas meu posto', en: 'affects only my desk' },
  low: { es: 'detalle menor cosmético', pt: 'detalhe menor cosmético', en: 'minor cosmetic detail' },
};
const URGENCY_PHRASES: Record<Urgency, Record<Lang, string>> = {
  high: { es: 'urgente, lo necesito hoy', pt: 'urgente, preciso hoje', en: 'urgent, needed today' },
  medium: { es: 'lo necesito esta semana', pt: 'preciso nesta semana', en: 'needed this week' },
  low: { es: 'sin prisa', pt: 'sem pressa', en: 'no rush' },
};
const FILLERS: Record<Lang, string[]> = {
  es: ['desde esta mañana', 'ayuda por favor', 'en la oficina'],
  pt: ['desde cedo', 'ajuda por favor', 'no escritório'],
  en: ['since this morning', 'help please', 'at the office'],
};

/** A small deterministic PRNG (mulberry32), so every run sees the same tickets. */
function random(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
}

function syntheticTickets(count: number, seed: number): TrainingTicket[] {
  const pick = random(seed);
  return Array.from({ length: count }, () => {
    const categoryId = pick(Object.keys(CATALOGUE));
    const subcategoryId = pick(Object.keys(CATALOGUE[categoryId]));
    const lang = pick(LANGS);
    const severity = pick(['critical', 'high', 'medium', 'low'] as const);
    const urgency = pick(['high', 'medium', 'low'] as const);
    const phrases = CATALOGUE[categoryId][subcategoryId][lang];
    const description = [pick(phrases), SEVERITY_PHRASES[severity][lang], URGENCY_PHRASES[urgency][lang]];
    return {
      title: pick(phrases),
      description: `${description.join('. ')}. ${pick(FILLERS[lang])}`,
      categoryId,
      subcategoryId,
      severity,
      urgency,
    };
  });
}

const PARENT: Record<string, string> = Object.fromEntries(
  Object.entries(CATALOGUE).flatMap(([category, subs]) => Object.keys(subs).map((sub) => [sub, category])),
);

const training = syntheticTickets(1500, 1);
const holdout = syntheticTickets(120, 2);
const model = TriageModel.train(training);

describe('TriageModel', () => {
  it('reaches high accuracy on held-out tickets for every field', () => {
    const report = evaluate(model, holdout);
    expect(report.map((r) => [r.field, r.count])).toEqual([
      ['categoryId', 120],
      ['subcategoryId', 120],
      ['severity', 120],
      ['urgency', 120],
    ]);
    for (const { field, accuracy } of report) expect(accuracy, field).toBeGreaterThanOrEqual(0.9);
  });

  it('suggests a full classification for a new ticket, with confidences in (0, 1]', () => {
    const suggestions = model.suggest('Impresora del piso 3 no imprime', 'Urgente, toda la empresa parada');
    expect(suggestions).toEqual({
      categoryId: { value: 'hardware', confidence: expect.any(Number) },
      subcategoryId: { value: 'printer', confidence: expect.any(Number) },
      severity: { value: 'critical', confidence: expect.any(Number) },
      urgency: { value: 'high', confidence: expect.any(Number) },
    });
    for (const s of Object.values(suggestions)) {
      expect(s!.confidence).toBeGreaterThan(0.5);
      expect(s!.confidence).toBeLessThanOrEqual(1);
    }
  });

  it('is more confident about a clear ticket than an ambiguous one', () => {
    const clear = model.suggest('La VPN se desconecta', 'No conecta la VPN desde casa');
    const ambiguous = model.suggest('Impresora y VPN', '');
    expect(clear.categoryId!.value).toBe('network');
    expect(clear.categoryId!.confidence).toBeGreaterThan(ambiguous.categoryId!.confidence);
  });

  it('weighs title words more than description words', () => {
    expect(model.suggest('impresora no imprime', 'vpn desconecta').categoryId?.value).toBe('hardware');
    expect(model.suggest('vpn desconecta', 'impresora no imprime').categoryId?.value).toBe('network');
  });

  it('suggests nothing for text without a known word', () => {
    expect(model.suggest('Zzyzx qwerty', '')).toEqual({
      categoryId: null,
      subcategoryId: null,
      severity: null,
      urgency: null,
    });
  });

  it('counts the tickets it was trained on', () => {
    expect(model.trainedOn).toBe(1500);
  });
});

describe('TriageModel subcategory', () => {
  it('always suggests a subcategory of the suggested category, no more confident than the category', () => {
    for (const t of holdout) {
      const { categoryId, subcategoryId } = model.suggest(t.title, t.description);
      expect(PARENT[subcategoryId!.value]).toBe(categoryId!.value);
      expect(subcategoryId!.confidence).toBeLessThanOrEqual(categoryId!.confidence);
    }
  });

  /**
   * "shared" occurs in every ticket. Category "big" wins on its prior (21 tickets against 12), while the single
   * subcategory "b1" of "small" beats each of big's two subcategories (11 and 10 tickets) on its own prior.
   */
  const constrained: TrainingTicket[] = [
    ...ticketsOf(11, 'big', 'a1', 'shared alphaone'),
    ...ticketsOf(10, 'big', 'a2', 'shared alphatwo'),
    ...ticketsOf(12, 'small', 'b1', 'shared betaone'),
  ];

  it('picks the subcategory within the suggested category even when another one scores higher overall', () => {
    const words = ticketTokens('shared', '');
    expect(subcategoryModel(constrained).predict(words)!.label).toBe('b1');

    const suggestions = TriageModel.train(constrained).suggest('shared', '');
    expect(suggestions.categoryId!.value).toBe('big');
    expect(suggestions.subcategoryId!.value).toBe('a1');
  });

  it('gives the subcategory P(sub | text) renormalised within the category, times the category confidence', () => {
    const suggestions = TriageModel.train(constrained).suggest('shared', '');
    const subs = subcategoryModel(constrained).posteriors(ticketTokens('shared', ''))!;
    const p = (label: string) => subs.find((s) => s.label === label)!.probability;
    expect(suggestions.subcategoryId!.confidence).toBeCloseTo(
      (p('a1') / (p('a1') + p('a2'))) * suggestions.categoryId!.confidence,
      12,
    );
  });

  it('suggests no subcategory when none of the suggested category was learned', () => {
    const tickets = [
      ...ticketsOf(5, 'network', null, 'vpn desconecta'),
      ...ticketsOf(2, 'network', 'vpn', 'vpn desconecta'),
      ...ticketsOf(5, 'hardware', 'printer', 'impresora atasco'),
    ];
    const suggestions = TriageModel.train(tickets).suggest('vpn desconecta', '');
    expect(suggestions.categoryId!.value).toBe('network');
    expect(suggestions.subcategoryId).toBeNull();
  });
});

describe('TriageModel minExamplesPerLabel', () => {
  const tickets = [
    ...ticketsOf(5, 'hardware', 'printer', 'impresora atasco'),
    ...ticketsOf(2, 'facilities', 'aircon', 'aire acondicionado roto'),
  ];

  it('does not learn labels with fewer than 3 tickets by default', () => {
    const suggestions = TriageModel.train(tickets).suggest('aire acondicionado roto', '');
    expect(suggestions.categoryId).toBeNull();
    expect(suggestions.subcategoryId).toBeNull();
  });

  it('learns them when the minimum is lowered', () => {
    const suggestions = TriageModel.train(tickets, { minExamplesPerLabel: 2 }).suggest('aire acondicionado roto', '');
    expect(suggestions.categoryId?.value).toBe('facilities');
    expect(suggestions.subcategoryId?.value).toBe('aircon');
  });
});

describe('TriageModel JSON', () => {
  it('round-trips through JSON text with identical suggestions', () => {
    const copy = TriageModel.fromJSON(JSON.parse(JSON.stringify(model)));
    expect(copy.trainedOn).toBe(model.trainedOn);
    expect(copy.toJSON()).toEqual(model.toJSON());
    for (const { title, description } of holdout) {
      expect(copy.suggest(title, description)).toEqual(model.suggest(title, description));
    }
  });

  const valid = () => JSON.parse(JSON.stringify(model)) as Record<string, unknown>;
  const garbage: [string, () => unknown, RegExp][] = [
    ['null', () => null, /not an object/],
    ['a string', () => 'model', /not an object/],
    ['another format', () => ({ ...valid(), format: 'other' }), /format/],
    ['a negative trainedOn', () => ({ ...valid(), trainedOn: -1 }), /trainedOn/],
    ['a broken field model', () => ({ ...valid(), category: { format: 'naive-bayes' } }), /category: Invalid naive/],
    ['a missing field model', () => ({ ...valid(), urgency: undefined }), /urgency/],
    ['an unknown severity', () => ({ ...valid(), severity: relabel(valid().severity, 'catastrophic') }), /severity/],
    ['an unknown urgency', () => ({ ...valid(), urgency: relabel(valid().urgency, 'yesterday') }), /urgency/],
    ['subcategoryParents that are not pairs', () => ({ ...valid(), subcategoryParents: [['vpn']] }), /pairs/],
    ['a subcategory without a parent', () => ({ ...valid(), subcategoryParents: [['vpn', 'network']] }), /parent/],
  ];

  it.each(garbage)('rejects %s', (_, json, message) => {
    expect(() => TriageModel.fromJSON(json())).toThrow(/Invalid triage model/);
    expect(() => TriageModel.fromJSON(json())).toThrow(message);
  });
});

describe('evaluate', () => {
  it('skips tickets without a category or subcategory there, and counts a missing suggestion as wrong', () => {
    const report = evaluate(model, [
      {
        title: 'La impresora no imprime',
        description: 'Toda la empresa parada. Urgente, lo necesito hoy',
        categoryId: null,
        subcategoryId: null,
        severity: 'critical',
        urgency: 'high',
      },
      {
        title: 'Zzyzx',
        description: '',
        categoryId: 'hardware',
        subcategoryId: 'printer',
        severity: 'low',
        urgency: 'low',
      },
    ]);
    expect(report).toEqual([
      { field: 'categoryId', accuracy: 0, count: 1 },
      { field: 'subcategoryId', accuracy: 0, count: 1 },
      { field: 'severity', accuracy: 0.5, count: 2 },
      { field: 'urgency', accuracy: 0.5, count: 2 },
    ]);
  });

  it('reports accuracy 0 over no tickets', () => {
    expect(evaluate(model, []).every((r) => r.accuracy === 0 && r.count === 0)).toBe(true);
  });
});

function ticketsOf(n: number, categoryId: string, subcategoryId: string | null, title: string): TrainingTicket[] {
  return Array.from({ length: n }, () => ({
    title,
    description: '',
    categoryId,
    subcategoryId,
    severity: 'medium',
    urgency: 'medium',
  }));
}

/** A naive Bayes model over subcategories alone, trained as TriageModel trains its own (titles only here). */
function subcategoryModel(tickets: TrainingTicket[]) {
  const examples = tickets.map((t) => ({ tokens: ticketTokens(t.title, t.description), label: t.subcategoryId! }));
  return NaiveBayes.train(examples);
}

/** A field model's JSON with its first label renamed. */
function relabel(json: unknown, label: string) {
  const copy = structuredClone(json) as { labels: string[] };
  copy.labels[0] = label;
  return copy;
}
