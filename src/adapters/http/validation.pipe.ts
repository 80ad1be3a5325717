import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import type { FieldError } from '../../core/shared/domain-error.js';

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

/** PostgreSQL text cannot hold U+0000: find it anywhere in the input before it reaches a query. */
function nulCharacters(value: unknown, path: string): FieldError[] {
  if (typeof value === 'string') {
    return value.includes('\u0000') ? [{ field: path || 'value', message: 'must not contain NUL characters' }] : [];
  }
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, v]) => nulCharacters(v, path ? `${path}.${key}` : key));
  }
  return [];
}

/** Whitelisting DTO validation: unknown fields, wrong types and NUL characters become a 400 naming each field. */
class RequestValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const nul = nulCharacters(value, metadata.type === 'param' ? (metadata.data ?? '') : '');
    if (nul.length) throw new RequestValidationError(nul);
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
