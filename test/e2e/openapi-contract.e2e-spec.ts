import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiViolations } from '../support/openapi-responses.js';
import { startTestApp, type Caller, type TestApp } from '../support/test-app.js';

// The committed openapi.json is what clients are generated from: it must say what the server does. Every response
// of the e2e suite is checked against it by the request helper; these cases pin what was once wrong.

interface Schema {
  type?: string;
  format?: string;
  items?: Schema;
  properties?: Record<string, Schema>;
}
const document = JSON.parse(readFileSync(new URL('../../openapi.json', import.meta.url), 'utf8')) as {
  paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
  components: { schemas: Record<string, Schema> };
};

function uuidFields(schema: Schema, path: string): { path: string; schema: Schema }[] {
  const own = schema.format === 'uuid' ? [{ path, schema }] : [];
  const nested = Object.entries(schema.properties ?? {}).flatMap(([k, s]) => uuidFields(s, `${path}.${k}`));
  return [...own, ...nested, ...(schema.items ? uuidFields(schema.items, `${path}[]`) : [])];
}

describe('openapi.json', () => {
  it('types every uuid field as a string, in requests and responses', () => {
    const fields = Object.entries(document.components.schemas).flatMap(([name, s]) => uuidFields(s, name));
    expect(fields.map((f) => f.path)).toEqual(
      expect.arrayContaining(['CreateTicketRequest.categoryId', 'UpdateTicketRequest.groupId', 'CreateCategoryRequest.parentId']),
    );
    for (const field of fields) {
      const type = field.schema.type ?? field.schema.items?.type;
      expect(type, field.path).toBe('string');
    }
  });

  it('documents 204 for every DELETE that answers it, and 202 for a failed job’s retry', () => {
    const deletes = Object.entries(document.paths).filter(([, ops]) => ops.delete);
    expect(deletes.length).toBeGreaterThanOrEqual(6);
    for (const [path, ops] of deletes) {
      const statuses = Object.keys(ops.delete!.responses);
      // Removing a group member answers the group (200); every other DELETE answers 204 without a body.
      if (path === '/api/v1/groups/{id}/members/{userId}') expect(statuses, path).toContain('200');
      else expect(statuses, path).toContain('204');
    }
    const retry = document.paths['/api/v1/jobs/failed/{queue}/{id}/retry']!.post!.responses;
    expect(Object.keys(retry)).toContain('202');
    expect(Object.keys(retry)).not.toContain('200');
  });

  it('the response check catches an undocumented status, a wrong type and a body off its schema', () => {
    const ok = { method: 'GET', url: '/api/v1/categories', contentType: 'application/json' };
    expect(openApiViolations({ ...ok, status: 200, body: '[]' })).toEqual([]);
    expect(openApiViolations({ ...ok, status: 418, body: '' })[0]).toMatch(/does not document/);
    expect(openApiViolations({ ...ok, status: 200, body: '[{"id":1}]' })[0]).toMatch(/does not match/);
    expect(openApiViolations({ ...ok, status: 401, body: '{"error":"x","statusCode":401}' })).toHaveLength(2);
    expect(
      openApiViolations({ method: 'DELETE', url: `/api/v1/tickets/${randomUUID()}`, status: 200, contentType: '', body: '' })[0],
    ).toMatch(/DELETE \/api\/v1\/tickets\/\{id\} answered 200/);
  });
});

describe('the server agrees with it', () => {
  let t: TestApp;
  let admin: Caller;
  let alice: Caller;

  beforeAll(async () => {
    t = await startTestApp();
    [admin, alice] = await Promise.all([t.user('admin'), t.user('requester', 'alice')]);
  });
  afterAll(() => t?.close());

  it('accepts uuid strings where the document says string/uuid, and refuses objects', async () => {
    const parent = await t.request('POST', '/api/v1/categories', { as: admin, body: { name: `Parent ${randomUUID()}` } });
    expect(parent.status).toBe(201);
    const child = await t.request('POST', '/api/v1/categories', {
      as: admin,
      body: { name: `Child ${randomUUID()}`, parentId: parent.body.id },
    });
    expect(child.status).toBe(201);
    const asObject = await t.request('POST', '/api/v1/categories', { as: admin, body: { name: 'Object id', parentId: {} } });
    expect(asObject.status).toBe(400);
    const ticket = await t.request('POST', '/api/v1/tickets', {
      as: alice,
      body: { title: 'Typed ids', description: 'x', categoryId: parent.body.id, subcategoryId: child.body.id },
    });
    expect(ticket.status).toBe(201);
  });

  it('answers every documented DELETE with 204 and no body', async () => {
    const category = await t.request('POST', '/api/v1/categories', { as: admin, body: { name: `Gone ${randomUUID()}` } });
    const removed = await t.request('DELETE', `/api/v1/categories/${category.body.id}`, { as: admin });
    expect(removed.status).toBe(204);
    expect(removed.body).toBe('');
    const ticket = await t.request('POST', '/api/v1/tickets', { as: alice, body: { title: 'Delete me', description: 'x' } });
    const deleted = await t.request('DELETE', `/api/v1/tickets/${ticket.body.id}`, { as: admin });
    expect(deleted.status).toBe(204);
  });

  it('answers an unknown failed job’s retry with a documented 404 problem', async () => {
    const res = await t.request('POST', '/api/v1/jobs/failed/assignment/no-such-job/retry', { as: admin });
    expect(res.status).toBe(404);
  });
});
