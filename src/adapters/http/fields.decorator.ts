import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsString, Max, Min, ValidateBy, type ValidationOptions } from 'class-validator';
import { codePointLength, textProblem, type TextRule } from '../../core/shared/text.js';
import { TAG_MAX_LENGTH, TAGS_MAX } from '../../core/tickets/ticket.js';

export interface TextFieldOptions extends TextRule {
  /** Fewest characters (default 1; 0 allows an empty string). */
  min?: number;
}

/** The core's text rule (src/core/shared/text.ts): no lone surrogate, no control character (but tab/CR/LF in multi-line text). */
export const CleanText = (rule: TextRule = {}, options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'cleanText',
      validator: {
        validate: (value) => typeof value !== 'string' || textProblem(value, rule) === null,
        defaultMessage: (args) => `$property ${textProblem(String(args?.value ?? ''), rule) ?? 'is not valid text'}`,
      },
    },
    options,
  );

/** A length in characters as people count them (code points): 100 emoji fit a 100-character field. */
export const CodePointLength = (min: number, max: number, options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'codePointLength',
      validator: {
        validate: (value) => typeof value !== 'string' || (codePointLength(value) >= min && codePointLength(value) <= max),
        defaultMessage: () => (min > 0 ? `$property must be ${min}–${max} characters` : `$property must be at most ${max} characters`),
      },
    },
    options,
  );

/**
 * Every text field of every request DTO uses this: a string under the one text rule, `min`–`max` characters
 * counted in code points. `multiline` admits tab and line breaks (descriptions, comments).
 */
export const TextField = (max: number, options: TextFieldOptions = {}) =>
  applyDecorators(IsString(), CleanText(options), CodePointLength(options.min ?? 1, max));

/** Up to TAGS_MAX non-empty single-line strings of at most TAG_MAX_LENGTH characters. */
export const TagsField = () =>
  applyDecorators(
    IsArray(),
    ArrayMaxSize(TAGS_MAX),
    IsString({ each: true }),
    CleanText({}, { each: true }),
    CodePointLength(1, TAG_MAX_LENGTH, { each: true }),
  );

/** A query-string integer in [min, max]: digits become a number, anything else stays a string and fails IsInt. */
export const IntegerQueryField = (min: number, max: number) =>
  applyDecorators(
    Transform(({ value }) => (/^\d+$/.test(String(value)) ? Number(value) : value)),
    IsInt(),
    Min(min),
    Max(max),
  );
