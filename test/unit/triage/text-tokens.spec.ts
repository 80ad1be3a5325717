import { describe, expect, it } from 'vitest';
import { normalize, stem, termCounts, tokens } from '../../../src/core/triage/text-tokens.js';

describe('normalize', () => {
  it('lowercases and strips diacritics in es/pt', () => {
    expect(normalize('Impressão CONTRASEÑA Conexões Güero')).toBe('impressao contrasena conexoes guero');
  });
});

describe('tokens', () => {
  it('folds accents and case, so accented and plain spellings give the same tokens', () => {
    expect(tokens('Impresión')).toEqual(tokens('impresion'));
    expect(tokens('CONTRASEÑA')).toEqual(tokens('contrasena'));
    expect(tokens('Sem conexão')).toEqual(tokens('sem CONEXAO'));
  });

  it('drops stopwords in Spanish, Portuguese and English', () => {
    expect(tokens('La impresora no imprime')).toEqual(['impresor', 'imprim']);
    expect(tokens('Sem conexão com a VPN')).toEqual(['conexa', 'vpn']);
    expect(tokens('The printer is not working')).toEqual(['print', 'work']);
  });

  it('splits on punctuation and symbols, keeping digits', () => {
    expect(tokens('Error 0x80070005: acceso/denegado (juan.perez@empresa.io)')).toEqual([
      'error',
      '0x80070005',
      'acces',
      'deneg',
      'juan',
      'perez',
      'empres',
      'io',
    ]);
  });

  it('splits host names such as PC-4321 into a word and a number', () => {
    expect(tokens('PC-4321 não liga')).toEqual(['pc', '4321', 'lig']);
    expect(tokens('pc 4321')).toEqual(tokens('PC-4321'));
  });

  it('drops 1-character tokens and tokens longer than 40 characters', () => {
    expect(tokens('a b c x 7 ok')).toEqual(['ok']);
    expect(tokens(`impresora ${'A'.repeat(41)} ${'b'.repeat(40)}`)).toEqual(['impresor', 'b'.repeat(40)]);
  });

  it('returns nothing for empty, blank or stopword-only text', () => {
    expect(tokens('')).toEqual([]);
    expect(tokens('  \n\t ')).toEqual([]);
    expect(tokens('no, não, not, the, de, que')).toEqual([]);
  });

  it('keeps repeats in order of appearance', () => {
    expect(tokens('vpn wifi vpn')).toEqual(['vpn', 'wifi', 'vpn']);
  });
});

describe('stem', () => {
  const sameStem: [string, string[]][] = [
    ['singular and plural (es)', ['impresora', 'impresoras']],
    ['singular and plural (pt)', ['impressora', 'impressoras']],
    ['-ão and -ões (pt)', ['conexão', 'conexões']],
    ['-ón and -ones (es)', ['conexión', 'conexiones']],
    ['-or and -ores (es)', ['error', 'errores']],
    ['-y and -ies (en)', ['battery', 'batteries']],
    ['red, redes, rede', ['red', 'redes', 'rede']],
    ['verb forms (es/pt)', ['imprime', 'imprimir', 'imprimiendo', 'imprimindo', 'imprimo']],
    ['verb forms (en)', ['print', 'prints', 'printing', 'printed']],
    ['participles and infinitives', ['conectado', 'conectar', 'conecta', 'conectados']],
    ['expired in three languages', ['expirada', 'expirado', 'expired', 'expirar']],
    ['noun and verb', ['bloqueo', 'bloquear', 'bloqueado']],
    ['pt verb forms', ['liga', 'ligar']],
    ['contraseña', ['contraseña', 'contraseñas']],
  ];

  it.each(sameStem)('merges %s', (_, words) => {
    const stems = words.map((w) => tokens(w)[0]);
    expect(new Set(stems).size).toBe(1);
  });

  it.each(['vpn', 'wifi', 'status', 'access', 'pais', 'win10', 'ipv4', '4321', 'red'])('leaves %s alone', (word) => {
    expect(stem(word)).toBe(word);
  });

  it('never cuts a word below 3 letters', () => {
    for (const word of ['user', 'used', 'vida', 'mando', 'need', 'sair', 'ring', 'cosas', 'redes']) {
      expect(stem(word).length, word).toBeGreaterThanOrEqual(3);
    }
  });

  it('keeps unrelated words apart', () => {
    const stems = ['impresora', 'contraseña', 'conexión', 'pantalla', 'teclado', 'correo'].map((w) => tokens(w)[0]);
    expect(new Set(stems).size).toBe(stems.length);
  });
});

describe('termCounts', () => {
  it('counts each token, after folding and stemming', () => {
    expect(termCounts('Impresora, impresoras; IMPRESORA — la VPN')).toEqual(
      new Map([
        ['impresor', 3],
        ['vpn', 1],
      ]),
    );
  });

  it('is empty for text without tokens', () => {
    expect(termCounts('de la que')).toEqual(new Map());
  });
});
