import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../src/core/shared/domain-error.js';
import { checkText, codePointLength, textProblem } from '../../../src/core/shared/text.js';

describe('the text rule', () => {
  it('counts code points, not UTF-16 units', () => {
    expect(codePointLength('😀'.repeat(50))).toBe(50);
    expect(codePointLength('abc')).toBe(3);
    expect(codePointLength('a\ud800b')).toBe(3);
    expect(codePointLength('')).toBe(0);
  });

  it.each([
    ['a lone high surrogate', 'a\ud800', {}],
    ['a lone low surrogate', '\udc00', {}],
    ['surrogates in the wrong order', '\ude00\ud83d', {}],
    ['NUL', 'a\u0000', { multiline: true }],
    ['a bell', 'a\u0007', {}],
    ['a line feed in single-line text', 'a\nb', {}],
    ['a tab in single-line text', 'a\tb', {}],
    ['a vertical tab', 'a\u000bb', { multiline: true }],
    ['an escape', '\u001b[31m', { multiline: true }],
    ['DEL', 'a\u007f', { multiline: true }],
    ['a C1 control', 'a\u0085', { multiline: true }],
  ])('refuses %s', (_name, text, rule) => {
    expect(textProblem(text, rule)).toEqual(expect.any(String));
  });

  it.each([
    ['emoji', '😀👍🏽', {}],
    ['accents and scripts', 'Ação 東京 עברית', {}],
    ['tab and line breaks in multi-line text', 'a\tb\nc\r\nd', { multiline: true }],
    ['U+FFFD', '\ufffd', {}],
  ])('accepts %s', (_name, text, rule) => {
    expect(textProblem(text, rule)).toBeNull();
  });

  it('checkText trims, applies the rule and the limits, naming the field', () => {
    expect(checkText('title', '  hi  ', { max: 10 })).toBe('hi');
    expect(checkText('title', '😀'.repeat(10), { max: 10 })).toBe('😀'.repeat(10));
    expect(() => checkText('title', '😀'.repeat(11), { max: 10 })).toThrow(InvalidInputError);
    expect(() => checkText('title', '   ', { max: 10 })).toThrow(/title/);
    expect(checkText('description', '', { min: 0, max: 10 })).toBe('');
    expect(() => checkText('title', 'a\ud800', { max: 10 })).toThrow(/Unicode/);
  });
});
