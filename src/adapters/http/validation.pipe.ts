import { ValidationPipe, type ValidationError } from '@nestjs/common';
import type { FieldError } from '../../core/shared/domain-error.js';

export class RequestValidationError extends Error {
  constructor(readonly errors: FieldError[]) {
    super('Request validation failed');
  }
}

function flatten(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({
      field,
      message: message.startsWith(`property ${e.property} `) ? message.replace(`property ${e.property} `, '') : message,
    }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** Whitelisting DTO validation: unknown fields and wrong types become a 400 naming each field. */
export const requestValidationPipe = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  transformOptions: { enableImplicitConversion: false },
  validationError: { target: false, value: false },
  exceptionFactory: (errors) => new RequestValidationError(flatten(errors)),
});
