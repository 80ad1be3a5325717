import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type Caller, type TestApp } from '../support/test-app.js';
import { expectInvalid, expectProblem } from './support/problem.js';

// Hostile input never reaches a 500: deep JSON, malformed Unicode, control characters, odd content types and
// bodies, and requests Node's HTTP parser refuses. Each answer is a problem+json 4xx.

const deepObject = (depth: number, inner = '1') => '{"a":'.repeat(depth) + inner + '}'.repeat(depth);
const deepArray = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const LONE = '\ud800';
const emoji = (n: number) => '😀'.repeat(n);

describe('enterprise mode', () => {
  let t: TestApp;
  let admin: Caller;
  let alice: Caller;
  let ticketId: string;
  let categoryId: string;

  beforeAll(async () => {
    t = await startTestApp();
    [admin, alice] = await Promise.all([t.user('admin'), t.user('requester', 'alice')]);
    const ticket = await t.request('POST', '/api/v1/tickets', { as: alice, body: { title: 'Target', description: 'x' } });
    ticketId = ticket.body.id;
    const category = await t.request('POST', '/api/v1/categories', { as: admin, body: { name: `Target ${randomUUID()}` } });
    categoryId = category.body.id;
  });
  afterAll(() => t?.close());

  describe('deeply nested JSON is a 400 at any depth', () => {
    const bodies: [string, string][] = [
      ['objects × 3,000', deepObject(3_000)],
      ['arrays × 3,000', deepArray(3_000)],
      ['objects × 100,000', deepObject(100_000)],
      ['an array × 3,000 inside a field', `{"name":"x","parentId":${deepArray(3_000)}}`],
      ['depth 33, just over the limit', deepObject(33)],
    ];
    for (const [name, rawBody] of bodies) {
      it(`${name}: POST /categories, PATCH /tickets/{id}, POST /tickets`, async () => {
        for (const [method, url] of [
          ['POST', '/api/v1/categories'],
          ['PATCH', `/api/v1/tickets/${ticketId}`],
          ['POST', '/api/v1/tickets'],
        ] as const) {
          expectProblem(await t.request(method, url, { as: admin, rawBody }), 400, 'BODY_TOO_DEEP');
        }
      });
    }

    it('without a token too, before authentication', async () => {
      expectProblem(await t.request('POST', '/api/v1/tickets', { rawBody: deepObject(3_000) }), 400, 'BODY_TOO_DEEP');
    });

    it('brackets inside strings do not count, and 32 levels are accepted', async () => {
      const name = `[[[{{{ ${randomUUID()}`;
      const res = await t.request('POST', '/api/v1/categories', { as: admin, rawBody: JSON.stringify({ name }) });
      expect(res.status).toBe(201);
      expect(res.body.name).toBe(name);
      // 32 levels parse; the DTO then refuses the unknown field (a 400 about the field, not about depth).
      expectInvalid(await t.request('POST', '/api/v1/categories', { as: admin, rawBody: `{"name":"y","x":${deepObject(31)}}` }), ['x']);
    });
  });

  describe('one text rule for every text field', () => {
    const cases: [string, 'POST' | 'PATCH', () => string, Record<string, unknown>, string][] = [
      ['ticket title', 'POST', () => '/api/v1/tickets', { title: `a${LONE}`, description: 'x' }, 'title'],
      ['ticket description', 'POST', () => '/api/v1/tickets', { title: 'x', description: `a${LONE}b` }, 'description'],
      ['ticket tag', 'POST', () => '/api/v1/tickets', { title: 'x', description: 'x', tags: [`t${LONE}`] }, 'tags.0'],
      ['patched title', 'PATCH', () => `/api/v1/tickets/${ticketId}`, { title: `a${LONE}` }, 'title'],
      ['patched description', 'PATCH', () => `/api/v1/tickets/${ticketId}`, { description: `${LONE}` }, 'description'],
      ['patched tag', 'PATCH', () => `/api/v1/tickets/${ticketId}`, { tags: ['ok', `\udc00x`] }, 'tags.1'],
      ['comment', 'POST', () => `/api/v1/tickets/${ticketId}/comments`, { body: `hi ${LONE}` }, 'body'],
      ['category name', 'POST', () => '/api/v1/categories', { name: `n${LONE}` }, 'name'],
      ['renamed category', 'PATCH', () => `/api/v1/categories/${categoryId}`, { name: `n${LONE}` }, 'name'],
      ['control character in a title', 'POST', () => '/api/v1/tickets', { title: 'bell\u0007', description: 'x' }, 'title'],
      ['line break in a title', 'POST', () => '/api/v1/tickets', { title: 'two\nlines', description: 'x' }, 'title'],
      ['escape in a category name', 'POST', () => '/api/v1/categories', { name: 'esc\u001b[31m' }, 'name'],
      ['C1 control in a tag', 'POST', () => '/api/v1/tickets', { title: 'x', description: 'x', tags: ['a\u0085'] }, 'tags.0'],
      ['vertical tab in a description', 'POST', () => '/api/v1/tickets', { title: 'x', description: 'a\u000bb' }, 'description'],
      ['DEL in a comment', 'POST', () => `/api/v1/tickets/${ticketId}/comments`, { body: 'a\u007f' }, 'body'],
      ['group name', 'POST', () => '/api/v1/groups', { name: `g${LONE}`, strategy: 'round_robin' }, 'name'],
    ];
    for (const [name, method, url, body, field] of cases) {
      it(`refuses a bad ${name} with 400 naming the field`, async () => {
        const as = url().includes('/comments') || url().includes('/tickets') ? alice : admin;
        expectInvalid(await t.request(method, url(), { as: method === 'PATCH' && url().includes('/tickets') ? admin : as, body }), [field]);
      });
    }

    it('stores nothing that broke the rule', async () => {
      const tickets = await t.request('GET', '/api/v1/tickets?limit=100', { as: admin });
      const text = JSON.stringify(tickets.body);
      expect(text).not.toMatch(/\\ud800|\\u0007|\\u001b/i);
    });

    it('keeps tab and line breaks in multi-line text, and counts emoji as one character each', async () => {
      const description = 'line one\n\tline two\r\nline three';
      const created = await t.request('POST', '/api/v1/tickets', { as: alice, body: { title: emoji(200), description } });
      expect(created.status).toBe(201);
      expect(created.body.title).toBe(emoji(200));
      expect(created.body.description).toBe(description);
      expectInvalid(await t.request('POST', '/api/v1/tickets', { as: alice, body: { title: emoji(201), description: 'x' } }), ['title']);
      const tag = await t.request('PATCH', `/api/v1/tickets/${created.body.id}`, { as: admin, body: { tags: [emoji(50)] } });
      expect(tag.status).toBe(200);
      expectInvalid(await t.request('PATCH', `/api/v1/tickets/${created.body.id}`, { as: admin, body: { tags: [emoji(51)] } }), ['tags']);
      const category = await t.request('POST', '/api/v1/categories', { as: admin, body: { name: emoji(100) } });
      expect(category.status).toBe(201);
      expectInvalid(await t.request('POST', '/api/v1/categories', { as: admin, body: { name: emoji(101) } }), ['name']);
    });

    it('applies to query strings too', async () => {
      expectInvalid(await t.request('GET', `/api/v1/tickets?q=${encodeURIComponent('x\u0001')}`, { as: admin }), ['q']);
      expectInvalid(await t.request('GET', `/api/v1/users?q=${encodeURIComponent('\u001b[2J')}`, { as: admin }), ['q']);
      // A surrogate's UTF-8 bytes are not valid UTF-8: they decode to U+FFFD, which is fine text.
      const bytes = await t.request('GET', '/api/v1/tickets?q=%ED%A0%80', { as: admin });
      expect(bytes.status).toBe(200);
    });
  });

  describe('bodies', () => {
    it('answers a body that is not JSON with 415', async () => {
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
        const res = await t.request('POST', '/api/v1/categories', { as: admin, rawBody: 'name=x', headers: { 'content-type': type } });
        expectProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
      }
    });

    it('refuses a PATCH body of null, an array or a bare value on every resource', async () => {
      const group = await t.request('POST', '/api/v1/groups', { as: admin, body: { name: `G ${randomUUID()}`, strategy: 'round_robin' } });
      const targets = [
        `/api/v1/tickets/${ticketId}`,
        `/api/v1/categories/${categoryId}`,
        `/api/v1/users/${alice.id}`,
        `/api/v1/groups/${group.body.id}`,
        `/api/v1/webhooks/${randomUUID()}`,
        `/api/v1/sla-policies/${randomUUID()}`,
      ];
      for (const url of targets) {
        for (const rawBody of ['null', '[]', '"x"', '42', 'true']) {
          expectInvalid(await t.request('PATCH', url, { as: admin, rawBody }), ['body']);
        }
      }
      // Nothing changed: the ticket's version is where it was.
      const ticket = await t.request('GET', `/api/v1/tickets/${ticketId}`, { as: admin });
      expect(ticket.body.version).toBe(1);
    });

    it('refuses a POST body of null as well', async () => {
      expectInvalid(await t.request('POST', '/api/v1/categories', { as: admin, rawBody: 'null' }), ['body']);
    });
  });

  describe('what a requester can learn', () => {
    it('an internal note leaves the version, updatedAt and ETag the requester sees as they were; a public reply moves them', async () => {
      const agent = await t.user('agent');
      const created = await t.request('POST', '/api/v1/tickets', { as: alice, body: { title: 'Watch me', description: 'x' } });
      const id = created.body.id;
      const before = await t.request('GET', `/api/v1/tickets/${id}`, { as: alice });
      const note = await t.request('POST', `/api/v1/tickets/${id}/comments`, { as: agent, body: { body: 'hidden', internal: true } });
      expect(note.status).toBe(201);
      const after = await t.request('GET', `/api/v1/tickets/${id}`, { as: alice });
      expect(after.body.version).toBe(before.body.version);
      expect(after.body.updatedAt).toBe(before.body.updatedAt);
      expect(after.headers.etag).toBe(before.headers.etag);
      const listed = await t.request('GET', '/api/v1/tickets?limit=100', { as: alice });
      expect(listed.body.items.find((i: { id: string }) => i.id === id)).toMatchObject({ version: before.body.version, updatedAt: before.body.updatedAt });

      const reply = await t.request('POST', `/api/v1/tickets/${id}/comments`, { as: agent, body: { body: 'public', internal: false } });
      expect(reply.status).toBe(201);
      const replied = await t.request('GET', `/api/v1/tickets/${id}`, { as: alice });
      expect(replied.body.version).toBe(before.body.version + 1);
      expect(replied.headers.etag).not.toBe(before.headers.etag);
    });
  });

  describe("requests Node's HTTP parser refuses", () => {
    let port: number;
    beforeAll(async () => {
      await t.app.listen(0, '127.0.0.1');
      port = (t.app.getHttpServer().address() as { port: number }).port;
    });

    /** Sends raw bytes and returns the status line, headers and body of the answer. */
    function raw(bytes: string): Promise<{ status: number; type: string; body: string }> {
      return new Promise((resolve, reject) => {
        const socket = connect(port, '127.0.0.1');
        let data = '';
        socket.on('data', (chunk) => (data += chunk.toString('utf8')));
        socket.on('error', () => undefined);
        socket.on('close', () => {
          const [head = '', body = ''] = data.split('\r\n\r\n');
          const status = Number(head.split(' ')[1]);
          const type = /content-type: ([^\r\n]+)/i.exec(head)?.[1] ?? '';
          if (!status) reject(new Error(`no answer: ${JSON.stringify(data)}`));
          else resolve({ status, type, body });
        });
        socket.write(bytes);
      });
    }

    it('a malformed request is a 400 problem+json', async () => {
      const res = await raw('GET /api/v1/tickets HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n');
      expect(res.status).toBe(400);
      expect(res.type).toBe('application/problem+json');
      expect(JSON.parse(res.body)).toMatchObject({ status: 400, code: 'BAD_REQUEST', title: 'Bad Request' });
    });

    it('headers over the size limit are a 431 problem+json', async () => {
      const res = await raw(`GET /api/v1/tickets HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
      expect(res.status).toBe(431);
      expect(res.type).toBe('application/problem+json');
      expect(JSON.parse(res.body)).toMatchObject({ status: 431, code: 'HEADERS_TOO_LARGE' });
    });

    it('a body over the limit is a 413 problem+json', async () => {
      const body = JSON.stringify({ title: 'x', description: 'y'.repeat(1_100_000) });
      const res = await raw(
        `POST /api/v1/tickets HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
      );
      expect(res.status).toBe(413);
      expect(res.type).toContain('application/problem+json');
    });
  });
});

