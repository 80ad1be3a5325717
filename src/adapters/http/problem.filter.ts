import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DomainError, type ErrorKind } from '../../core/shared/domain-error.js';
import { BodyTooDeepError } from './http-transport.js';
import { problem, PROBLEM_CONTENT_TYPE, type Problem } from './problem.js';
import { isRedisUnavailable, isServiceUnavailable } from './service-unavailable.js';
import { RequestValidationError } from './validation.pipe.js';

const STATUS_OF_KIND: Record<ErrorKind, number> = {
  invalid_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  precondition_failed: 412,
  rule_violation: 422,
  rate_limited: 429,
};

const CODE_OF_STATUS: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
};

/** Fastify's own client errors (bad JSON, wrong content type, body too large) carry a statusCode. */
function fastifyClientError(error: unknown): { status: number; message: string } | null {
  const e = error as { statusCode?: unknown; code?: unknown; message?: unknown };
  if (typeof e?.code === 'string' && e.code.startsWith('FST_') && typeof e.statusCode === 'number' && e.statusCode < 500) {
    return { status: e.statusCode, message: String(e.message) };
  }
  return null;
}

function toProblem(error: unknown): Problem {
  if (error instanceof RequestValidationError) {
    return problem(400, 'VALIDATION_FAILED', 'The request is not valid', { errors: error.errors });
  }
  if (error instanceof DomainError) {
    const extra: Record<string, unknown> = { ...error.details };
    if (error.fieldErrors.length) extra.errors = error.fieldErrors;
    return problem(STATUS_OF_KIND[error.kind], error.code, error.message, extra);
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const response = error.getResponse();
    const message =
      typeof response === 'string' ? response : String((response as { message?: unknown }).message ?? error.message);
    return problem(status, CODE_OF_STATUS[status] ?? `HTTP_${status}`, message);
  }
  if (isServiceUnavailable(error)) {
    return problem(503, 'SERVICE_UNAVAILABLE', 'The service is temporarily unable to reach its database; retry shortly');
  }
  if (isRedisUnavailable(error)) {
    return problem(503, 'SERVICE_UNAVAILABLE', 'The service is temporarily unable to reach Redis (background jobs); retry shortly');
  }
  if (error instanceof BodyTooDeepError) return problem(400, error.code, error.message);
  const client = fastifyClientError(error);
  if (client) return problem(client.status, CODE_OF_STATUS[client.status] ?? 'BAD_REQUEST', client.message);
  return problem(500, 'INTERNAL_ERROR', 'An unexpected error occurred; it has been logged');
}

/** The one place errors become HTTP: RFC 9457 problem+json for everything. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(error: unknown, host: ArgumentsHost): void {
    const body = toProblem(error);
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (error instanceof DomainError && typeof error.details.retryAfterSeconds === 'number') {
      reply.header('Retry-After', String(error.details.retryAfterSeconds));
    }
    if (body.status === 503) {
      this.logger.warn(`Database unavailable: ${error instanceof Error ? error.message : String(error)}`);
      reply.header('Retry-After', '1');
    } else if (body.status >= 500) {
      this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    }
    reply.status(body.status).header('Content-Type', PROBLEM_CONTENT_TYPE).send(body);
  }
}
