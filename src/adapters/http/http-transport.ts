import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { problem, PROBLEM_CONTENT_TYPE } from './problem.js';

/** JSON bodies nest at most this deep (the deepest request DTO, an SLA policy, needs 4). */
export const MAX_JSON_DEPTH = 32;

/** The largest body read, in bytes. */
export const BODY_LIMIT = 1_048_576;

/** A body nested deeper than MAX_JSON_DEPTH: refused before it is parsed, so no later step can recurse into it. */
export class BodyTooDeepError extends Error {
  readonly statusCode = 400;
  readonly code = 'BODY_TOO_DEEP';
  constructor() {
    super(`The JSON body nests deeper than ${MAX_JSON_DEPTH} levels`);
  }
}

/** Whether the JSON text opens more than `max` arrays/objects inside each other. One pass, no recursion. */
export function jsonNestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > max) return true;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      depth--;
    }
  }
  return false;
}

/**
 * Bodies are JSON only. Fastify's default text/plain parser is removed (so any other type is a 415, not a 400 from
 * validating a string), and the JSON parser refuses deep nesting before parsing; the default parser (with its
 * prototype-poisoning protection) does the rest.
 */
export function installJsonBodyParser(fastify: FastifyInstance): void {
  const parseJson = fastify.getDefaultJsonParser('error', 'ignore');
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit: BODY_LIMIT },
    (request: FastifyRequest, body: string | Buffer, done: (error: Error | null, body?: unknown) => void) => {
      const text = typeof body === 'string' ? body : body.toString('utf8');
      if (jsonNestsDeeperThan(text, MAX_JSON_DEPTH)) {
        done(new BodyTooDeepError());
        return;
      }
      parseJson(request, text, done);
    },
  );
}

/**
 * Requests Node's HTTP parser refuses before Fastify sees them (a malformed request line, headers over the size
 * limit) are answered as problem+json like every other error, instead of Fastify's `{error, statusCode}`.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, detail] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'HEADERS_TOO_LARGE', 'The request headers are larger than the server accepts']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'REQUEST_TIMEOUT', 'The request was not received in time']
        : [400, 'BAD_REQUEST', 'The request is not valid HTTP'];
  const body = JSON.stringify(problem(status, code, detail));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Content-Type: ${PROBLEM_CONTENT_TYPE}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
