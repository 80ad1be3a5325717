import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type Caller, type TestApp } from '../support/test-app.js';
import { expectInvalid, expectProblem } from './support/problem.js';

// Bad input on every endpoint: each case must be a problem+json 4xx, never a 500.

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
type Who = 'admin' | 'agent' | 'alice';

interface Case {
  name: string;
  method: Method;
  /** `:ticket`, `:category` and `:user` are replaced by ids created in beforeAll. */
  url: string;
  as?: Who;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  status: number;
  code?: string;
  /** For 400s: fields that `errors[]` must name. */
  fields?: string[];
}

let t: TestApp;
const callers = {} as Record<Who, Caller>;
let ticketId: string;
let categoryId: string;

beforeAll(async () => {
  t = await startTestApp();
  [callers.admin, callers.agent, callers.alice] = await Promise.all([t.user('admin'), t.user('agent'), t.user('requester', 'alice')]);
  const ticket = await t.request('POST', '/api/v1/tickets', {
    as: callers.alice,
    body: { title: 'Bad input target', description: 'Used by the bad-input cases' },
  });
  expect(ticket.status).toBe(201);
  ticketId = ticket.body.id;
  const category = await t.request('POST', '/api/v1/categories', { as: callers.admin, body: { name: `Bad input ${randomUUID()}` } });
  expect(category.status).toBe(201);
  categoryId = category.body.id;
});
afterAll(() => t?.close());

const unknownId = randomUUID();
const long = (n: number) => 'x'.repeat(n);
const cursorOf = (values: unknown[]) => Buffer.from(JSON.stringify(values)).toString('base64url');

async function run(c: Case) {
  const url = c.url.replace(':ticket', ticketId).replace(':category', categoryId).replace(':user', callers.alice.id);
  const res = await t.request(c.method, url, {
    as: callers[c.as ?? 'admin'],
    body: c.body,
    rawBody: c.rawBody,
    headers: c.headers,
  });
  if (c.fields) expectInvalid(res, c.fields, c.code);
  else expectProblem(res, c.status, c.code);
  expect(res.status).not.toBe(500);
  return res;
}

const table = (cases: Case[]) =>
  it.each(cases.map((c) => [`${c.method} ${c.url.split('?')[0]}: ${c.name} → ${c.status}`, c] as const))('%s', async (_label, c) => {
    await run(c);
  });

const V = 'VALIDATION_FAILED';
const ticket = '/api/v1/tickets/:ticket';
const valid = { title: 'Valid title', description: 'Valid description' };

