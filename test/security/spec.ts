import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A JSON Schema node of the committed OpenAPI document (the subset nexcore's DTOs produce). */
export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  oneOf?: Schema[];
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  required?: string[];
  items?: Schema;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  nullable?: boolean;
}

export interface Parameter {
  in: 'path' | 'query' | 'header';
  name: string;
  required?: boolean;
  schema: Schema;
}

export interface Operation {
  /** `GET /api/v1/sources/{id}` */
  id: string;
  method: string;
  path: string;
  parameters: Parameter[];
  body?: Schema;
  public: boolean;
  apiKey: boolean;
  /** Answers with a server-sent event stream (sometimes or always). */
  sse: boolean;
}

export const SPEC = JSON.parse(readFileSync(join(__dirname, '..', '..', 'openapi.json'), 'utf8')) as {
  paths: Record<string, Record<string, Record<string, unknown>>>;
  components: { schemas: Record<string, Schema> };
};

export function operations(): Operation[] {
  const ops: Operation[] = [];
  for (const [path, byMethod] of Object.entries(SPEC.paths)) {
    for (const [method, op] of Object.entries(byMethod)) {
      const security = op.security as Record<string, unknown>[] | undefined;
      const content = (op.requestBody as { content?: Record<string, { schema: Schema }> } | undefined)?.content;
      const responses = JSON.stringify(op.responses ?? {});
      ops.push({
        id: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        parameters: (op.parameters as Parameter[] | undefined) ?? [],
        body: content?.['application/json']?.schema,
        public: !security || security.length === 0,
        apiKey: !!security?.some((s) => 'api-key' in s),
        sse: responses.includes('text/event-stream'),
      });
    }
  }
  return ops;
}

export function resolve(schema: Schema): Schema {
  if (!schema.$ref) return schema;
  return SPEC.components.schemas[schema.$ref.replace('#/components/schemas/', '')];
}

/** encodeURIComponent that does not throw on lone surrogates (no client can send those anyway). */
export const encode = (s: string): string =>
  encodeURIComponent(
    s.replace(/[\ud800-\udfff]/g, (c, i: number, all: string) => {
      const code = c.charCodeAt(0);
      const pair = code < 0xdc00 ? /[\udc00-\udfff]/.test(all[i + 1] ?? '') : /[\ud800-\udbff]/.test(all[i - 1] ?? '');
      return pair ? c : '\ufffd';
    }),
  );

/** Fills `{name}` placeholders (values already URL-encoded or deliberately raw). */
export function fillPath(path: string, values: Record<string, string>): string {
  return path.replace(/\{(\w+)\}/g, (_m, name: string) => values[name] ?? 'x');
}

// ---- hostile values -------------------------------------------------------------------------

export const SQL_INJECTION = [
  "' OR '1'='1",
  "' OR 1=1 --",
  '1; DROP TABLE users; --',
  "'; SELECT pg_sleep(5); --",
  '" OR ""="',
  "') UNION SELECT password_hash, email FROM users --",
  "1' AND (SELECT COUNT(*) FROM users) > 0 --",
  "%' OR email LIKE '%",
  '$1',
  "\\'; COMMIT; --",
];

export const PATH_TRAVERSAL = [
  '../../../../etc/passwd',
  '..%2f..%2f..%2fetc%2fpasswd',
  '....//....//etc/passwd',
  '..\\..\\..\\windows\\win.ini',
  '/etc/passwd%00.png',
  'file:///etc/passwd',
  '%2e%2e%2f%2e%2e%2f',
];

export const ODD_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff\ud800',
  '🦄🏳️‍🌈ñ̃',
  '\u202e\u200b\ufeff',
  '%',
  '%zz',
  '{{7*7}}',
  '${jndi:ldap://x}',
  '<script>alert(1)</script>',
  'null',
  'undefined',
  'NaN',
  '-1',
  '1e309',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '__proto__',
  'constructor',
  'a'.repeat(5000),
];

export const HOSTILE_STRINGS = [...SQL_INJECTION, ...PATH_TRAVERSAL, ...ODD_STRINGS];

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 80 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.integer({ min: 10_000, max: 200_000 }).map((n) => 'x'.repeat(n)) },
);

/** Objects nested far deeper than any DTO, as object or array chains. */
export const deepNesting: fc.Arbitrary<unknown> = fc
  .tuple(fc.integer({ min: 50, max: 1000 }), fc.boolean())
  .map(([depth, arrays]) => {
    let v: unknown = 'leaf';
    for (let i = 0; i < depth; i++) v = arrays ? [v] : { a: v };
    return v;
  });

/** A JSON text nested deeper than JSON.stringify could build (the parser's limits are tested too). */
export const deepJsonText: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 1000, max: 100_000 }), fc.constantFrom(['{"a":', '}'], ['[', ']']))
  .map(([depth, [open, close]]) => `${open.repeat(depth)}1${close.repeat(depth)}`);

