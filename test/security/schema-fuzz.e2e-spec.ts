import '../support/api-role';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { bearer, bootAuthApp, createUser, http, TestUser } from '../support/auth';
import { recordReliability } from '../support/reliability-report';
import { inject, InjectOptions, ResponseAuditor } from './audit';
import {
  ADMIN_OPS,
  deepJsonText,
  deepNesting,
  encode,
  fillPath,
  HOSTILE_STRINGS,
  hostileString,
  hostileValue,
  Operation,
  operations,
  PATH_TRAVERSAL,
  resolve,
  setPath,
  SESSION_ENDING_OPS,
  SQL_INJECTION,
  stringFields,
  validValue,
} from './spec';
import { createOwner, Owner } from './world';

/**
 * Schema fuzz: thousands of requests generated from the committed openapi.json with fast-check,
 * valid and hostile, across every operation, mostly as a normal user. Every response goes
 * through the ResponseAuditor: no 5xx, problem+json errors, no stack/SQL/path/secret.
 * FUZZ_RUNS scales the run (default 10 000), FUZZ_SEED replays one.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? 20260101);
const CONCURRENCY = 8;
const STREAM_MS = 300;

type Auth = 'user' | 'admin' | 'apikey' | 'none' | 'garbage';

interface World {
  user: Owner;
  other: Owner;
  admin: TestUser;
  /** Calls logout / logout-all; its sessions end early in the run. */
  throwaway: TestUser;
  victimId: string;
  webhookId: string;
  defaultKey: string;
}

/** Header values a real client could send (HTTP forbids control characters and non-Latin-1). */
const headerSafe = (s: string) => s.replace(/[^\t\x20-\x7e\x80-\xff]/g, '?').slice(0, 8000);

function authHeaders(world: World, op: Operation, auth: Auth, garbage: string): Record<string, string> {
  // Logout and logout-all kill the caller's access tokens: fuzz them with a throwaway account.
  if (SESSION_ENDING_OPS.has(op.id) && (auth === 'user' || auth === 'admin'))
    return bearer(world.throwaway.accessToken);
  switch (auth) {
    case 'user':
      return bearer(world.user.accessToken);
    case 'admin':
      return bearer(world.admin.accessToken);
    case 'apikey':
      return { 'x-api-key': world.user.apiKey.secret };
    case 'garbage':
      return garbage.length % 2
        ? { authorization: headerSafe(`Bearer ${garbage}`) }
        : { 'x-api-key': headerSafe(garbage) || 'x' };
    default:
      return {};
  }
}

function bodyArb(op: Operation): fc.Arbitrary<{ payload?: string; contentType?: string }> {
  const json = (v: unknown) => ({ payload: JSON.stringify(v), contentType: 'application/json' });
  if (!op.body) {
    return fc.oneof({ weight: 6, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: hostileValue.map(json) });
  }
  const valid = validValue(op.body) as fc.Arbitrary<Record<string, unknown>>;
  const schema = resolve(op.body);
  const fields = Object.keys(schema.properties ?? {});
  const strings = stringFields(op.body);
  const variants: fc.Arbitrary<{ payload?: string; contentType?: string }>[] = [
    valid.map(json),
    // One field replaced by anything hostile (wrong type, huge, unicode, nesting, null bytes).
    fc
      .tuple(valid, fc.constantFrom(...(fields.length ? fields : ['x'])), hostileValue)
      .map(([b, k, v]) => json({ ...b, [k]: v })),
    // Every string field filled with injection or traversal strings.
    fc
      .tuple(valid, fc.constantFrom(...SQL_INJECTION, ...PATH_TRAVERSAL))
      .map(([b, s]) => json(strings.reduce((acc, path) => setPath(acc, path, s), b))),
    // Wrong top-level type or nothing at all.
    fc.constantFrom<unknown>([], 'a string', 42, null, true, [{}]).map(json),
    fc.constant({}),
    // Fields the client must not set (mass assignment), including prototype keys.
    fc
      .tuple(
        valid,
        fc.constantFrom('role', 'id', 'ownerId', 'userId', 'createdAt', 'isAdmin', 'constructor', 'secretHash'),
        hostileValue,
      )
      .map(([b, k, v]) => json({ ...b, [k]: v })),
    fc.tuple(valid, deepNesting).map(([b, deep]) => json({ ...b, [fields[0] ?? 'x']: deep })),
    fc
      .tuple(fc.constantFrom(...(fields.length ? fields : ['x'])), deepJsonText)
      .map(([k, deep]) => ({ payload: `{"${k}":${deep}}`, contentType: 'application/json' })),
    // Not JSON, or JSON under another content type.
    fc
      .constantFrom(
        '{"a":',
        '[',
        'nul',
        '\u0000',
        '{"__proto__":{"polluted":1}}',
        '{"constructor":{"prototype":{"polluted":1}}}',
        '{"a":1,"a":2}',
        '\ufeff{}',
      )
      .map((payload) => ({ payload, contentType: 'application/json' })),
    fc
      .tuple(
        valid,
        fc.constantFrom(
          'text/plain',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
          'application/json; charset=utf-16',
          'application/xml',
          'application/json, text/html',
        ),
      )
      .map(([b, contentType]) => ({ payload: JSON.stringify(b), contentType })),
    // Over MAX_PAYLOAD_SIZE_MB (1 MiB in this app): 413.
    fc.constant(json({ [fields[0] ?? 'x']: 'y'.repeat(1_100_000) })),
  ];
  return fc.oneof(
    { weight: 6, arbitrary: variants[0] },
    { weight: 6, arbitrary: variants[1] },
    { weight: 3, arbitrary: variants[2] },
    ...variants.slice(3).map((arbitrary) => ({ weight: 1, arbitrary })),
  );
}

