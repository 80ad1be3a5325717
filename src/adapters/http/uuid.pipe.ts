import { ParseUUIDPipe } from '@nestjs/common';

/** Path ids must be UUIDs: anything else is a 400, never a database error. */
export const uuid = new ParseUUIDPipe();
