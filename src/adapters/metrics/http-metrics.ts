import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { UNMATCHED_ROUTE, type PrometheusMetrics } from './prometheus-metrics.js';

/**
 * Counts and times every response from Fastify's onResponse hook. The route label is the template Fastify matched
 * (`/api/v1/tickets/:id`), so no id, query string or other input ever becomes a label value; a request no route
 * matched is `unmatched`.
 */
export function instrumentHttp(fastify: FastifyInstance, metrics: PrometheusMetrics): void {
  fastify.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    const route = (request.is404 ? undefined : request.routeOptions.url) ?? UNMATCHED_ROUTE;
    metrics.observeHttp(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
}
