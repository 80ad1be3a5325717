import { expect } from 'vitest';
import type { Response } from '../../support/test-app.js';

/** Asserts an RFC 9457 problem+json answer with the given status (and code, when given). */
export function expectProblem(res: Response, status: number, code?: string): void {
  expect(res.status, `${res.status} ${JSON.stringify(res.body)}`).toBe(status);
  expect(String(res.headers['content-type'])).toContain('application/problem+json');
  expect(res.body).toMatchObject({
    type: expect.stringMatching(/^https?:\/\/\S+$/),
    title: expect.any(String),
    status,
    detail: expect.any(String),
    code: code ?? expect.stringMatching(/^[A-Z0-9_]+$/),
  });
}

/** A 400 naming each offending field in `errors[{field, message}]`. */
export function expectInvalid(res: Response, fields: string[], code = 'VALIDATION_FAILED'): void {
  expectProblem(res, 400, code);
  expect(Array.isArray(res.body.errors), JSON.stringify(res.body)).toBe(true);
  for (const error of res.body.errors) expect(error).toEqual({ field: expect.any(String), message: expect.any(String) });
  const named = res.body.errors.map((e: { field: string }) => e.field);
  for (const field of fields) expect(named, JSON.stringify(res.body.errors)).toContain(field);
}