export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: hostileString },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, 0, -1, 1.5, 2 ** 53, -(2 ** 63), 1e308, [], {}) },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.array(hostileString, { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.dictionary(hostileString, hostileString, { maxKeys: 4 }) },
  { weight: 1, arbitrary: deepNesting },
);

// ---- schema-driven values -------------------------------------------------------------------

/** Values that satisfy the schema (as far as the spec describes it). */
export function validValue(schema: Schema, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(schema);
  if (s.oneOf) return fc.oneof(...s.oneOf.map((o) => validValue(o, depth + 1)));
  if (s.enum) return fc.constantFrom(...s.enum);
  switch (s.type) {
    case 'string': {
      if (s.format === 'date-time')
        return fc
          .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
          .map((d) => d.toISOString());
      if (s.format === 'email') return fc.emailAddress().filter((e) => e.length <= (s.maxLength ?? 254));
      if (s.format === 'uuid') return fc.uuid();
      return fc.string({ minLength: s.minLength ?? 0, maxLength: Math.min(s.maxLength ?? 40, 40) });
    }
    case 'number':
    case 'integer':
      return fc.integer({ min: s.minimum ?? 0, max: s.maximum ?? 100 });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(s.items ? validValue(s.items, depth + 1) : fc.jsonValue({ maxDepth: 1 }), { maxLength: 4 });
    case 'object':
    default: {
      if (s.properties) {
        const props = Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, validValue(v, depth + 1)]));
        return fc.record(props, { requiredKeys: s.required ?? [] });
      }
      if (s.additionalProperties && typeof s.additionalProperties === 'object') {
        return fc.dictionary(
          fc.string({ minLength: 1, maxLength: 10 }),
          validValue(s.additionalProperties, depth + 1),
          { maxKeys: 5 },
        );
      }
      // Free-form JSON (default values, contexts, candidates).
      return depth > 3 ? fc.string() : fc.jsonValue({ maxDepth: 2 });
    }
  }
}

/** Every string-typed field of a body schema, as property paths (arrays step into items). */
export function stringFields(schema: Schema, prefix: string[] = [], depth = 0): string[][] {
  const s = resolve(schema);
  if (depth > 3) return [];
  if (s.properties) {
    return Object.entries(s.properties).flatMap(([k, v]) => {
      const r = resolve(v);
      if (r.type === 'string' || r.oneOf?.some((o) => o.type === 'string') || (!r.type && !r.properties))
        return [[...prefix, k]];
      if (r.type === 'array')
        return r.items && resolve(r.items).type !== 'object'
          ? [[...prefix, k, '0']]
          : stringFields(r.items ?? {}, [...prefix, k, '0'], depth + 1);
      if (r.properties) return stringFields(r, [...prefix, k], depth + 1);
      return [];
    });
  }
  return [];
}

export function setPath(target: Record<string, unknown>, path: string[], value: unknown): Record<string, unknown> {
  const copy = structuredClone(target);
  let cur: Record<string, unknown> = copy;
  path.slice(0, -1).forEach((k, i) => {
    if (cur[k] === null || typeof cur[k] !== 'object') cur[k] = /^\d+$/.test(path[i + 1]) ? [] : {};
    cur = cur[k] as Record<string, unknown>;
  });
  cur[path[path.length - 1]] = value;
  return copy;
}

// ---- who may call what (the oracle for function-level authorisation) -------------------------

/**
 * Written out by hand, independently of the decorators: an operation missing here fails the
 * OWASP suite until someone decides who may call it.
 */
/**
 * Operations that end the caller's session(s): the caller's access token dies with them, so a
 * suite that reuses one token must call these with a throwaway one (or log in again after).
 */
export const SESSION_ENDING_OPS = new Set(['POST /api/v1/auth/logout', 'POST /api/v1/auth/logout-all']);

export const PUBLIC_OPS = new Set([
  'POST /api/v1/auth/login',
  'POST /api/v1/auth/refresh',
  'POST /api/v1/auth/register',
  'GET /api/v1/health/live',
  'GET /api/v1/health/ready',
]);

export const ADMIN_OPS = new Set([
  'GET /api/v1/admin/audit',
  'GET /api/v1/admin/users',
  'PATCH /api/v1/admin/users/{id}',
  'POST /api/v1/defaults/batch',
  'POST /api/v1/defaults/model/train',
  'PUT /api/v1/defaults/{key}',
  'DELETE /api/v1/defaults/{key}',
  'GET /api/v1/feedback',
  'GET /api/v1/feedback/export',
  'GET /api/v1/feedback/{id}',
  'PATCH /api/v1/feedback/{id}',
  'GET /api/v1/health/detailed',
  'POST /api/v1/webhooks',
  'GET /api/v1/webhooks',
  'POST /api/v1/webhooks/deliveries/{deliveryId}/redeliver',
  'GET /api/v1/webhooks/{id}',
  'PATCH /api/v1/webhooks/{id}',
  'DELETE /api/v1/webhooks/{id}',
  'POST /api/v1/webhooks/{id}/rotate-secret',
  'POST /api/v1/webhooks/{id}/test',
  'GET /api/v1/webhooks/{id}/deliveries',
]);
