import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { bootAuthApp, bearer, createUser, TestUser } from '../support/auth';
import { inject, ResponseAuditor } from './audit';

/**
 * HTTP semantics an outside probe found missing: 401 without a challenge, wrong methods
 * answered 404 instead of 405 + Allow, non-JSON bodies answered 400 instead of 415, and the
 * OpenAPI document rebuilt (and never cached by clients) on every request.
 */
describe('HTTP semantics at the edge', () => {
  let app: NestFastifyApplication;
  let user: TestUser;
  const auditor = new ResponseAuditor();

  beforeAll(async () => {
    app = await bootAuthApp();
    user = await createUser(app);
  });
  afterAll(() => app?.close());

  async function call(method: string, url: string, headers: Record<string, string> = {}, payload?: string) {
    const req = { method, url, headers, payload };
    const res = await inject(app, req);
    auditor.check(req, res, { label: `${method} ${url}` });
    return res;
  }

  describe('401 carries a WWW-Authenticate challenge (RFC 6750)', () => {
    it('without credentials: the Bearer realm, no error', async () => {
      const res = await call('GET', '/api/v1/auth/me');
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="nexcore"');
    });

    it('with a bad bearer token: error="invalid_token"', async () => {
      for (const token of ['garbage', 'a.b.c']) {
        const res = await call('GET', '/api/v1/auth/me', bearer(token));
        expect(res.statusCode).toBe(401);
        expect(res.headers['www-authenticate']).toBe('Bearer realm="nexcore", error="invalid_token"');
      }
      const odd = await call('GET', '/api/v1/auth/me', { authorization: 'Basic Zm9vOmJhcg==' });
      expect(odd.headers['www-authenticate']).toBe('Bearer realm="nexcore", error="invalid_token"');
    });

    it('with a bad API key: the ApiKey scheme with error="invalid_token"', async () => {
      const res = await call('GET', '/api/v1/auth/me', { 'x-api-key': 'nxk_nope' });
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toBe('ApiKey realm="nexcore", error="invalid_token"');
    });

    it('any other 401 (a failed login) names the Bearer realm too', async () => {
      const res = await call(
        'POST',
        '/api/v1/auth/login',
        { 'content-type': 'application/json' },
        JSON.stringify({ email: user.email, password: 'wrong-password-123' }),
      );
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="nexcore"');
    });

    it('a valid token gets no challenge', async () => {
      const res = await call('GET', '/api/v1/auth/me', bearer(user.accessToken));
      expect(res.statusCode).toBe(200);
      expect(res.headers['www-authenticate']).toBeUndefined();
    });
  });

  describe('a wrong method on an existing route answers 405 with Allow', () => {
    it.each([
      ['DELETE', '/api/v1/auth/login', 'POST'],
      ['PUT', '/api/v1/sources', 'GET, HEAD, POST'],
      ['POST', '/api/v1/health/live', 'GET, HEAD'],
    ])('%s %s -> 405, Allow: %s', async (method, url, allow) => {
      for (const creds of [{}, bearer(user.accessToken)]) {
        const res = await call(method, url, creds);
        expect(`${method} ${url} -> ${res.statusCode}`).toBe(`${method} ${url} -> 405`);
        expect(res.headers['allow']).toBe(allow);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(JSON.parse(res.body).code).toBe('method-not-allowed');
      }
    });

    it('a route with a parameter counts as existing', async () => {
      const res = await call(
        'PUT',
        '/api/v1/sources/00000000-0000-4000-8000-000000000000/recrawl',
        bearer(user.accessToken),
      );
      expect(res.statusCode).toBe(405);
      expect(res.headers['allow']).toBe('POST');
    });

    it('unknown paths stay 404', async () => {
      for (const [method, url] of [
        ['GET', '/api/v1/nope'],
        ['POST', '/api/v1/sources/x/y/z'],
        ['DELETE', '/api/v2/sources'],
      ]) {
        const res = await call(method, url, bearer(user.accessToken));
        expect(`${method} ${url} -> ${res.statusCode}`).toBe(`${method} ${url} -> 404`);
        expect(res.headers['allow']).toBeUndefined();
      }
    });
  });

  describe('a non-JSON body on a JSON route answers 415', () => {
    it.each(['text/plain', 'application/xml', 'application/x-www-form-urlencoded'])(
      '%s -> 415 problem',
      async (type) => {
        const res = await call('POST', '/api/v1/auth/login', { 'content-type': type }, 'email=a@b.c&password=x');
        expect(res.statusCode).toBe(415);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(JSON.parse(res.body).code).toBe('unsupported-media-type');
      },
    );
  });

  describe('the OpenAPI document is built once at boot and revalidated with an ETag', () => {
    it('serves the same prebuilt bytes without rebuilding, and 304 on If-None-Match', async () => {
      const build = jest.spyOn(SwaggerModule, 'createDocument');
      try {
        const first = await call('GET', '/docs/json');
        expect(first.statusCode).toBe(200);
        expect(first.headers['content-type']).toMatch(/^application\/json/);
        expect(JSON.parse(first.body).openapi).toMatch(/^3\./);
        const etag = String(first.headers['etag']);
        expect(etag).toMatch(/^W\/"[A-Za-z0-9_-]{16,}"$/);
        const again = await call('GET', '/docs/json');
        expect(again.headers['etag']).toBe(etag);
        expect(again.body).toBe(first.body);
        const notModified = await call('GET', '/docs/json', { 'if-none-match': etag });
        expect(notModified.statusCode).toBe(304);
        expect(notModified.body).toBe('');
        expect((await call('GET', '/docs/json', { 'if-none-match': '"other"' })).statusCode).toBe(200);
        expect(build).not.toHaveBeenCalled();
      } finally {
        build.mockRestore();
      }
    });
  });

  it('saw no malformed error response', () => {
    expect(auditor.findings.length ? auditor.report() : 'no findings').toBe('no findings');
  });
});
