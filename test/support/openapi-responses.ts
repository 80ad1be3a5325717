import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsImport from 'ajv-formats';

/**
 * Checks a real response against the committed openapi.json: the operation exists, the status is one it documents,
 * the content type is one documented for that status, and the body matches the documented schema. The e2e request
 * helper runs it on every response, so the document a client is generated from cannot drift from the behaviour.
 */

// ajv-formats is CommonJS: its default export arrives wrapped under ESM.
const addFormats = ((addFormatsImport as unknown as { default?: unknown }).default ?? addFormatsImport) as unknown as (
  ajv: Ajv,
) => Ajv;

interface MediaType {
  schema?: object;
}
interface ResponseSpec {
  content?: Record<string, MediaType>;
}
interface Operation {
  responses: Record<string, ResponseSpec>;
}
interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, object> };
}

const DOCUMENT_ID = 'openapi.json';
const document = JSON.parse(readFileSync(new URL('../../openapi.json', import.meta.url), 'utf8')) as OpenApiDocument;

// OpenAPI 3.0 schemas: `nullable` is understood by Ajv; `example` and friends are annotations, not errors.
const ajv = new Ajv({ strict: false, allErrors: true, discriminator: true });
addFormats(ajv);
ajv.addSchema({ $id: DOCUMENT_ID, components: toJsonSchema(document.components ?? {}) });

interface Route {
  method: string;
  template: string;
  pattern: RegExp;
  operation: Operation;
}

const routes: Route[] = Object.entries(document.paths).flatMap(([template, operations]) =>
  Object.entries(operations).map(([method, operation]) => ({
    method: method.toUpperCase(),
    template,
    // A path parameter matches one non-empty segment; literal segments win over parameters (checked first below).
    pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}$`),
    operation,
  })),
);
// Literal routes before templated ones, so `/agents/me/availability` never matches a `{id}` of another route.
routes.sort((a, b) => (a.template.match(/\{/g)?.length ?? 0) - (b.template.match(/\{/g)?.length ?? 0));

/**
 * OpenAPI 3.0's `nullable: true` also admits null beside an `allOf`/`$ref` (how @nestjs/swagger writes a nullable
 * nested object), which plain JSON Schema does not: such a node becomes `anyOf: [null, the rest]`.
 */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!node || typeof node !== 'object') return node;
  const entries = Object.entries(node as Record<string, unknown>).map(([k, v]) => [k, toJsonSchema(v)] as const);
  const copy = Object.fromEntries(entries) as Record<string, unknown>;
  if (typeof copy.$ref === 'string') copy.$ref = copy.$ref.replace(/^#\/components\//, `${DOCUMENT_ID}#/components/`);
  if (copy.nullable === true && (copy.allOf || copy.$ref || copy.oneOf || copy.anyOf)) {
    const { nullable: _nullable, description, ...rest } = copy;
    return { description, anyOf: [{ type: 'null' }, rest] };
  }
  return copy;
}

const compiled = new Map<object, ValidateFunction>();
function validatorFor(schema: object): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    // Local `#/components/...` references resolve against the whole document (rewritten by toJsonSchema).
    validate = ajv.compile(toJsonSchema(schema) as object);
    compiled.set(schema, validate);
  }
  return validate;
}

export interface ObservedResponse {
  method: string;
  url: string;
  status: number;
  contentType: string;
  /** The raw body text. */
  body: string;
}

export function findOperation(method: string, path: string): Route | undefined {
  return routes.find((r) => r.method === method.toUpperCase() && r.pattern.test(path));
}

/** What is wrong with the response under the committed document; an empty list when it conforms. */
export function openApiViolations(res: ObservedResponse): string[] {
  const pathname = new URL(res.url, 'http://test.invalid').pathname;
  let path = pathname;
  try {
    path = decodeURI(pathname);
  } catch {
    // a malformed escape stays as sent: it matches no operation with a literal segment
  }
  const problems: string[] = [];
  const mediaType = res.contentType.split(';')[0]!.trim().toLowerCase();
  if (res.status >= 400 && res.body !== '' && mediaType !== 'application/problem+json') {
    problems.push(`a ${res.status} must be application/problem+json, got '${res.contentType}'`);
  }
  const route = findOperation(res.method, path);
  // A URL the document does not describe (the 404 of an unknown route, a bad method) has no contract beyond problem+json.
  if (!route) return problems;
  const spec = route.operation.responses[String(res.status)] ?? route.operation.responses.default;
  const where = `${route.method} ${route.template}`;
  if (!spec) {
    problems.push(`${where} answered ${res.status}, which it does not document (documents ${Object.keys(route.operation.responses).join(', ')})`);
    return problems;
  }
  const content = spec.content ?? {};
  if (res.body === '') {
    if (Object.keys(content).length > 0 && res.status !== 204 && res.method.toUpperCase() !== 'HEAD') {
      problems.push(`${where} ${res.status} documents a body (${Object.keys(content).join(', ')}) but sent none`);
    }
    return problems;
  }
  if (Object.keys(content).length === 0) {
    problems.push(`${where} ${res.status} documents no body but sent '${res.contentType}'`);
    return problems;
  }
  const media = content[mediaType];
  if (!media) {
    problems.push(`${where} ${res.status} sent '${mediaType}', documented: ${Object.keys(content).join(', ')}`);
    return problems;
  }
  if (!media.schema || !mediaType.includes('json')) return problems;
  let body: unknown;
  try {
    body = JSON.parse(res.body);
  } catch {
    problems.push(`${where} ${res.status} sent a body that is not JSON`);
    return problems;
  }
  const validate = validatorFor(media.schema);
  if (!validate(body)) {
    const details = (validate.errors ?? []).map((e) => `${e.instancePath || '(body)'} ${e.message}`).slice(0, 10);
    problems.push(`${where} ${res.status} body does not match the documented schema: ${details.join('; ')}`);
  }
  return problems;
}

/** Throws, naming the request and every violation, when the response breaks the committed document. */
export function assertMatchesOpenApi(res: ObservedResponse): void {
  const problems = openApiViolations(res);
  if (problems.length) {
    const preview = res.body.length > 500 ? `${res.body.slice(0, 500)}…` : res.body;
    throw new Error(
      `Response breaks openapi.json: ${res.method} ${res.url} → ${res.status}\n  - ${problems.join('\n  - ')}\n  body: ${preview}`,
    );
  }
}
