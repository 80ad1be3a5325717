import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startTestApp, type Caller, type Response, type TestApp } from '../support/test-app.js';

// Property-based fuzz of every operation of the committed openapi.json, as an anonymous caller, a requester and an
// admin: generated paths, queries, headers and bodies (valid-looking, wrong types, unknown fields, huge and deep
// values, odd Unicode, malformed ids and cursors) never get a 5xx, every 4xx is problem+json, and every answer is
// one the document describes (the request helper checks that). Seeded: FUZZ_SEED=<n> replays a run, FUZZ_RUNS=<n>
// sets the requests per operation and caller. A failure prints the seed and the request.

const SEED = Number(process.env.FUZZ_SEED ?? 20261203);
const RUNS = Number(process.env.FUZZ_RUNS ?? 10);

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  allOf?: Schema[];
  oneOf?: Schema[];
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
}
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  schema?: Schema;
}
interface Operation {
  method: Method;
  path: string;
  parameters: Parameter[];
  body?: Schema;
}

const document = JSON.parse(readFileSync(new URL('../../openapi.json', import.meta.url), 'utf8')) as {
  paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: Schema }> } }>>;
  components: { schemas: Record<string, Schema> };
};

const operations: Operation[] = Object.entries(document.paths).flatMap(([path, ops]) =>
  Object.entries(ops).map(([method, op]) => ({
    method: method.toUpperCase() as Method,
    path,
    parameters: op.parameters ?? [],
    body: op.requestBody?.content['application/json']?.schema,
  })),
);

const resolve = (schema: Schema): Schema => {
  if (schema.$ref) return resolve(document.components.schemas[schema.$ref.replace('#/components/schemas/', '')]!);
  if (schema.allOf?.length === 1) return { ...resolve(schema.allOf[0]!), nullable: schema.nullable };
  return schema;
};

// ---- hostile values ---------------------------------------------------------------------------------------------

const deep = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
const oddText = fc.constantFrom(
  '\ud800',
  'a\udc00b',
  '\u0000',
  'bell\u0007',
  '\u001b[31mred',
  '\u202eevil',
  '\u200b',
  '😀'.repeat(60),
  '\ufeff',
  'é'.normalize('NFD'),
  '<script>alert(1)</script>',
  "'; DROP TABLE tickets; --",
  '../../etc/passwd',
  '%00',
  '\\u0000',
  ' ',
  '',
  'x'.repeat(25_000),
);
const hostileScalar = fc.oneof(
  oddText,
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.constantFrom(-1, 0, 1e308, -0, Number.MAX_SAFE_INTEGER + 2),
  fc.boolean(),
  fc.constant(null),
);
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileScalar },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.array(hostileScalar, { maxLength: 5 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), hostileScalar, { maxKeys: 4 }) },
);

/** Ids of things that exist (filled in beforeAll), so generated paths reach real rows too. */
const known: string[] = [];
const malformedId = fc.constantFrom(
  'not-a-uuid',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  'x'.repeat(101),
  '%',
  '%zz',
  '%C0%AF',
  '..',
  '-1',
  '1e9',
  "1' OR '1'='1",
  '%E2%80%AE',
  '%ED%A0%80',
  'me',
);
const idValue = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...[0, 1, 2, 3, 4, 5]).map((i) => known[i % Math.max(known.length, 1)] ?? randomUUID()) },
  { weight: 2, arbitrary: fc.uuid() },
  { weight: 2, arbitrary: malformedId },
);

/** A value that matches the schema, roughly (the server must still refuse what breaks its rules). */
function valid(schema: Schema, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(schema);
  const base = (() => {
    if (s.enum) return fc.constantFrom(...s.enum);
    if (s.oneOf) return fc.oneof(...s.oneOf.map((o) => valid(o, depth + 1)));
    switch (s.type) {
      case 'string':
        if (s.format === 'uuid') return idValue;
        if (s.format === 'date-time') return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
        if (s.format === 'uri') return fc.constantFrom('https://example.com/hook', 'http://127.0.0.1:1/x', 'ftp://x', 'not a url');
        return fc.oneof(fc.string({ minLength: 1, maxLength: Math.min(s.maxLength ?? 30, 30) }), oddText);
      case 'integer':
      case 'number':
        return fc.integer({ min: (s.minimum ?? 0) - 2, max: Math.min((s.maximum ?? 100) + 2, 1_000_000) });
      case 'boolean':
        return fc.boolean();
      case 'array':
        return depth > 4 ? fc.constant([]) : fc.array(valid(s.items ?? {}, depth + 1), { maxLength: 4 });
      case 'object':
      default:
        if (!s.properties || depth > 4) return fc.dictionary(fc.string({ maxLength: 6 }), hostileScalar, { maxKeys: 2 });
        return fc.record(
          Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, valid(v, depth + 1)])),
          { requiredKeys: s.required ?? [] },
        );
    }
  })();
  return s.nullable ? fc.oneof({ weight: 5, arbitrary: base }, { weight: 1, arbitrary: fc.constant(null) }) : base;
}

