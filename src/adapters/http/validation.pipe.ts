import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import type { FieldError } from '../../core/shared/domain-error.js';
import { textProblem } from '../../core/shared/text.js';

export class RequestValidationError extends Error {
  constructor(readonly errors: FieldError[]) {
    super('Request validation failed');
  }
}

function flatten(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/**
 * The text rule's floor for every string anywhere in the input (body, query, path), whatever its DTO says:
 * no lone surrogate and no control character but tab and line breaks (PostgreSQL text cannot even hold U+0000).
 * Each DTO text field applies the full rule through TextField; this catches what a field forgot.
 */
function badText(value: unknown, path: string): FieldError[] {
  if (typeof value === 'string') {
    const problem = textProblem(value, { multiline: true });
    return problem ? [{ field: path || 'value', message: problem }] : [];
  }
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, v]) => badText(v, path ? `${path}.${key}` : key));
  }
  return [];
}

const isClass = (metatype: unknown) => typeof metatype === 'function' && ![String, Number, Boolean, Array, Object].includes(metatype as never);

/**
 * Whitelisting DTO validation: unknown fields, wrong types and bad text become a 400 naming each field. A body
 * read into a DTO must be a JSON object: `null`, an array or a bare value is refused (Nest would read null as {}).
 */
class RequestValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && isClass(metadata.metatype) && value !== undefined) {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw new RequestValidationError([{ field: 'body', message: 'must be a JSON object' }]);
      }
    }
    const bad = badText(value, metadata.type === 'param' ? (metadata.data ?? '') : '');
    if (bad.length) throw new RequestValidationError(bad);
    return super.transform(value, metadata);
  }
}

export const requestValidationPipe = new RequestValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  transformOptions: { enableImplicitConversion: false },
  validationError: { target: false, value: false },
  exceptionFactory: (errors) => new RequestValidationError(flatten(errors)),
});
