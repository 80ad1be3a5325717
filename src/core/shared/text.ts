import { InvalidInputError } from './domain-error.js';

/**
 * The one rule for text anyone sends: well-formed Unicode (no lone UTF-16 surrogate, which no encoding can store)
 * without control characters (C0, DEL, C1), except tab and line breaks in multi-line text (a description, a
 * comment). Lengths count characters as people see them in code points, so an emoji is one character, not two.
 */

// C0 controls other than \t \n \r, DEL and the C1 controls: matching control characters is the point here.
/* eslint-disable no-control-regex */
const CONTROL_SINGLE_LINE = /[\u0000-\u001f\u007f-\u009f]/u;
const CONTROL_MULTI_LINE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/u;
/* eslint-enable no-control-regex */
const LONE_SURROGATE = /\p{Surrogate}/u;

export interface TextRule {
  /** Tab, line feed and carriage return are allowed (descriptions, comments); otherwise no control at all. */
  multiline?: boolean;
}

/** Characters as code points: '😀'.length is 2, codePointLength('😀') is 1. */
export function codePointLength(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    // A high surrogate followed by a low one is one code point.
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}

/** What is wrong with the text under the rule, or null when it is fine. */
export function textProblem(text: string, rule: TextRule = {}): string | null {
  // With the `u` flag a paired surrogate is one code point, so only a lone one matches \p{Surrogate}.
  if (LONE_SURROGATE.test(text)) return 'must be valid Unicode (it contains a lone UTF-16 surrogate)';
  if ((rule.multiline ? CONTROL_MULTI_LINE : CONTROL_SINGLE_LINE).test(text)) {
    return rule.multiline
      ? 'must not contain control characters other than tab and line breaks'
      : 'must not contain control characters';
  }
  return null;
}

/**
 * Trims, applies the rule and checks the length in code points; throws InvalidInputError naming the field.
 * The HTTP layer checks the same rule first (fields.decorator.ts): this is the core's own guard.
 */
export function checkText(field: string, value: string, limits: { min?: number; max: number } & TextRule): string {
  const trimmed = value.trim();
  const problem = textProblem(trimmed, limits);
  if (problem) throw new InvalidInputError(field, problem);
  const length = codePointLength(trimmed);
  const min = limits.min ?? 1;
  if (length < min || length > limits.max) {
    throw new InvalidInputError(field, min > 0 ? `must be ${min}–${limits.max} characters` : `at most ${limits.max} characters`);
  }
  return trimmed;
}
