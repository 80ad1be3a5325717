import { ValidateIf } from 'class-validator';

/**
 * The field may be left out, but when present it must be valid: unlike `@IsOptional()`, `null` is validated
 * (and so rejected) rather than waved through. Use `@IsOptional()` only for fields where null means "clear".
 */
export const Optional = () => ValidateIf((_object, value) => value !== undefined);