/** A value for a path segment: real ids (own and others'), random uuids, and hostile text. */
function pathValueArb(op: Operation, name: string, world: World): fc.Arbitrary<string> {
  const known =
    name === 'key'
      ? [world.defaultKey, 'missing.key']
      : [
          world.user.extraSessionId,
          world.other.sourceId,
          world.other.jobId,
          world.other.apiKey.id,
          world.other.extraSessionId,
          world.other.feedbackId,
          world.user.feedbackId,
          world.webhookId,
          world.victimId,
          // The user's own job is left out of the SSE route: its stream only ends with the job.
          ...(op.sse ? [] : [world.user.jobId, world.user.sourceId]),
        ].filter(Boolean);
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...known) },
    { weight: 2, arbitrary: fc.uuid() },
    { weight: 4, arbitrary: hostileString.map((s) => encode(s)) },
    // Raw, unencoded oddities: the router sees these as they are.
    {
      weight: 1,
      arbitrary: fc.constantFrom('..', '.', '%', '%00', '%2e%2e', '..%2f..%2fetc', 'a%2Fb', '%c0%af', '%ff', ';', '*'),
    },
  );
}

function queryArb(op: Operation): fc.Arbitrary<string> {
  const params = op.parameters.filter((p) => p.in === 'query');
  const one = (name: string, schemaArb: fc.Arbitrary<unknown>) =>
    fc.option(
      fc.oneof(
        { weight: 3, arbitrary: schemaArb.map((v) => `${encode(name)}=${encode(String(v))}`) },
        { weight: 3, arbitrary: hostileString.map((v) => `${encode(name)}=${encode(v.slice(0, 3000))}`) },
        {
          weight: 1,
          arbitrary: fc.constantFrom(`${name}=1&${name}=2`, `${name}[]=1`, `${name}[a]=1`, `${name}`, `${name}=`),
        },
      ),
      { freq: 2 },
    );
  const extra = fc.option(
    fc.constantFrom('__proto__[polluted]=1', 'constructor[prototype][polluted]=1', 'unknown=1', '%zz=1', 'a=%zz'),
    { freq: 5 },
  );
  return fc
    .tuple(fc.tuple(...params.map((p) => one(p.name, validValue(p.schema)))), extra)
    .map(([parts, x]) => [...parts, x].filter((p): p is string => !!p).join('&'));
}