/** A valid-looking object with one field broken, an unknown field added or the whole body replaced. */
function bodyFor(schema: Schema | undefined): fc.Arbitrary<{ raw: string | undefined; type?: string }> {
  const json = (v: unknown) => ({ raw: JSON.stringify(v) });
  const shaped = schema ? valid(schema) : fc.constant({});
  const mutated = fc
    .tuple(shaped, fc.string({ minLength: 1, maxLength: 10 }), hostileValue, fc.boolean())
    .map(([value, key, bad, replaceExisting]) => {
      if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
      const keys = Object.keys(value);
      const target = replaceExisting && keys.length ? keys[key.length % keys.length]! : key;
      return { ...(value as object), [target]: bad };
    });
  return fc.oneof(
    { weight: 4, arbitrary: shaped.map(json) },
    { weight: 4, arbitrary: mutated.map(json) },
    { weight: 1, arbitrary: hostileValue.map(json) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        { raw: deep(40) },
        { raw: deep(5_000) },
        { raw: '['.repeat(3_000) + ']'.repeat(3_000) },
        { raw: '{"title":' },
        { raw: '' },
        { raw: 'null' },
        { raw: '{"__proto__":{"admin":true}}' },
        { raw: '{"constructor":{"prototype":{"x":1}}}' },
        { raw: '"\\ud800"' },
        { raw: 'name=x', type: 'application/x-www-form-urlencoded' },
        { raw: 'plain', type: 'text/plain' },
        { raw: '{}', type: 'application/json; charset=latin1' },
        { raw: undefined },
      ),
    },
  );
}

/** Percent-encodes every UTF-8 byte (a lone surrogate becomes U+FFFD's bytes, as any HTTP client would send). */
const encode = (value: string) => (/^%|%[0-9A-Fa-f]{2}/.test(value) ? value : encodeURIComponent(Buffer.from(value).toString()));

function requestFor(op: Operation) {
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  const queryValue = (p: Parameter) =>
    p.name === 'cursor'
      ? fc.oneof(
          fc.string({ maxLength: 30 }),
          fc.jsonValue({ maxDepth: 2 }).map((v) => Buffer.from(JSON.stringify(v)).toString('base64url')),
          fc.constantFrom('', '%%%', 'x'.repeat(600)),
        )
      : fc.oneof(valid(p.schema ?? {}).map((v) => (Array.isArray(v) ? v.join(',') : String(v))), hostileScalar.map(String));
  return fc.record({
    path: fc.tuple(...pathParams.map(() => idValue), fc.constant(null)).map((ids) =>
      pathParams.reduce((path, p, i) => path.replace(`{${p.name}}`, encode(String(ids[i]))), op.path),
    ),
    query: fc.tuple(
      fc.subarray(queryParams).chain((ps) => fc.tuple(...ps.map((p) => queryValue(p).map((v) => [p.name, v] as const)), fc.constant(null))),
      fc.option(fc.tuple(fc.constantFrom('unknown', 'limit', 'a[b]', '__proto__'), hostileScalar.map(String)), { freq: 4 }),
    ),
    headers: fc.record(
      {
        'if-match': fc.oneof(fc.constantFrom('"1"', '*', 'W/"2"', '"x"', '"99999999999999999999"'), fc.stringMatching(/^[ -~]{0,20}$/)),
        'idempotency-key': fc.oneof(fc.uuid(), fc.stringMatching(/^[ -~]{0,300}$/)),
        accept: fc.constantFrom('application/json', 'text/html', '*/*'),
      },
      { requiredKeys: [] },
    ),
    body: op.method === 'GET' ? fc.constant<{ raw: string | undefined; type?: string }>({ raw: undefined }) : bodyFor(op.body),
  });
}

function urlOf(path: string, query: readonly [readonly (readonly [string, string] | null)[], readonly [string, string] | null]): string {
  const pairs = [...query[0].filter((p): p is readonly [string, string] => p !== null), ...(query[1] ? [query[1]] : [])];
  return pairs.length ? `${path}?${pairs.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&')}` : path;
}

