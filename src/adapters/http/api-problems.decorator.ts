import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse } from '@nestjs/swagger';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input (problem+json with `errors`)',
  401: 'Missing or invalid bearer token',
  403: 'Not allowed for this role',
  404: 'Not found, or not visible to the caller',
  409: 'Conflicts with the current state',
  412: 'If-Match does not match the current version',
  413: 'The body is larger than the limit',
  414: 'A path segment is longer than 100 characters',
  415: 'The body is not application/json',
  422: 'Refers to something that cannot be used',
  429: 'Rate limit exceeded (see Retry-After)',
  503: 'A service it needs (PostgreSQL, or Redis for background jobs) is unreachable; retry after Retry-After',
};

export const problemSchema = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'code'],
  properties: {
    type: { type: 'string', format: 'uri' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string' },
    errors: {
      type: 'array',
      items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } },
    },
  },
};

/** The documented problem+json response of one status. */
export const problemResponse = (status: number, description = DESCRIPTIONS[status] ?? 'Error') => ({
  description,
  content: { 'application/problem+json': { schema: problemSchema } },
});

/** Documents the problem+json responses an endpoint can return. Authenticated endpoints add 401, 403 and 429. */
export function ApiProblems(...statuses: number[]) {
  return applyDecorators(...[...new Set(statuses)].map((status) => ApiResponse({ status, ...problemResponse(status) })));
}

/** A deactivated account gets 403 on every authenticated request, so every such endpoint documents it. */
export function ApiAuthenticated(...statuses: number[]) {
  return applyDecorators(ApiBearerAuth(), ApiProblems(401, 403, 429, ...statuses));
}