function requestArb(op: Operation, world: World): fc.Arbitrary<InjectOptions & { auth: Auth }> {
  const pathNames = op.parameters.filter((p) => p.in === 'path').map((p) => p.name);
  const headerParams = op.parameters.filter((p) => p.in === 'header');
  // Mostly a normal user; admin routes mostly as admin, so their handlers are fuzzed too.
  const weights: [Auth, number][] = ADMIN_OPS.has(op.id)
    ? [
        ['admin', 6],
        ['user', 2],
        ['none', 1],
        ['garbage', 1],
      ]
    : [
        ['user', 6],
        ['admin', 1],
        ['none', 1],
        ['garbage', 1],
        ['apikey', op.apiKey ? 2 : 0],
      ];
  const auth = fc.oneof(
    ...weights.filter(([, w]) => w > 0).map(([a, weight]) => ({ weight, arbitrary: fc.constant(a) })),
  );
  return fc
    .record({
      auth,
      garbage: fc.oneof(
        hostileString,
        fc.constantFrom('a.b.c', 'eyJhbGciOiJub25lIn0.e30.', 'nxk_000000000000_' + '0'.repeat(64)),
      ),
      path: fc.tuple(...pathNames.map((n) => pathValueArb(op, n, world))),
      query: queryArb(op),
      body: bodyArb(op),
      headerValues: fc.tuple(
        ...headerParams.map(() =>
          fc.option(fc.oneof(fc.constant('*'), fc.constant('"1"'), hostileString), { freq: 2 }),
        ),
      ),
      requestId: fc.option(hostileString, { freq: 4 }),
      accept: fc.option(fc.constantFrom('text/event-stream', 'application/xml', '*/*', 'text/csv'), { freq: 4 }),
    })
    .map((r) => {
      const url =
        fillPath(op.path, Object.fromEntries(pathNames.map((n, i) => [n, r.path[i]]))) + (r.query ? `?${r.query}` : '');
      const headers: Record<string, string> = { ...authHeaders(world, op, r.auth, r.garbage) };
      headerParams.forEach((p, i) => {
        const v = r.headerValues[i];
        if (v !== null) headers[p.name.toLowerCase()] = headerSafe(v);
      });
      if (r.requestId !== null) headers['x-request-id'] = headerSafe(r.requestId) || '-';
      if (r.accept !== null) headers.accept = r.accept;
      if (r.body.contentType) headers['content-type'] = r.body.contentType;
      const sse = op.sse || (op.id === 'POST /api/v1/ask' && r.accept === 'text/event-stream');
      return {
        auth: r.auth,
        method: op.method,
        url,
        headers,
        payload: r.body.payload,
        streamMs: sse ? STREAM_MS : undefined,
      };
    });
}

async function runPool<T>(items: T[], concurrency: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await run(items[next++]);
    }),
  );
}

