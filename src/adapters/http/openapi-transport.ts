import type { OpenAPIObject } from '@nestjs/swagger';
import { problemResponse } from './api-problems.decorator.js';

type Responses = Record<string, unknown>;
interface Operation {
  parameters?: { in?: string }[];
  requestBody?: unknown;
  responses: Responses;
}

/**
 * Answers every API operation can give whatever its handler does, added to the document in one place:
 * 400 for a URL Fastify cannot route (bad percent-encoding) or a body that is not JSON, 503 when PostgreSQL or
 * Redis is unreachable; 414 where a path parameter is over 100 characters; 413 and 415 wherever a body can be sent.
 */
export function documentTransportProblems(document: OpenAPIObject): OpenAPIObject {
  for (const [path, item] of Object.entries(document.paths)) {
    if (!path.startsWith('/api/')) continue;
    for (const [method, operation] of Object.entries(item as Record<string, Operation>)) {
      if (!operation || typeof operation !== 'object' || !operation.responses) continue;
      const add = (status: number) => {
        operation.responses[String(status)] ??= problemResponse(status);
      };
      add(400);
      add(503);
      if (operation.parameters?.some((p) => p.in === 'path')) add(414);
      // Fastify reads a body on every method but GET and HEAD, whether or not the handler wants one.
      if (method !== 'get' && method !== 'head') {
        add(413);
        add(415);
      }
      operation.responses = Object.fromEntries(Object.entries(operation.responses).sort(([a], [b]) => a.localeCompare(b)));
    }
  }
  return document;
}
