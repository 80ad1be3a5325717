import type { FastifyCorsOptions } from '@fastify/cors';

/** What a browser may send on a cross-origin call: the bearer token, JSON, and the API's own request headers. */
export const CORS_ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'Idempotency-Key', 'If-Match'];
/** Response headers the API sets that a browser script may read. */
export const CORS_EXPOSED_HEADERS = [
  'ETag',
  'Location',
  'RateLimit-Limit',
  'RateLimit-Remaining',
  'RateLimit-Reset',
  'Retry-After',
  'Idempotent-Replayed',
];
export const CORS_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * CORS through @fastify/cors (Nest's `enableCors` on Fastify). Only the exact origins listed are answered, with
 * their own origin echoed back; any other origin gets no CORS header at all, so the browser refuses the response,
 * and its preflight is not answered. With no origins configured every browser on another origin is refused.
 */
export function corsOptions(origins: readonly string[], allowCredentials: boolean): FastifyCorsOptions {
  const allowed = new Set(origins);
  return {
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin)),
    methods: CORS_METHODS,
    allowedHeaders: CORS_ALLOWED_HEADERS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    credentials: allowCredentials,
    // Browsers cache a preflight answer this long (Chromium caps it at 2 hours).
    maxAge: 600,
  };
}