describe('schema fuzz from openapi.json', () => {
  let app: NestFastifyApplication;
  let world: World;
  const auditor = new ResponseAuditor();

  beforeAll(async () => {
    app = await bootAuthApp({ LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' });
    const admin = await createUser(app, { admin: true });
    const user = await createOwner(app, { tag: 'fuzz-user' });
    const other = await createOwner(app, { tag: 'fuzz-other' });
    const victim = await createUser(app);
    const hook = await http(app)
      .post('/api/v1/webhooks')
      .set(bearer(admin.accessToken))
      .send({ url: 'https://hooks.example.com/fuzz', events: ['*'] });
    const defaultKey = 'fuzz.theme';
    await http(app)
      .put(`/api/v1/defaults/${defaultKey}`)
      .set(bearer(admin.accessToken))
      .send({ value: 'dark' })
      .expect(201);
    const throwaway = await createUser(app);
    world = { user, other, admin, throwaway, victimId: victim.id, webhookId: hook.body.endpoint.id, defaultKey };
  });
  afterAll(() => app?.close());

  it(`answers ${RUNS} generated requests over every operation without a 5xx, a leak or a malformed error`, async () => {
    const ops = operations();
    const perOp = Math.ceil(RUNS / ops.length);
    const requests = ops.flatMap((op, i) =>
      fc.sample(requestArb(op, world), { numRuns: perOp, seed: SEED + i }).map((r) => ({ op, r })),
    );
    const started = Date.now();
    await runPool(requests, CONCURRENCY, async ({ op, r }) => {
      const res = await inject(app, r);
      auditor.check(r, res, {
        label: op.id,
        allowWebhookSecret: /webhooks(\/\{id\}\/rotate-secret)?$/.test(op.path),
        streamed: r.streamMs !== undefined && res.statusCode < 400,
      });
    });
    await auditor.scanStoredSecrets(app.get(DataSource));
    const seconds = (Date.now() - started) / 1000;
    const polluted = ({} as Record<string, unknown>).polluted;
    console.log(
      `schema fuzz: ${auditor.count} requests over ${ops.length} operations in ${seconds.toFixed(1)} s (seed ${SEED})\nstatus histogram: ${auditor.histogram()}`,
    );
    expect(polluted).toBeUndefined();
    expect(auditor.findings.length ? auditor.report() : 'no findings').toBe('no findings');
    expect(auditor.count).toBeGreaterThanOrEqual(RUNS);
    // Most requests must get past authentication, or the fuzz would test nothing but the guard.
    const authed = [...auditor.statuses.entries()].filter(([s]) => s !== 401).reduce((n, [, c]) => n + c, 0);
    expect(authed / auditor.count).toBeGreaterThan(0.6);
    recordReliability({
      scenario: 'security/schema-fuzz',
      checks:
        'requests generated from openapi.json (valid and hostile bodies, params, query, headers): no 5xx, no stack/SQL/path/secret, errors are problem+json',
      figure: `${auditor.count} requests over ${ops.length} operations in ${seconds.toFixed(0)} s, 0 5xx, 0 findings; statuses ${auditor.histogram()}`,
    });
  }, 300_000);

  it('puts SQL injection and path traversal strings in every string field and parameter of every operation', async () => {
    const ops = operations();
    const local = new ResponseAuditor();
    const payloads = [...SQL_INJECTION, ...PATH_TRAVERSAL, 'a\u0000b'];
    const jobs: { op: Operation; r: InjectOptions }[] = [];
    for (const op of ops) {
      const base = op.body
        ? (fc.sample(validValue(op.body), { numRuns: 1, seed: SEED })[0] as Record<string, unknown>)
        : undefined;
      const targets: { kind: string; name: string[] }[] = [
        ...op.parameters.map((p) => ({ kind: p.in, name: [p.name] })),
        ...(op.body ? stringFields(op.body).map((name) => ({ kind: 'body', name })) : []),
      ];
      for (const t of targets) {
        for (const s of payloads) {
          const path = Object.fromEntries(
            op.parameters
              .filter((p) => p.in === 'path')
              .map((p) => [p.name, p.name === 'key' ? world.defaultKey : world.other.sourceId]),
          );
          let query = '';
          const headers: Record<string, string> = {
            ...bearer(world.user.accessToken),
            'content-type': 'application/json',
          };
          let body = base;
          if (t.kind === 'path') path[t.name[0]] = encode(s);
          if (t.kind === 'query') query = `?${encode(t.name[0])}=${encode(s)}`;
          if (t.kind === 'header') headers[t.name[0].toLowerCase()] = headerSafe(s);
          if (t.kind === 'body' && body) body = setPath(body, t.name, s);
          jobs.push({
            op,
            r: {
              method: op.method,
              url: fillPath(op.path, path) + query,
              headers,
              payload: body ? JSON.stringify(body) : undefined,
              streamMs: op.sse ? STREAM_MS : undefined,
            },
          });
        }
      }
    }
    await runPool(jobs, CONCURRENCY, async ({ op, r }) =>
      local.check(r, await inject(app, r), { label: op.id, allowWebhookSecret: false, streamed: op.sse }),
    );
    // No data leak: nothing of the other user's (their email, source URL) in any of these answers.
    const leaked = [world.other.email, `fuzz-other-${world.other.id.slice(0, 8)}`];
    await local.scanStoredSecrets(app.get(DataSource));
    console.log(`injection: ${local.count} requests, statuses ${local.histogram()}`);
    expect(local.findings.length ? local.report() : 'no findings').toBe('no findings');
    const bodies = await Promise.all(
      ['/api/v1/sources', '/api/v1/api-keys', '/api/v1/auth/sessions', '/api/v1/auth/me/export'].map(async (u) =>
        JSON.stringify((await http(app).get(u).set(bearer(world.user.accessToken))).body),
      ),
    );
    for (const marker of leaked) expect(bodies.join('\n')).not.toContain(marker);
    expect(HOSTILE_STRINGS.length).toBeGreaterThan(20);
    recordReliability({
      scenario: 'security/injection',
      checks:
        'every SQL-injection and path-traversal string in every string body field and every path/query/header parameter of every operation',
      figure: `${local.count} requests, 0 5xx, 0 leaks; statuses ${local.histogram()}`,
    });
  }, 180_000);
});
