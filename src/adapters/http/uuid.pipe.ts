import { ParseUUIDPipe } from '@nestjs/common';
import { RequestValidationError } from './validation.pipe.js';

/** Path ids must be UUIDs: anything else is a 400 naming the parameter, never a database error. */
export const uuid = new ParseUUIDPipe({
  exceptionFactory: () => new RequestValidationError([{ field: 'id', message: 'must be a UUID' }]),
});
