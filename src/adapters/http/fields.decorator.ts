import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { TAG_MAX_LENGTH, TAGS_MAX } from '../../core/tickets/ticket.js';

/** A non-empty string of at most `max` characters (the core trims and checks again). */
export const TextField = (max: number) => applyDecorators(IsString(), MinLength(1), MaxLength(max));

/** Up to TAGS_MAX non-empty strings of at most TAG_MAX_LENGTH characters. */
export const TagsField = () =>
  applyDecorators(
    IsArray(),
    ArrayMaxSize(TAGS_MAX),
    IsString({ each: true }),
    MinLength(1, { each: true }),
    MaxLength(TAG_MAX_LENGTH, { each: true }),
  );

/** A query-string integer in [min, max]: digits become a number, anything else stays a string and fails IsInt. */
export const IntegerQueryField = (min: number, max: number) =>
  applyDecorators(
    Transform(({ value }) => (/^\d+$/.test(String(value)) ? Number(value) : value)),
    IsInt(),
    Min(min),
    Max(max),
  );
