import '../support/api-role';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { bootApp } from '../support/app';
import { AUTH_TEST_ENV, bearer, createUser, login, TestUser } from '../support/auth';
import { scanBody } from '../support/leak-scan';
import { recordReliability } from '../support/reliability-report';
import { inject, ResponseAuditor, SeenResponse } from './audit';
import { ADMIN_OPS, fillPath, Operation, operations, PUBLIC_OPS, SESSION_ENDING_OPS } from './spec';
import { ALL_SCOPES, createApiKey, createOwner, Owner } from './world';

/**
 * OWASP API Security Top 10 (2023), the parts a test can decide: API1 object-level and API5
 * function-level authorisation, API3 mass assignment (and no secret in any response), API8
 * security headers / CORS / unknown routes, API9 the router and openapi.json listing the same
 * routes. Every response goes through the ResponseAuditor as well.
 */
const ORIGIN = 'https://app.example.test';
/** Routes outside the API document on purpose: Swagger UI, the web client, Prometheus. */
const UNDOCUMENTED = [
  /^GET \/docs/,
  /^GET \/metrics$/,
  /^GET \/(?:index\.html|favicon\.svg|assets\/.*)?$/,
  /^GET \/\*$/,
];

describe('OWASP API Top 10 checks', () => {
  let app: NestFastifyApplication;
  const routes: { method: string; url: string }[] = [];
  const auditor = new ResponseAuditor();
  let a: Owner;
  let b: Owner;
  let admin: TestUser;
  let bKeyAll: string;
  const ops = operations();

  // Parsed bodies are read like supertest's res.body (any), field by field, in the assertions.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  type Json = any;
  async function call(
    method: string,
    url: string,
    headers: Record<string, string> = {},
    body?: unknown,
    streamMs?: number,
  ): Promise<SeenResponse & { json: Json }> {
    const req = {
      method,
      url,
      headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      payload: body === undefined ? undefined : JSON.stringify(body),
      streamMs,
    };
    const res = await inject(app, req);
    auditor.check(req, res, {
      label: `${method} ${url}`,
      allowWebhookSecret: /^\/api\/v1\/webhooks(\/[^/]+\/rotate-secret)?$/.test(url),
      streamed: streamMs !== undefined && res.statusCode < 400,
    });
    let json: Json;
    try {
      json = JSON.parse(res.body);
    } catch {
      json = undefined;
    }
    return { ...res, json };
  }

  beforeAll(async () => {
    app = await bootApp(AUTH_TEST_ENV, {
      beforeInit: (nest) =>
        nest
          .getHttpAdapter()
          .getInstance()
          .addHook('onRoute', (r) => {
            for (const m of [r.method].flat())
              if (m !== 'HEAD' && m !== 'OPTIONS') routes.push({ method: m, url: r.url });
          }),
    });
    admin = await createUser(app, { admin: true });
    a = await createOwner(app, { tag: 'owasp-a' });
    b = await createOwner(app, { tag: 'owasp-b' });
    bKeyAll = b.apiKey.secret;
  });
  afterAll(() => app?.close());

  describe('API1 broken object-level authorisation: another user’s ids answer 404', () => {
    const attempts = (o: Owner): [string, string, unknown?][] => [
      ['GET', `/api/v1/sources/${o.sourceId}`],
      ['GET', `/api/v1/sources/${o.sourceId}/pages`],
      ['POST', `/api/v1/sources/${o.sourceId}/recrawl`],
      ['DELETE', `/api/v1/sources/${o.sourceId}`],
      ['GET', `/api/v1/ingestion-jobs/${o.jobId}`],
      ['POST', `/api/v1/ingestion-jobs/${o.jobId}/cancel`],
      ['GET', `/api/v1/ingestion-jobs/${o.jobId}/events`],
      ['POST', '/api/v1/ask', { question: 'what is in the docs?', sourceIds: [o.sourceId] }],
      ['POST', '/api/v1/ask/stream', { question: 'what is in the docs?', sourceIds: [o.sourceId] }],
    ];
    const userOnly = (o: Owner): [string, string, unknown?][] => [
      ['DELETE', `/api/v1/api-keys/${o.apiKey.id}`],
      ['POST', `/api/v1/api-keys/${o.apiKey.id}/rotate`],
      ['DELETE', `/api/v1/auth/sessions/${o.extraSessionId}`],
    ];

    it.each([
      ['a user token', () => bearer(b.accessToken), true],
      ['an API key with every scope', () => ({ 'x-api-key': bKeyAll }), false],
    ])(
      'B with %s gets 404 on every resource of A, and A’s resources are untouched',
      async (_label, creds, withUserRoutes) => {
        const list = [...attempts(a), ...(withUserRoutes ? userOnly(a) : [])];
        for (const [method, url, body] of list) {
          const res = await call(
            method,
            url,
            creds(),
            body,
            url.endsWith('/events') || url.endsWith('/stream') ? 1000 : undefined,
          );
          expect(
            `${method} ${url} -> ${res.statusCode} ${/not-found$/.test(res.json?.code) ? 'not-found' : res.json?.code}`,
          ).toBe(`${method} ${url} -> 404 not-found`);
        }
        // Still A's, still there, still working.
        expect((await call('GET', `/api/v1/sources/${a.sourceId}`, bearer(a.accessToken))).statusCode).toBe(200);
        const job = await call('GET', `/api/v1/ingestion-jobs/${a.jobId}`, bearer(a.accessToken));
        expect(job.json.status).not.toBe('cancelled');
        expect((await call('GET', '/api/v1/auth/me', { 'x-api-key': a.apiKey.secret })).statusCode).toBe(200);
        const sessions = await call('GET', '/api/v1/auth/sessions', bearer(a.accessToken));
        expect(sessions.json.map((s: { id: string }) => s.id)).toContain(a.extraSessionId);
      },
    );

    it('lists and the privacy export show only the caller’s own objects', async () => {
      const views = await Promise.all(
        [
          '/api/v1/sources',
          '/api/v1/api-keys',
          '/api/v1/auth/sessions',
          '/api/v1/auth/me/export',
          '/api/v1/auth/me',
        ].map((u) => call('GET', u, bearer(b.accessToken))),
      );
      const text = views.map((v) => v.body).join('\n');
      for (const marker of [a.id, a.email, a.sourceId, a.jobId, a.apiKey.id, a.extraSessionId, a.feedbackId])
        expect(text).not.toContain(marker);
      expect(text).toContain(b.sourceId);
    });

    it('feedback and webhook objects are admin-only (no user can read another’s feedback)', async () => {
      expect((await call('GET', `/api/v1/feedback/${a.feedbackId}`, bearer(b.accessToken))).statusCode).toBe(403);
      expect((await call('GET', `/api/v1/feedback/${a.feedbackId}`, bearer(a.accessToken))).statusCode).toBe(403);
      expect((await call('GET', `/api/v1/feedback/${a.feedbackId}`, bearer(admin.accessToken))).statusCode).toBe(200);
    });
  });

  describe('API5 broken function-level authorisation', () => {
    const sample = (op: Operation) =>
      fillPath(op.path, { id: randomUUID(), deliveryId: randomUUID(), key: 'owasp.key' });
    const stream = (op: Operation) => (op.sse ? 1000 : undefined);

    it('classifies every operation of openapi.json, and the spec marks exactly the public ones public', () => {
      for (const op of ops) expect(`${op.id}: public=${op.public}`).toBe(`${op.id}: public=${PUBLIC_OPS.has(op.id)}`);
      const ids = new Set(ops.map((o) => o.id));
      for (const id of [...ADMIN_OPS, ...PUBLIC_OPS])
        expect(ids.has(id) ? id : `${id} is not in openapi.json`).toBe(id);
    });

    it('anonymous callers get 401 on every non-public operation', async () => {
      for (const op of ops.filter((o) => !PUBLIC_OPS.has(o.id))) {
        const res = await call(op.method, sample(op), {}, op.body ? {} : undefined, stream(op));
        expect(`${op.id} -> ${res.statusCode}`).toBe(`${op.id} -> 401`);
      }
      for (const op of ops.filter((o) => PUBLIC_OPS.has(o.id))) {
        const res = await call(op.method, sample(op), {}, op.body ? {} : undefined);
        expect(`${op.id} -> ${res.statusCode === 401 ? 401 : 'open'}`).toBe(`${op.id} -> open`);
      }
    });

    it('a normal user gets 403 on every admin operation and passes the guard everywhere else', async () => {
      const user = await createUser(app);
      for (const op of ops.filter((o) => !PUBLIC_OPS.has(o.id))) {
        // An empty body: past the guards it fails validation (400), proving the guard let it in.
        const res = await call(op.method, sample(op), bearer(user.accessToken), op.body ? {} : undefined, stream(op));
        const verdict = res.statusCode === 401 || res.statusCode === 403 ? res.statusCode : 'allowed';
        expect(`${op.id} -> ${verdict}`).toBe(`${op.id} -> ${ADMIN_OPS.has(op.id) ? 403 : 'allowed'}`);
        // Logout / logout-all ended the token's session: the next operations need a new one.
        if (SESSION_ENDING_OPS.has(op.id)) user.accessToken = (await login(app, user.email)).accessToken;
      }
    });

    it('a normal user’s API key with every scope reaches only the operations that declare scopes, never admin ones', async () => {
      const user = await createUser(app);
      const key = await createApiKey(app, user, ALL_SCOPES);
      for (const op of ops.filter((o) => !PUBLIC_OPS.has(o.id))) {
        const res = await call(
          op.method,
          sample(op),
          { 'x-api-key': key.secret },
          op.body ? {} : undefined,
          stream(op),
        );
        const verdict = res.statusCode === 401 || res.statusCode === 403 ? res.statusCode : 'allowed';
        expect(`${op.id} -> ${verdict}`).toBe(`${op.id} -> ${op.apiKey && !ADMIN_OPS.has(op.id) ? 'allowed' : 403}`);
      }
    });

    it('an admin’s API key reaches only scoped operations too: admin-only routes need the admin in person', async () => {
      const key = await createApiKey(app, admin, ALL_SCOPES);
      for (const op of ops.filter((o) => ADMIN_OPS.has(o.id))) {
        const res = await call(op.method, sample(op), { 'x-api-key': key.secret }, op.body ? {} : undefined);
        const allowed = op.apiKey && op.id !== 'POST /api/v1/defaults/model/train';
        expect(`${op.id} -> ${res.statusCode === 403 ? 403 : 'allowed'}`).toBe(
          `${op.id} -> ${allowed ? 'allowed' : 403}`,
        );
      }
    });
  });

  describe('API3 mass assignment: fields the client must not set are refused, and nothing changes', () => {
    it('register with role/id/createdAt is refused and creates no account', async () => {
      const email = `mass-${randomUUID().slice(0, 8)}@example.test`;
      for (const extra of [
        { role: 'admin' },
        { id: randomUUID() },
        { createdAt: '2000-01-01T00:00:00Z' },
        { disabled: false },
        { passwordHash: 'x' },
      ]) {
        const res = await call(
          'POST',
          '/api/v1/auth/register',
          {},
          { email, password: 'correct-horse-battery-9', ...extra },
        );
        expect([Object.keys(extra)[0], res.statusCode, res.json.code]).toEqual([
          Object.keys(extra)[0],
          400,
          'validation-failed',
        ]);
      }
      const rows = await app.get(DataSource).query('SELECT 1 FROM users WHERE email = $1', [email]);
      expect(rows).toHaveLength(0);
    });

    it('profile, sources, keys, feedback, webhooks and defaults refuse owner/role/id fields; reading back shows no change', async () => {
      const user = await createOwner(app, { tag: 'mass' });
      const cases: [string, string, Record<string, unknown>, Record<string, string>][] = [
        ['PATCH', '/api/v1/auth/me', { displayName: 'x', role: 'admin' }, bearer(user.accessToken)],
        ['PATCH', '/api/v1/auth/me', { email: 'other@example.test' }, bearer(user.accessToken)],
        ['PATCH', '/api/v1/auth/me', { id: randomUUID() }, bearer(user.accessToken)],
        ['POST', '/api/v1/sources', { url: 'https://mass.example.com/', ownerId: b.id }, bearer(user.accessToken)],
        ['POST', '/api/v1/sources', { url: 'https://mass.example.com/', userId: b.id }, bearer(user.accessToken)],
        ['POST', '/api/v1/api-keys', { name: 'k', scopes: ['ask:query'], userId: b.id }, bearer(user.accessToken)],
        [
          'POST',
          '/api/v1/api-keys',
          { name: 'k', scopes: ['ask:query'], prefix: '000000000000' },
          bearer(user.accessToken),
        ],
        ['POST', '/api/v1/feedback', { type: 'bug', message: 'm', status: 'closed' }, bearer(user.accessToken)],
        ['POST', '/api/v1/feedback', { type: 'bug', message: 'm', userId: b.id }, bearer(user.accessToken)],
        [
          'PATCH',
          `/api/v1/feedback/${user.feedbackId}`,
          { status: 'closed', message: 'rewritten' },
          bearer(admin.accessToken),
        ],
        [
          'POST',
          '/api/v1/webhooks',
          { url: 'https://hooks.example.com/m', events: ['*'], secret: 'whsec_mine' },
          bearer(admin.accessToken),
        ],
        ['PUT', '/api/v1/defaults/mass.key', { value: 1, version: 99 }, bearer(admin.accessToken)],
        ['PUT', '/api/v1/defaults/mass.key', { value: 1, updatedBy: b.id }, bearer(admin.accessToken)],
        ['PATCH', `/api/v1/admin/users/${user.id}`, { email: 'x@example.test' }, bearer(admin.accessToken)],
      ];
      for (const [method, url, body, creds] of cases) {
        const res = await call(method, url, creds, body);
        expect(`${method} ${url} ${Object.keys(body).join(',')} -> ${res.statusCode}`).toBe(
          `${method} ${url} ${Object.keys(body).join(',')} -> 400`,
        );
      }
      const me = await call('GET', '/api/v1/auth/me', bearer(user.accessToken));
      expect(me.json).toMatchObject({ id: user.id, email: user.email, role: 'user' });
      expect(
        (await call('GET', '/api/v1/sources', bearer(b.accessToken))).json.map((s: { id: string }) => s.id),
      ).toEqual([b.sourceId]);
      expect(
        (await call('GET', '/api/v1/api-keys', bearer(b.accessToken))).json.map((k: { id: string }) => k.id),
      ).toEqual([b.apiKey.id]);
      expect((await call('GET', `/api/v1/feedback/${user.feedbackId}`, bearer(admin.accessToken))).json.status).toBe(
        'new',
      );
      expect((await call('GET', '/api/v1/defaults/mass.key', bearer(admin.accessToken))).statusCode).toBe(404);
    });

    it('JSON prototype keys are refused and pollute nothing', async () => {
      for (const payload of ['{"__proto__":{"role":"admin"}}', '{"constructor":{"prototype":{"role":"admin"}}}']) {
        const req = {
          method: 'PATCH',
          url: '/api/v1/auth/me',
          headers: { ...bearer(a.accessToken), 'content-type': 'application/json' },
          payload,
        };
        const res = await inject(app, req);
        auditor.check(req, res, { label: 'PATCH /api/v1/auth/me (proto)' });
        expect(res.statusCode).toBe(400);
      }
      expect(({} as Record<string, unknown>).role).toBeUndefined();
      expect((await call('GET', '/api/v1/auth/me', bearer(a.accessToken))).json.role).toBe('user');
    });
  });

  describe('API8 security misconfiguration', () => {
    const everyUrl = () => [
      ...ops.map((op) => ({
        method: op.method,
        url: fillPath(op.path, { id: randomUUID(), deliveryId: randomUUID(), key: 'owasp.key' }),
        sse: op.sse,
      })),
      { method: 'GET', url: '/metrics', sse: false },
      { method: 'GET', url: '/docs/json', sse: false },
      { method: 'GET', url: '/api/v1/nowhere', sse: false },
    ];

    it('sends the security headers and the CORS grant for an allowed origin on every route, streams included', async () => {
      for (const { method, url, sse } of everyUrl()) {
        for (const creds of [{}, bearer(admin.accessToken)]) {
          const res = await call(method, url, { ...creds, origin: ORIGIN }, undefined, sse ? 1000 : undefined);
          expect(`${method} ${url}: ${res.headers['access-control-allow-origin']}`).toBe(`${method} ${url}: ${ORIGIN}`);
          expect(res.headers['access-control-allow-credentials']).toBe('true');
        }
        const foreign = await call(method, url, { origin: 'https://evil.example' }, undefined, sse ? 1000 : undefined);
        expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
        const preflight = await call('OPTIONS', url, {
          origin: ORIGIN,
          'access-control-request-method': method,
          'access-control-request-headers': 'authorization,content-type',
        });
        expect(`${url} preflight ${preflight.statusCode} ${preflight.headers['access-control-allow-origin']}`).toBe(
          `${url} preflight 204 ${ORIGIN}`,
        );
        expect(String(preflight.headers['access-control-allow-methods'])).toContain(method);
      }
    });

    it('streams (SSE) carry the security headers, request id and CORS grant on a real socket too', async () => {
      await app.listen(0, '127.0.0.1');
      const base = await app.getUrl();
      const job = await fetchStream(`${base}/api/v1/ingestion-jobs/${a.jobId}/events`, {
        ...bearer(a.accessToken),
        origin: ORIGIN,
        'x-request-id': 'sse-job-1',
      });
      const ask = await fetchStream(
        `${base}/api/v1/ask/stream`,
        { ...bearer(a.accessToken), origin: ORIGIN, 'x-request-id': 'sse-ask-1', 'content-type': 'application/json' },
        { question: 'anything?' },
      );
      for (const [res, id] of [
        [job, 'sse-job-1'],
        [ask, 'sse-ask-1'],
      ] as const) {
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toBe('text/event-stream');
        expect(res.headers.get('x-request-id')).toBe(id);
        expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
        for (const h of [
          'x-content-type-options',
          'content-security-policy',
          'strict-transport-security',
          'x-frame-options',
        ])
          expect(res.headers.get(h)).toBeTruthy();
      }
    });

    it('answers unknown routes and versions with a 404 problem, and a wrong method on a known route with 405 + Allow', async () => {
      for (const [method, url, expected] of [
        ['GET', '/api/v1/nope', /-> 404$/],
        ['POST', '/api/v1/sources/x/y/z', /-> 404$/],
        ['GET', '/api/v2/sources', /-> 404$/],
        ['DELETE', '/api/v1/auth/login', /-> 405 POST$/],
        ['PUT', '/api/v1/sources', /-> 405 GET, HEAD, POST$/],
        ['GET', '/api/v1/../../etc/passwd', /-> 40[04]$/],
        ['GET', '/.env', /-> 404$/],
        ['GET', '/api/v1/%zz', /-> 400$/],
      ] as const) {
        const res = await call(method, url, bearer(a.accessToken));
        const allow = res.headers['allow'] ? ` ${res.headers['allow']}` : '';
        expect(`${method} ${url} -> ${res.statusCode}${allow}`).toMatch(expected);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      }
    });
  });

  describe('API9 improper inventory: the router and openapi.json list the same routes', () => {
    it('every documented operation is routed, and every route is documented (or deliberately not)', () => {
      const toSpec = (url: string) => url.replace(/:(\w+)/g, '{$1}');
      const routed = new Set(routes.map((r) => `${r.method} ${toSpec(r.url)}`));
      const documented = new Set(ops.map((o) => o.id));
      const undocumented = [...routed].filter((r) => !documented.has(r) && !UNDOCUMENTED.some((re) => re.test(r)));
      const unrouted = [...documented].filter((d) => !routed.has(d));
      expect({ undocumented, unrouted }).toEqual({ undocumented: [], unrouted: [] });
      expect(routed.size).toBeGreaterThan(documented.size);
    });

    it('documents each header parameter once (a duplicate, required idempotency-key header was listed)', () => {
      for (const op of ops) {
        const headers = op.parameters.filter((p) => p.in === 'header').map((p) => p.name.toLowerCase());
        expect(`${op.id}: ${headers.join(',')}`).toBe(`${op.id}: ${[...new Set(headers)].join(',')}`);
      }
    });
  });

  it('the scan every e2e app runs (test/support/leak-scan.ts) recognises what it looks for', () => {
    expect(scanBody('/api/v1/x', '{"a":"$argon2id$v=19$m=1024,t=1,p=1$abc"}', 'k'.repeat(32))).toBe('an argon2 hash');
    expect(scanBody('/api/v1/x', '{"secretHash":"00"}', 'k'.repeat(32))).toBe('a stored-digest field');
    expect(scanBody('/api/v1/x', `{"a":"${'k'.repeat(32)}"}`, 'k'.repeat(32))).toBe('the JWT secret');
    expect(scanBody('/api/v1/x', '{"id":"1","email":"a@b.c"}', 'k'.repeat(32))).toBeNull();
  });

  it('saw no secret, hash, stack trace or malformed error in any response of this suite', async () => {
    await auditor.scanStoredSecrets(app.get(DataSource));
    // Expected 4xx answers (401/403/404 above) are fine; anything the auditor flags is not.
    expect(auditor.findings.length ? auditor.report() : 'no findings').toBe('no findings');
    expect(auditor.count).toBeGreaterThan(300);
    recordReliability({
      scenario: 'security/owasp-api',
      checks:
        'OWASP API Top 10 (2023): object- and function-level authorisation on every operation, mass assignment, headers/CORS on every route, unknown routes, route inventory vs openapi.json, secret scan',
      figure: `${auditor.count} responses, ${ops.length} operations classified (${ADMIN_OPS.size} admin, ${PUBLIC_OPS.size} public), 0 findings; statuses ${auditor.histogram()}`,
    });
  });
});

/** Reads just the head of a stream over a real socket, then hangs up. */
async function fetchStream(url: string, headers: Record<string, string>, body?: unknown): Promise<Response> {
  const abort = new AbortController();
  const res = await fetch(url, {
    method: body ? 'POST' : 'GET',
    headers,
    body: body ? JSON.stringify(body) : undefined,
    signal: abort.signal,
  });
  setTimeout(() => abort.abort(), 200).unref();
  await res.body
    ?.getReader()
    .read()
    .catch(() => undefined);
  abort.abort();
  return res;
}