function describeRequest(method: string, url: string, headers: Record<string, string>, body: string | undefined): string {
  const shown = body === undefined ? '(none)' : body.length > 400 ? `${body.slice(0, 400)}… (${body.length} chars)` : body;
  return `${method} ${url}\n  headers: ${JSON.stringify(headers)}\n  body: ${shown}`;
}

function checkAnswer(res: Response, request: string): void {
  if (res.status >= 500) throw new Error(`${res.status} for\n  ${request}\n  answer: ${JSON.stringify(res.body).slice(0, 300)}`);
  if (res.status >= 400) {
    const type = String(res.headers['content-type'] ?? '');
    if (!type.startsWith('application/problem+json') || res.body?.status !== res.status || typeof res.body?.code !== 'string') {
      throw new Error(`${res.status} not problem+json (${type}) for\n  ${request}\n  answer: ${JSON.stringify(res.body).slice(0, 300)}`);
    }
  }
}

const statuses = new Map<number, number>();

/** Runs `op` RUNS times per caller against `app`; throws (with the seed and the request) on a bad answer. */
async function fuzz(app: TestApp, op: Operation, who: string, caller: Caller | null, seed: number): Promise<void> {
  await fc.assert(
    fc.asyncProperty(requestFor(op), async ({ path, query, headers, body }) => {
      const url = urlOf(path, query);
      const sent: Record<string, string> = { ...headers };
      if (body.type) sent['content-type'] = body.type;
      const request = `${who}: ${describeRequest(op.method, url, sent, body.raw)}`;
      let res: Response;
      try {
        res = await app.request(op.method, url, { as: caller ?? undefined, rawBody: body.raw, headers: sent });
      } catch (error) {
        throw new Error(`${(error as Error).message}\n  request: ${request}`);
      }
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      checkAnswer(res, request);
    }),
    { seed, numRuns: RUNS, endOnFailure: true, verbose: 0 },
  );
}

const seedOf = (op: Operation, callerIndex: number) => SEED + callerIndex * 7919 + op.method.length * 131 + op.path.length;

afterAll(() => {
  const seen = [...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`);
  console.log(`[fuzz] seed ${SEED}: ${[...statuses.values()].reduce((a, b) => a + b, 0)} requests, answers ${seen.join(' ')}`);
});

// One app at a time: Passport's strategy registry is process-wide, so enterprise and embedded mode take turns.
describe(`fuzz (seed ${SEED}, ${RUNS} runs per operation and caller): enterprise mode, every operation`, () => {
  let t: TestApp;
  const callers: Record<'anonymous' | 'requester' | 'admin', Caller | null> = { anonymous: null, requester: null, admin: null };

  beforeAll(async () => {
    console.log(`[fuzz] seed ${SEED}, ${RUNS} runs per operation and caller (replay: FUZZ_SEED=${SEED} npx vitest run test/e2e/fuzz.e2e-spec.ts)`);
    t = await startTestApp();
    const admin = (callers.admin = await t.user('admin'));
    const requester = (callers.requester = await t.user('requester', 'fuzzy'));
    const ticket = await t.request('POST', '/api/v1/tickets', { as: requester, body: { title: 'Fuzz target', description: 'x' } });
    const category = await t.request('POST', '/api/v1/categories', { as: admin, body: { name: `Fuzz ${randomUUID()}` } });
    const group = await t.request('POST', '/api/v1/groups', { as: admin, body: { name: `Fuzz ${randomUUID()}`, strategy: 'round_robin' } });
    known.push(ticket.body.id, category.body.id, group.body.id, requester.id, admin.id);
  });
  afterAll(() => t?.close());

  for (const op of operations) {
    it(`${op.method} ${op.path}`, async () => {
      for (const [who, index] of [['anonymous', 0], ['requester', 1], ['admin', 2]] as const) {
        // An authorised live stream never ends: its 200 is covered by live-events.e2e-spec.ts.
        if (op.path === '/api/v1/events' && who !== 'anonymous') continue;
        await fuzz(t, op, who, callers[who], seedOf(op, index));
      }
    });
  }
});

describe(`fuzz (seed ${SEED}): embedded mode, sign-in and registration`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ OIDC_ISSUER_URL: '' });
  });
  afterAll(() => t?.close());

  for (const op of operations.filter((o) => o.path.startsWith('/api/v1/auth/'))) {
    it(`${op.method} ${op.path}`, async () => {
      await fuzz(t, op, 'anonymous', null, seedOf(op, 3));
    });
  }
});
