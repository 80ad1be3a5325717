import { applyDecorators } from '@nestjs/common';
import { ArrayMaxSize, IsArray, IsString, MaxLength, MinLength } from 'class-validator';
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
