import { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { bootApp } from './support/app';
import { FixturesController } from './support/fixtures.controller';

const ORIGIN = 'https://app.example.test';
const PROBLEM = /^application\/problem\+json/;

describe('HTTP wiring', () => {
  let app: NestFastifyApplication;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    app = await bootApp(
      { CORS_ORIGINS: ORIGIN, MAX_PAYLOAD_SIZE_MB: '1', REQUEST_TIMEOUT_MS: '200', METRICS_TOKEN: '' },
      { controllers: [FixturesController] },
    );
  });
  afterAll(() => app.close());

  describe('routing', () => {
    it('serves routes under /api/v1 only', async () => {
      await http().get('/api/v1/health/live').expect(200);
      await http().get('/health/live').expect(404);
      await http().get('/api/health/live').expect(404);
    });
  });

  describe('problem+json errors', () => {
    it('answers an unknown route with a 404 problem', async () => {
      const res = await http().get('/api/v1/nowhere?x=1').expect(404).expect('content-type', PROBLEM);
      expect(res.body).toEqual({
        type: '/problems/not-found',
        title: 'Not Found',
        status: 404,
        detail: expect.any(String),
        instance: '/api/v1/nowhere?x=1',
        code: 'not-found',
        requestId: res.headers['x-request-id'],
      });
    });

    it('lists every invalid field of a body', async () => {
      const res = await http()
        .post('/api/v1/test/echo')
        .send({ name: 'x'.repeat(30), count: 99, email: 'nope' })
        .expect(400)
        .expect('content-type', PROBLEM);
      expect(res.body.code).toBe('validation-failed');
      expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['count', 'email', 'name']);
      expect(res.body.errors[0].messages.length).toBeGreaterThan(0);
    });

    it('refuses unknown fields instead of ignoring them', async () => {
      const res = await http().post('/api/v1/test/echo').send({ name: 'a', count: 1, isAdmin: true }).expect(400);
      expect(res.body.errors).toEqual([{ field: 'isAdmin', messages: [expect.stringMatching(/should not exist/)] }]);
    });

    it('transforms a valid body into the DTO class', async () => {
      const res = await http().post('/api/v1/test/echo').send({ name: 'a', count: 2 }).expect(201);
      expect(res.body).toEqual({ received: { name: 'a', count: 2 }, isDto: true });
    });

    it('answers malformed JSON with a 400 problem', async () => {
      const res = await http()
        .post('/api/v1/test/echo')
        .set('content-type', 'application/json')
        .send('{"name": ')
        .expect(400)
        .expect('content-type', PROBLEM);
      expect(res.body.status).toBe(400);
    });

    it('answers a body over MAX_PAYLOAD_SIZE_MB with 413', async () => {
      const res = await http()
        .post('/api/v1/test/echo')
        .set('content-type', 'application/json')
        .send(JSON.stringify({ name: 'x'.repeat(1024 * 1024 + 10), count: 1 }))
        .expect(413)
        .expect('content-type', PROBLEM);
      expect(res.body.code).toBe('payload-too-large');
    });

    it('turns a unique violation into 409', async () => {
      const res = await http().get('/api/v1/test/duplicate').expect(409).expect('content-type', PROBLEM);
      expect(res.body.code).toBe('conflict');
    });

    it('hides internals of unexpected errors', async () => {
      const res = await http().get('/api/v1/test/boom').expect(500).expect('content-type', PROBLEM);
      expect(res.body.detail).toBe('An unexpected error occurred');
      expect(JSON.stringify(res.body)).not.toMatch(/hunter2|db\.internal|at .*\.ts/);
    });

    it('answers 503 when a handler exceeds REQUEST_TIMEOUT_MS, unless the route opts out', async () => {
      const res = await http().get('/api/v1/test/slow/600').expect(503).expect('content-type', PROBLEM);
      expect(res.body.detail).toMatch(/longer than 200 ms/);
      await http().get('/api/v1/test/slow/50').expect(200);
      await http().get('/api/v1/test/slow-exempt/400').expect(200);
    });
  });

  describe('request ids', () => {
    it('echoes a well-formed X-Request-Id', async () => {
      const res = await http().get('/api/v1/nowhere').set('X-Request-Id', 'trace-123.abc').expect(404);
      expect(res.headers['x-request-id']).toBe('trace-123.abc');
      expect(res.body.requestId).toBe('trace-123.abc');
    });

    it('replaces a hostile X-Request-Id with a generated one', async () => {
      const res = await http().get('/api/v1/health/live').set('X-Request-Id', 'bad id <script>\u00e9').expect(200);
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('generates distinct ids when none is given', async () => {
      const a = await http().get('/api/v1/health/live');
      const b = await http().get('/api/v1/health/live');
      expect(a.headers['x-request-id']).not.toBe(b.headers['x-request-id']);
    });
  });

  describe('CORS and security headers', () => {
    it('allows a configured origin with credentials', async () => {
      const res = await http()
        .options('/api/v1/health/live')
        .set('Origin', ORIGIN)
        .set('Access-Control-Request-Method', 'PATCH')
        .set('Access-Control-Request-Headers', 'authorization,x-api-key');
      expect(res.status).toBeLessThan(300);
      expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
      expect(res.headers['access-control-allow-credentials']).toBe('true');
      expect(res.headers['access-control-allow-methods']).toMatch(/PATCH/);
      expect(res.headers['access-control-allow-headers']).toMatch(/X-API-Key/i);
    });

    it('gives a refused origin no CORS grant', async () => {
      const res = await http().get('/api/v1/health/live').set('Origin', 'https://evil.example');
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      const pre = await http()
        .options('/api/v1/health/live')
        .set('Origin', 'https://evil.example')
        .set('Access-Control-Request-Method', 'GET');
      expect(pre.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('sends helmet security headers', async () => {
      const res = await http().get('/api/v1/health/live');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
      expect(res.headers['strict-transport-security']).toBeDefined();
    });
  });

  describe('compression', () => {
    it('compresses large bodies and leaves small ones alone', async () => {
      // supertest decodes the body itself; the header shows what travelled on the wire.
      const big = await http().get('/api/v1/test/big').set('Accept-Encoding', 'gzip');
      expect(big.headers['content-encoding']).toBe('gzip');
      const br = await http().get('/api/v1/test/big').set('Accept-Encoding', 'br');
      expect(br.headers['content-encoding']).toBe('br');
      expect(big.body.text).toMatch(/^nexcore /);
      const small = await http().get('/api/v1/health/live').set('Accept-Encoding', 'gzip');
      expect(small.headers['content-encoding']).toBeUndefined();
    });
  });

  describe('OpenAPI', () => {
    it('serves Swagger UI and the JSON spec with both security schemes', async () => {
      const ui = await http().get('/docs').redirects(1);
      expect(ui.status).toBe(200);
      expect(ui.text).toMatch(/swagger-ui/i);
      const spec = await http().get('/docs/json').expect(200);
      expect(spec.body.openapi).toMatch(/^3\./);
      expect(Object.keys(spec.body.components.securitySchemes).sort()).toEqual(['api-key', 'bearer']);
      expect(spec.body.paths['/api/v1/health/ready']).toBeDefined();
      expect(Object.keys(spec.body.paths).some((p) => p.includes('/test/'))).toBe(true);
    });
  });

  describe('metrics', () => {
    it('labels requests by route pattern, never by raw URL', async () => {
      await http().get('/api/v1/test/items/123456').expect(200);
      await http().get('/api/v1/test/items/abcdef').expect(200);
      const res = await http().get('/metrics').expect(200);
      expect(res.headers['content-type']).toMatch(/text\/plain/);
      expect(res.text).toMatch(
        /http_requests_total\{method="GET",route="\/api\/v1\/test\/items\/:id",status="200"\} [2-9]/,
      );
      expect(res.text).not.toMatch(/123456|abcdef/);
      expect(res.text).toMatch(/http_requests_total\{method="GET",route="unmatched",status="404"\}/);
      expect(res.text).toMatch(/http_request_duration_seconds_bucket\{/);
      expect(res.text).toMatch(/process_resident_memory_bytes/);
      expect(res.text).toMatch(/# TYPE cache_operations_total counter/);
      expect(res.text).toMatch(/# TYPE rate_limit_rejections_total counter/);
    });
  });
});

describe('metrics token', () => {
  it('requires the bearer token when METRICS_TOKEN is set', async () => {
    const app = await bootApp({ METRICS_TOKEN: 'scrape-token-0123456789' });
    try {
      const res = await request(app.getHttpServer()).get('/metrics').expect(401);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      await request(app.getHttpServer())
        .get('/metrics')
        .set('Authorization', 'Bearer wrong-token-0123456789')
        .expect(401);
      await request(app.getHttpServer())
        .get('/metrics')
        .set('Authorization', 'Bearer scrape-token-0123456789')
        .expect(200);
    } finally {
      await app.close();
    }
  });
});