describe('embedded mode: sign-in and registration', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ OIDC_ISSUER_URL: '' });
  });
  afterAll(() => t?.close());

  it('deep JSON on login and register is a 400 without a token', async () => {
    for (const url of ['/api/v1/auth/login', '/api/v1/auth/register']) {
      expectProblem(await t.request('POST', url, { rawBody: deepObject(3_000) }), 400, 'BODY_TOO_DEEP');
      expectProblem(await t.request('POST', url, { rawBody: deepArray(3_000) }), 400, 'BODY_TOO_DEEP');
    }
  });

  it('lone surrogates and control characters in emails, names and passwords are a 400', async () => {
    const password = 'correct horse battery';
    expectInvalid(await t.request('POST', '/api/v1/auth/login', { body: { email: `a${LONE}@x.com`, password } }), ['email']);
    expectInvalid(await t.request('POST', '/api/v1/auth/register', { body: { email: `a${LONE}@x.com`, password, name: 'A' } }), ['email']);
    expectInvalid(
      await t.request('POST', '/api/v1/auth/register', { body: { email: `${randomUUID()}@x.com`, password, name: `A${LONE}` } }),
      ['name'],
    );
    expectInvalid(
      await t.request('POST', '/api/v1/auth/register', { body: { email: `${randomUUID()}@x.com`, password, name: 'Tab\there' } }),
      ['name'],
    );
    expectInvalid(
      await t.request('POST', '/api/v1/auth/register', { body: { email: `${randomUUID()}@x.com`, password: `${password}${LONE}`, name: 'A' } }),
      ['password'],
    );
  });

  it('counts a name in characters: 100 emoji register', async () => {
    const res = await t.request('POST', '/api/v1/auth/register', {
      body: { email: `${randomUUID()}@x.com`, password: 'correct horse battery', name: emoji(100) },
    });
    expect(res.status).toBe(201);
    expect(res.body.name).toBe(emoji(100));
  });
});