describe('request bodies every endpoint shares', () => {
  table([
    { name: 'malformed JSON', method: 'POST', url: '/api/v1/tickets', rawBody: '{"title": "x",', status: 400 },
    { name: 'empty JSON body', method: 'POST', url: '/api/v1/tickets', rawBody: '', headers: { 'content-type': 'application/json' }, status: 400 },
    { name: 'prototype pollution', method: 'POST', url: '/api/v1/tickets', rawBody: '{"__proto__": {"admin": true}, "title": "x", "description": "y"}', status: 400 },
    { name: 'a JSON array', method: 'POST', url: '/api/v1/tickets', body: [valid], status: 400, code: V },
    { name: 'JSON null', method: 'POST', url: '/api/v1/tickets', rawBody: 'null', status: 400, code: V, fields: ['body'] },
    { name: 'a JSON string', method: 'POST', url: '/api/v1/tickets', rawBody: '"hello"', status: 400, code: V },
    { name: 'application/xml', method: 'POST', url: '/api/v1/tickets', rawBody: '<ticket/>', headers: { 'content-type': 'application/xml' }, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
    { name: 'form-encoded', method: 'POST', url: '/api/v1/tickets', rawBody: 'title=a&description=b', headers: { 'content-type': 'application/x-www-form-urlencoded' }, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
    { name: 'malformed JSON', method: 'PATCH', url: ticket, rawBody: '{', status: 400 },
    { name: 'malformed JSON', method: 'PATCH', url: `${ticket}/status`, rawBody: '{status}', status: 400 },
    { name: 'malformed JSON', method: 'PUT', url: `${ticket}/assignee`, rawBody: '[1,', status: 400 },
    { name: 'malformed JSON', method: 'POST', url: `${ticket}/comments`, rawBody: "{'body': 'single quotes'}", status: 400 },
    { name: 'malformed JSON', method: 'POST', url: '/api/v1/categories', rawBody: '{"name":}', status: 400 },
    { name: 'malformed JSON', method: 'PATCH', url: '/api/v1/categories/:category', rawBody: '{"name"', status: 400 },
    { name: 'malformed JSON', method: 'PATCH', url: '/api/v1/users/:user', rawBody: 'tru', status: 400 },
    { name: 'malformed JSON', method: 'POST', url: '/api/v1/auth/register', rawBody: '{"email": ', status: 400 },
    { name: 'malformed JSON', method: 'POST', url: '/api/v1/auth/login', rawBody: '{"email" "a"}', status: 400 },
  ]);

  it('answers a text/plain body with a 400 or 415, never a 500', async () => {
    const res = await t.request('POST', '/api/v1/tickets', {
      as: callers.alice,
      rawBody: JSON.stringify(valid),
      headers: { 'content-type': 'text/plain' },
    });
    expect([400, 415]).toContain(res.status);
    expectProblem(res, res.status);
  });

  it('refuses a body over 1 MB with 413', async () => {
    const res = await t.request('POST', '/api/v1/tickets', {
      as: callers.alice,
      body: { title: 'Huge', description: long(1_100_000) },
    });
    expectProblem(res, 413, 'PAYLOAD_TOO_LARGE');
    const comment = await t.request('POST', `/api/v1/tickets/${ticketId}/comments`, {
      as: callers.alice,
      body: { body: long(1_048_577) },
    });
    expectProblem(comment, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('accepts a body just under the limit as far as parsing goes (then validates it)', async () => {
    const res = await t.request('POST', '/api/v1/tickets', {
      as: callers.alice,
      body: { title: 'Big', description: long(1_000_000) },
    });
    expectInvalid(res, ['description']);
  });
});

describe('POST /tickets', () => {
  const url = '/api/v1/tickets';
  table([
    { name: 'unknown field', method: 'POST', url, body: { ...valid, owner: 'me' }, status: 400, fields: ['owner'] },
    { name: 'missing title and description', method: 'POST', url, body: {}, status: 400, fields: ['title', 'description'] },
    { name: 'title is a number', method: 'POST', url, body: { ...valid, title: 42 }, status: 400, fields: ['title'] },
    { name: 'description is an object', method: 'POST', url, body: { ...valid, description: { text: 'x' } }, status: 400, fields: ['description'] },
    { name: 'empty title', method: 'POST', url, body: { ...valid, title: '' }, status: 400, fields: ['title'] },
    { name: 'whitespace title', method: 'POST', url, body: { ...valid, title: '   ' }, status: 400, code: 'INVALID_INPUT', fields: ['title'] },
    { name: 'title of 201 characters', method: 'POST', url, body: { ...valid, title: long(201) }, status: 400, fields: ['title'] },
    { name: 'description of 20001 characters', method: 'POST', url, body: { ...valid, description: long(20_001) }, status: 400, fields: ['description'] },
    { name: 'tags not an array', method: 'POST', url, body: { ...valid, tags: 'vpn' }, status: 400, fields: ['tags'] },
    { name: 'tags of numbers', method: 'POST', url, body: { ...valid, tags: [1, 2] }, status: 400, fields: ['tags'] },
    { name: '21 tags', method: 'POST', url, body: { ...valid, tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, status: 400, fields: ['tags'] },
    { name: 'a tag of 51 characters', method: 'POST', url, body: { ...valid, tags: [long(51)] }, status: 400, fields: ['tags'] },
    { name: 'an empty tag', method: 'POST', url, body: { ...valid, tags: [''] }, status: 400, fields: ['tags'] },
    { name: 'severity out of the enum', method: 'POST', url, body: { ...valid, severity: 'catastrophic' }, status: 400, fields: ['severity'] },
    { name: 'urgency out of the enum', method: 'POST', url, body: { ...valid, urgency: 'yesterday' }, status: 400, fields: ['urgency'] },
    { name: 'priority out of the enum', method: 'POST', url, as: 'agent', body: { ...valid, priority: 'urgent' }, status: 400, fields: ['priority'] },
    { name: 'categoryId not a UUID', method: 'POST', url, body: { ...valid, categoryId: 'network' }, status: 400, fields: ['categoryId'] },
    { name: 'subcategoryId a number', method: 'POST', url, body: { ...valid, subcategoryId: 7 }, status: 400, fields: ['subcategoryId'] },
    { name: 'requesterId not a UUID', method: 'POST', url, as: 'agent', body: { ...valid, requesterId: 'alice' }, status: 400, fields: ['requesterId'] },
    { name: 'several wrong fields at once', method: 'POST', url, body: { title: 1, description: false, severity: 'x', extra: 1 }, status: 400, fields: ['title', 'description', 'severity', 'extra'] },
    { name: 'unknown category', method: 'POST', url, body: { ...valid, categoryId: unknownId }, status: 422, code: 'INVALID_REFERENCE' },
    { name: 'unknown requester', method: 'POST', url, as: 'agent', body: { ...valid, requesterId: unknownId }, status: 422, code: 'INVALID_REFERENCE' },
    { name: 'Idempotency-Key with a space', method: 'POST', url, body: valid, headers: { 'idempotency-key': 'two words' }, status: 400, code: 'INVALID_INPUT', fields: ['Idempotency-Key'] },
    { name: 'Idempotency-Key of 201 characters', method: 'POST', url, body: valid, headers: { 'idempotency-key': long(201) }, status: 400, code: 'INVALID_INPUT', fields: ['Idempotency-Key'] },
    { name: 'empty Idempotency-Key', method: 'POST', url, body: valid, headers: { 'idempotency-key': '' }, status: 400, code: 'INVALID_INPUT', fields: ['Idempotency-Key'] },
  ]);
});

describe('GET /tickets', () => {
  const list = '/api/v1/tickets';
  table([
    { name: 'unknown query parameter', method: 'GET', url: `${list}?owner=me`, status: 400, fields: ['owner'] },
    { name: 'limit=0', method: 'GET', url: `${list}?limit=0`, status: 400, fields: ['limit'] },
    { name: 'limit=101', method: 'GET', url: `${list}?limit=101`, status: 400, fields: ['limit'] },
    { name: 'limit=-1', method: 'GET', url: `${list}?limit=-1`, status: 400, fields: ['limit'] },
    { name: 'limit=abc', method: 'GET', url: `${list}?limit=abc`, status: 400, fields: ['limit'] },
    { name: 'limit=2.5', method: 'GET', url: `${list}?limit=2.5`, status: 400, fields: ['limit'] },
    { name: 'limit=1e2', method: 'GET', url: `${list}?limit=1e2`, status: 400, fields: ['limit'] },
    { name: 'limit repeated', method: 'GET', url: `${list}?limit=2&limit=3`, status: 400, fields: ['limit'] },
    { name: 'sort=title', method: 'GET', url: `${list}?sort=title`, status: 400, fields: ['sort'] },
    { name: 'sort=+createdAt', method: 'GET', url: `${list}?sort=%2BcreatedAt`, status: 400, fields: ['sort'] },
    { name: 'status=bogus', method: 'GET', url: `${list}?status=bogus`, status: 400, fields: ['status'] },
    { name: 'status=open,bogus', method: 'GET', url: `${list}?status=open,bogus`, status: 400, fields: ['status'] },
    { name: 'status repeated with a bad one', method: 'GET', url: `${list}?status=open&status=Closed`, status: 400, fields: ['status'] },
    { name: 'priority=urgent', method: 'GET', url: `${list}?priority=urgent`, status: 400, fields: ['priority'] },
    { name: 'severity=extreme', method: 'GET', url: `${list}?severity=extreme`, status: 400, fields: ['severity'] },
    { name: 'categoryId not a UUID', method: 'GET', url: `${list}?categoryId=network`, status: 400, fields: ['categoryId'] },
    { name: 'assigneeId neither UUID nor none', method: 'GET', url: `${list}?assigneeId=nobody`, status: 400, fields: ['assigneeId'] },
    { name: 'requesterId not a UUID', method: 'GET', url: `${list}?requesterId=me`, status: 400, fields: ['requesterId'] },
    { name: 'tag of 51 characters', method: 'GET', url: `${list}?tag=${long(51)}`, status: 400, fields: ['tag'] },
    { name: 'tag repeated', method: 'GET', url: `${list}?tag=a&tag=b`, status: 400, fields: ['tag'] },
    { name: 'q of 201 characters', method: 'GET', url: `${list}?q=${long(201)}`, status: 400, fields: ['q'] },
    { name: 'createdFrom=yesterday', method: 'GET', url: `${list}?createdFrom=yesterday`, status: 400, fields: ['createdFrom'] },
    { name: 'createdFrom=2024-02-30', method: 'GET', url: `${list}?createdFrom=2024-02-30`, status: 400, fields: ['createdFrom'] },
    { name: 'createdTo=2024-13-01', method: 'GET', url: `${list}?createdTo=2024-13-01`, status: 400, fields: ['createdTo'] },
    { name: 'createdTo as epoch millis', method: 'GET', url: `${list}?createdTo=1700000000000`, status: 400, fields: ['createdTo'] },
    { name: 'createdFrom with a bad offset', method: 'GET', url: `${list}?createdFrom=2024-01-01T00:00:00%2B25:00`, status: 400, fields: ['createdFrom'] },
    { name: 'includeTotal=yes', method: 'GET', url: `${list}?includeTotal=yes`, status: 400, fields: ['includeTotal'] },
    { name: 'cursor that is not base64 JSON', method: 'GET', url: `${list}?cursor=not-a-cursor`, status: 400, code: 'INVALID_INPUT', fields: ['cursor'] },
    { name: 'cursor of the wrong arity', method: 'GET', url: `${list}?cursor=${cursorOf(['createdAt:desc'])}`, status: 400, code: 'INVALID_INPUT', fields: ['cursor'] },
    { name: 'cursor of 501 characters', method: 'GET', url: `${list}?cursor=${long(501)}`, status: 400, fields: ['cursor'] },
  ]);

  it('refuses a cursor issued for another sort order', async () => {
    await Promise.all(
      [1, 2].map(() => t.request('POST', '/api/v1/tickets', { as: callers.alice, body: { ...valid, title: 'Cursor filler' } })),
    );
    const first = await t.request('GET', '/api/v1/tickets?sort=createdAt&limit=1', { as: callers.alice });
    expect(first.status).toBe(200);
    const cursor = first.body.nextCursor as string;
    expect(cursor).toEqual(expect.any(String));
    expect((await t.request('GET', `/api/v1/tickets?sort=createdAt&limit=1&cursor=${cursor}`, { as: callers.alice })).status).toBe(200);
    for (const sort of ['-createdAt', 'updatedAt', 'priority', '-priority']) {
      const res = await t.request('GET', `/api/v1/tickets?sort=${sort}&limit=1&cursor=${cursor}`, { as: callers.alice });
      expectInvalid(res, ['cursor'], 'INVALID_INPUT');
    }
    // The default sort is -createdAt: a createdAt cursor does not fit it either.
    expectInvalid(await t.request('GET', `/api/v1/tickets?cursor=${cursor}`, { as: callers.alice }), ['cursor'], 'INVALID_INPUT');
  });

  // Regression (fixed): a cursor with the right sort signature but values that are not a timestamp/rank/uuid reaches
  // PostgreSQL as a failing cast and answers 500 (src/adapters/persistence/sql-ticket.queries.ts).
  it('refuses a forged cursor whose values do not fit the sort key with 400, not 500', async () => {
    for (const [sort, values] of [
      ['-createdAt', ['createdAt:desc', 'not a timestamp', randomUUID()]],
      ['-createdAt', ['createdAt:desc', '2024-01-01 00:00:00+00', 'not-a-uuid']],
      ['priority', ['priority:asc', 99_999_999, randomUUID()]],
      ['updatedAt', ['updatedAt:asc', { $gt: 1 }, randomUUID()]],
    ] as const) {
      const res = await t.request('GET', `/api/v1/tickets?sort=${sort}&cursor=${cursorOf([...values])}`, { as: callers.agent });
      expectInvalid(res, ['cursor'], 'INVALID_INPUT');
    }
  });

  it('treats SQL and tsquery syntax in q and tag as plain text', async () => {
    for (const q of ["' OR 1=1 --", '!!&&||', ':*', '"unbalanced', '(a', '\\', '%_']) {
      const res = await t.request('GET', `/api/v1/tickets?q=${encodeURIComponent(q)}&tag=${encodeURIComponent(q)}`, { as: callers.agent });
      expect(res.status, q).toBe(200);
      expect(res.body.items).toEqual([]);
    }
  });
});

describe('tickets/{id} routes', () => {
  const badIds = ['abc', '123', `${randomUUID()}x`, "1' OR '1'='1"];
  const routes: [Method, string, unknown][] = [
    ['GET', '', undefined],
    ['PATCH', '', { title: 'x' }],
    ['DELETE', '', undefined],
    ['POST', '/restore', undefined],
    ['PATCH', '/status', { status: 'open' }],
    ['PUT', '/assignee', { assigneeId: null }],
    ['GET', '/comments', undefined],
    ['POST', '/comments', { body: 'hello' }],
    ['GET', '/activity', undefined],
  ];

  it.each(routes)('%s /tickets/{id}%s: a non-UUID id is 400 and an unknown UUID is 404', async (method, suffix, body) => {
    for (const id of badIds) {
      const res = await t.request(method, `/api/v1/tickets/${encodeURIComponent(id)}${suffix}`, { as: callers.admin, body });
      expectProblem(res, 400);
    }
    expectProblem(await t.request(method, `/api/v1/tickets/${unknownId}${suffix}`, { as: callers.admin, body }), 404, 'TICKET_NOT_FOUND');
  });

  // The documented 400 (OpenAPI: "Invalid input (problem+json with `errors`)") names the offending field;
  // ParseUUIDPipe's BadRequestException answers code BAD_REQUEST without `errors` (src/adapters/http/uuid.pipe.ts).
  it('names the path parameter in errors[] when the id is not a UUID', async () => {
    const res = await t.request('GET', '/api/v1/tickets/abc', { as: callers.admin });
    expectInvalid(res, ['id'], res.body.code);
  });

  table([
    { name: 'unknown field', method: 'PATCH', url: ticket, body: { status: 'closed' }, status: 400, fields: ['status'] },
    { name: 'title is a number', method: 'PATCH', url: ticket, body: { title: 1 }, status: 400, fields: ['title'] },
    { name: 'title of 201 characters', method: 'PATCH', url: ticket, body: { title: long(201) }, status: 400, fields: ['title'] },
    { name: 'description of 20001 characters', method: 'PATCH', url: ticket, body: { description: long(20_001) }, status: 400, fields: ['description'] },
    { name: 'tags not an array', method: 'PATCH', url: ticket, body: { tags: { a: 1 } }, status: 400, fields: ['tags'] },
    { name: '21 tags', method: 'PATCH', url: ticket, body: { tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, status: 400, fields: ['tags'] },
    { name: 'a tag of 51 characters', method: 'PATCH', url: ticket, body: { tags: ['ok', long(51)] }, status: 400, fields: ['tags'] },
    { name: 'severity out of the enum', method: 'PATCH', url: ticket, body: { severity: 'HIGH' }, status: 400, fields: ['severity'] },
    { name: 'priority out of the enum', method: 'PATCH', url: ticket, body: { priority: 'p1' }, status: 400, fields: ['priority'] },
    { name: 'subcategoryId not a UUID', method: 'PATCH', url: ticket, body: { subcategoryId: 'printers' }, status: 400, fields: ['subcategoryId'] },
    { name: 'If-Match without quotes', method: 'PATCH', url: ticket, body: { title: 'x' }, headers: { 'if-match': '1' }, status: 400, code: 'INVALID_INPUT', fields: ['If-Match'] },
    { name: 'If-Match not a number', method: 'PATCH', url: ticket, body: { title: 'x' }, headers: { 'if-match': '"abc"' }, status: 400, code: 'INVALID_INPUT', fields: ['If-Match'] },
    { name: 'If-Match of 10 digits', method: 'PATCH', url: ticket, body: { title: 'x' }, headers: { 'if-match': '"1234567890"' }, status: 400, code: 'INVALID_INPUT', fields: ['If-Match'] },
    { name: 'If-Match list', method: 'PATCH', url: ticket, body: { title: 'x' }, headers: { 'if-match': '"1", "2"' }, status: 400, code: 'INVALID_INPUT', fields: ['If-Match'] },
    { name: 'If-Match stale', method: 'PATCH', url: ticket, body: { title: 'x' }, headers: { 'if-match': '"999"' }, status: 412, code: 'VERSION_MISMATCH' },
    { name: 'unknown category', method: 'PATCH', url: ticket, body: { categoryId: unknownId }, status: 422, code: 'INVALID_REFERENCE' },

    { name: 'missing status', method: 'PATCH', url: `${ticket}/status`, body: {}, status: 400, fields: ['status'] },
    { name: 'status out of the enum', method: 'PATCH', url: `${ticket}/status`, body: { status: 'done' }, status: 400, fields: ['status'] },
    { name: 'status is a number', method: 'PATCH', url: `${ticket}/status`, body: { status: 1 }, status: 400, fields: ['status'] },
    { name: 'comment is a boolean', method: 'PATCH', url: `${ticket}/status`, body: { status: 'open', comment: true }, status: 400, fields: ['comment'] },
    { name: 'comment of 20001 characters', method: 'PATCH', url: `${ticket}/status`, body: { status: 'open', comment: long(20_001) }, status: 400, fields: ['comment'] },
    { name: 'unknown field', method: 'PATCH', url: `${ticket}/status`, body: { status: 'open', reason: 'x' }, status: 400, fields: ['reason'] },
    { name: 'bad If-Match', method: 'PATCH', url: `${ticket}/status`, body: { status: 'open' }, headers: { 'if-match': 'W/1' }, status: 400, code: 'INVALID_INPUT', fields: ['If-Match'] },

    { name: 'missing assigneeId', method: 'PUT', url: `${ticket}/assignee`, body: {}, status: 400, fields: ['assigneeId'] },
    { name: 'assigneeId not a UUID', method: 'PUT', url: `${ticket}/assignee`, body: { assigneeId: 'bob' }, status: 400, fields: ['assigneeId'] },
    { name: 'assigneeId a number', method: 'PUT', url: `${ticket}/assignee`, body: { assigneeId: 5 }, status: 400, fields: ['assigneeId'] },
    { name: 'unknown field', method: 'PUT', url: `${ticket}/assignee`, body: { assigneeId: null, group: 'x' }, status: 400, fields: ['group'] },
    { name: 'bad If-Match', method: 'PUT', url: `${ticket}/assignee`, body: { assigneeId: null }, headers: { 'if-match': 'v1' }, status: 400, code: 'INVALID_INPUT', fields: ['If-Match'] },
    { name: 'unknown assignee', method: 'PUT', url: `${ticket}/assignee`, body: { assigneeId: unknownId }, status: 422, code: 'INVALID_REFERENCE' },

    { name: 'missing body', method: 'POST', url: `${ticket}/comments`, body: {}, status: 400, fields: ['body'] },
    { name: 'body is a number', method: 'POST', url: `${ticket}/comments`, body: { body: 1 }, status: 400, fields: ['body'] },
    { name: 'empty body', method: 'POST', url: `${ticket}/comments`, body: { body: '' }, status: 400, fields: ['body'] },
    { name: 'whitespace body', method: 'POST', url: `${ticket}/comments`, body: { body: '  \n ' }, status: 400, code: 'INVALID_INPUT', fields: ['body'] },
    { name: 'body of 20001 characters', method: 'POST', url: `${ticket}/comments`, body: { body: long(20_001) }, status: 400, fields: ['body'] },
    { name: 'internal is a string', method: 'POST', url: `${ticket}/comments`, body: { body: 'x', internal: 'yes' }, status: 400, fields: ['internal'] },
    { name: 'unknown field', method: 'POST', url: `${ticket}/comments`, body: { body: 'x', author: 'me' }, status: 400, fields: ['author'] },
  ]);

  it('leaves the ticket untouched after all of that', async () => {
    const res = await t.request('GET', `/api/v1/tickets/${ticketId}`, { as: callers.alice });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ title: 'Bad input target', status: 'new', version: 1, assigneeId: null });
    const comments = await t.request('GET', `/api/v1/tickets/${ticketId}/comments`, { as: callers.alice });
    expect(comments.body).toEqual([]);
  });
});

describe('null where a value is required (PATCH semantics)', () => {
  // Regression (fixed): @IsOptional() lets null through for fields that are not nullable; the core then calls
  // `.trim()` on null (or stores null) and the request answers 500 (src/adapters/http/tickets/ticket.request.dto.ts,
  // src/adapters/http/categories/category.dto.ts).
  it.each([
    ['PATCH', ticket, { title: null }, 'title'],
    ['PATCH', ticket, { description: null }, 'description'],
    ['PATCH', ticket, { tags: null }, 'tags'],
    ['PATCH', ticket, { severity: null }, 'severity'],
    ['PATCH', ticket, { urgency: null }, 'urgency'],
    ['PATCH', `${ticket}/status`, { status: 'open', comment: null }, 'comment'],
    ['PATCH', '/api/v1/categories/:category', { name: null }, 'name'],
  ] as const)('%s %s %j → 400', async (method, url, body, field) => {
    const res = await run({ name: 'null', method, url, body, status: 400, fields: [field] });
    expect(res.status).toBe(400);
  });
});

describe('null on create', () => {
  // Regression (fixed): `priority` is not nullable on create (OpenAPI), yet `"priority": null` from staff passes @IsOptional() and
  // Ticket.open() records a priority override (`input.priority !== undefined`) with the matrix value
  // (src/adapters/http/tickets/ticket.request.dto.ts CreateTicketRequest.priority, src/core/tickets/ticket.ts).
  it('treats "priority": null on POST /tickets as absent (or refuses it), never as an override', async () => {
    const res = await t.request('POST', '/api/v1/tickets', { as: callers.agent, body: { ...valid, priority: null } });
    expect(res.status).not.toBe(500);
    if (res.status === 201) expect(res.body.priorityReason).toEqual({ source: 'matrix', severity: 'medium', urgency: 'medium' });
    else expectInvalid(res, ['priority']);
  });
});

describe('NUL characters in text', () => {
  // Regression (fixed): PostgreSQL text cannot hold U+0000; every text input reaches the database as is and fails with
  // 22021 (invalid byte sequence), answering 500.
  table([
    { name: 'NUL in title', method: 'POST', url: '/api/v1/tickets', as: 'alice', body: { title: 'a\u0000b', description: 'x' }, status: 400, fields: ['title'] },
    { name: 'NUL in description', method: 'PATCH', url: ticket, as: 'alice', body: { description: 'a\u0000b' }, status: 400, fields: ['description'] },
    { name: 'NUL in a tag', method: 'PATCH', url: ticket, as: 'alice', body: { tags: ['a\u0000'] }, status: 400, fields: ['tags.0'] },
    { name: 'NUL in a comment', method: 'POST', url: `${ticket}/comments`, as: 'alice', body: { body: 'a\u0000b' }, status: 400, fields: ['body'] },
    { name: 'NUL in a category name', method: 'POST', url: '/api/v1/categories', body: { name: 'a\u0000b' }, status: 400, fields: ['name'] },
    { name: 'NUL in q', method: 'GET', url: '/api/v1/tickets?q=a%00b', status: 400, fields: ['q'] },
    { name: 'NUL in tag', method: 'GET', url: '/api/v1/tickets?tag=a%00b', status: 400, fields: ['tag'] },
    { name: 'NUL in users q', method: 'GET', url: '/api/v1/users?q=a%00b', status: 400, fields: ['q'] },
  ]);
});

describe('categories', () => {
  const url = '/api/v1/categories';
  table([
    { name: 'missing name', method: 'POST', url, body: {}, status: 400, fields: ['name'] },
    { name: 'name is a number', method: 'POST', url, body: { name: 5 }, status: 400, fields: ['name'] },
    { name: 'empty name', method: 'POST', url, body: { name: '' }, status: 400, fields: ['name'] },
    { name: 'whitespace name', method: 'POST', url, body: { name: '   ' }, status: 400, code: 'INVALID_INPUT', fields: ['name'] },
    { name: 'name of 101 characters', method: 'POST', url, body: { name: long(101) }, status: 400, fields: ['name'] },
    { name: 'parentId not a UUID', method: 'POST', url, body: { name: 'x', parentId: 'root' }, status: 400, fields: ['parentId'] },
    { name: 'unknown field', method: 'POST', url, body: { name: 'x', color: 'red' }, status: 400, fields: ['color'] },
    { name: 'unknown parent', method: 'POST', url, body: { name: `Orphan ${randomUUID()}`, parentId: unknownId }, status: 422, code: 'CATEGORY_TREE_INVALID' },
    { name: 'non-UUID id', method: 'PATCH', url: `${url}/network`, body: { name: 'x' }, status: 400 },
    { name: 'unknown id', method: 'PATCH', url: `${url}/${unknownId}`, body: { name: 'x' }, status: 404, code: 'CATEGORY_NOT_FOUND' },
    { name: 'name of 101 characters', method: 'PATCH', url: `${url}/:category`, body: { name: long(101) }, status: 400, fields: ['name'] },
    { name: 'unknown field', method: 'PATCH', url: `${url}/:category`, body: { icon: 'x' }, status: 400, fields: ['icon'] },
    { name: 'parentId a number', method: 'PATCH', url: `${url}/:category`, body: { parentId: 1 }, status: 400, fields: ['parentId'] },
    { name: 'non-UUID id', method: 'DELETE', url: `${url}/1`, status: 400 },
    { name: 'unknown id', method: 'DELETE', url: `${url}/${unknownId}`, status: 404, code: 'CATEGORY_NOT_FOUND' },
  ]);

  it('refuses a category as its own parent with 422', async () => {
    const res = await t.request('PATCH', `/api/v1/categories/${categoryId}`, { as: callers.admin, body: { parentId: categoryId } });
    expectProblem(res, 422, 'CATEGORY_TREE_INVALID');
    expect(res.body.errors).toEqual([{ field: 'parentId', message: expect.any(String) }]);
  });

  it('ignores query parameters on GET /categories', async () => {
    const res = await t.request('GET', '/api/v1/categories?limit=abc', { as: callers.alice });
    expect(res.status).toBe(200);
  });
});

describe('users', () => {
  const url = '/api/v1/users';
  table([
    { name: 'unknown query parameter', method: 'GET', url: `${url}?sort=name`, status: 400, fields: ['sort'] },
    { name: 'role=boss', method: 'GET', url: `${url}?role=boss`, status: 400, fields: ['role'] },
    { name: 'active=yes', method: 'GET', url: `${url}?active=yes`, status: 400, fields: ['active'] },
    { name: 'limit=0', method: 'GET', url: `${url}?limit=0`, status: 400, fields: ['limit'] },
    { name: 'limit=1000', method: 'GET', url: `${url}?limit=1000`, status: 400, fields: ['limit'] },
    { name: 'limit=ten', method: 'GET', url: `${url}?limit=ten`, status: 400, fields: ['limit'] },
    { name: 'q of 101 characters', method: 'GET', url: `${url}?q=${long(101)}`, status: 400, fields: ['q'] },
    { name: 'cursor that is not base64 JSON', method: 'GET', url: `${url}?cursor=%%%`, status: 400 },
    { name: 'cursor of the tickets list', method: 'GET', url: `${url}?cursor=${cursorOf(['createdAt:desc', '2024-01-01 00:00:00+00', randomUUID()])}`, status: 400, code: 'INVALID_INPUT', fields: ['cursor'] },
    { name: 'non-UUID id', method: 'GET', url: `${url}/me`, status: 400 },
    { name: 'unknown id', method: 'GET', url: `${url}/${unknownId}`, status: 404, code: 'USER_NOT_FOUND' },
    { name: 'non-UUID id', method: 'PATCH', url: `${url}/me`, body: { active: false }, status: 400 },
    { name: 'unknown id', method: 'PATCH', url: `${url}/${unknownId}`, body: { active: false }, status: 404, code: 'USER_NOT_FOUND' },
    { name: 'role out of the enum', method: 'PATCH', url: `${url}/:user`, body: { role: 'superuser' }, status: 400, fields: ['role'] },
    { name: 'active as a string', method: 'PATCH', url: `${url}/:user`, body: { active: 'false' }, status: 400, fields: ['active'] },
    { name: 'unknown field', method: 'PATCH', url: `${url}/:user`, body: { email: 'x@example.com' }, status: 400, fields: ['email'] },
  ]);

  // Regression (fixed): a base64 JSON cursor of two values whose second is not a UUID answers 500
  // (src/adapters/persistence/typeorm-user.repository.ts list(): `$n::uuid` cast of an unchecked value).
  it('refuses a forged users cursor with 400, not 500', async () => {
    const res = await t.request('GET', `${url}?cursor=${cursorOf(['Alice', 'not-a-uuid'])}`, { as: callers.admin });
    expectInvalid(res, ['cursor'], 'INVALID_INPUT');
  });

  it('did not change alice', async () => {
    const res = await t.request('GET', `/api/v1/users/${callers.alice.id}`, { as: callers.admin });
    expect(res.body).toMatchObject({ role: 'requester', active: true });
  });
});

describe('auth/register and auth/login bodies', () => {
  const register = '/api/v1/auth/register';
  const login = '/api/v1/auth/login';
  const account = { email: 'ana@example.com', password: 'correct horse battery', name: 'Ana' };
  table([
    { name: 'empty body', method: 'POST', url: register, body: {}, status: 400, fields: ['email', 'password', 'name'] },
    { name: 'invalid email', method: 'POST', url: register, body: { ...account, email: 'not-an-email' }, status: 400, fields: ['email'] },
    { name: 'email is a number', method: 'POST', url: register, body: { ...account, email: 1 }, status: 400, fields: ['email'] },
    { name: 'email over 254 characters', method: 'POST', url: register, body: { ...account, email: `${long(250)}@example.com` }, status: 400, fields: ['email'] },
    { name: 'password of 11 characters', method: 'POST', url: register, body: { ...account, password: long(11) }, status: 400, fields: ['password'] },
    { name: 'password of 201 characters', method: 'POST', url: register, body: { ...account, password: long(201) }, status: 400, fields: ['password'] },
    { name: 'name of 101 characters', method: 'POST', url: register, body: { ...account, name: long(101) }, status: 400, fields: ['name'] },
    { name: 'role smuggled in', method: 'POST', url: register, body: { ...account, role: 'admin' }, status: 400, fields: ['role'] },
    { name: 'empty body', method: 'POST', url: login, body: {}, status: 400, fields: ['email', 'password'] },
    { name: 'invalid email', method: 'POST', url: login, body: { email: 'ana', password: 'x' }, status: 400, fields: ['email'] },
    { name: 'empty password', method: 'POST', url: login, body: { email: 'ana@example.com', password: '' }, status: 400, fields: ['password'] },
    { name: 'password is an array', method: 'POST', url: login, body: { email: 'ana@example.com', password: ['x'] }, status: 400, fields: ['password'] },
    { name: 'unknown field', method: 'POST', url: login, body: { email: 'ana@example.com', password: 'x', remember: true }, status: 400, fields: ['remember'] },
  ]);

  it('answers a valid body with 404 in enterprise mode (local accounts are off)', async () => {
    expectProblem(await t.request('POST', register, { body: account }), 404);
    expectProblem(await t.request('POST', login, { body: { email: account.email, password: account.password } }), 404);
  });
});

describe('unknown routes and methods', () => {
  table([
    { name: 'unknown route', method: 'GET', url: '/api/v1/nothing-here', status: 404 },
    { name: 'unsupported method', method: 'PUT', url: '/api/v1/tickets', body: valid, status: 404 },
    { name: 'unsupported method', method: 'DELETE', url: '/api/v1/categories', status: 404 },
  ]);
});
