import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { CrawlTargetCheck } from '../../src/modules/ingestion/crawl/crawl-target';
import { bearer, bootAuthApp, createUser, http, TestUser } from '../support/auth';
import { FixtureSite } from './fixture-site';
import { submit, waitForJob } from './helpers';

const BASE_ENV = {
  CRAWLER_POLITENESS_DELAY_MS: '0',
  CRAWLER_CONNECT_TIMEOUT_MS: '1000',
  CRAWLER_HEADERS_TIMEOUT_MS: '1000',
};

describe('crawler SSRF guard (CRAWLER_ALLOW_PRIVATE_NETWORKS off)', () => {
  let site: FixtureSite;
  beforeAll(async () => {
    site = await new FixtureSite().start();
  });
  afterAll(() => site.stop());

  async function crawlFails(app: NestFastifyApplication, user: TestUser, url: string, refused: RegExp): Promise<void> {
    const src = await submit(app, user, { url, respectRobots: false });
    const job = await waitForJob(app, user, src.job.id);
    expect(job.status).toBe('failed');
    expect(job.lastError).toMatch(/Refused to connect/);
    expect(job.lastError).toMatch(refused);
    expect(job.counters.indexed).toBe(0);
  }

  describe('with no host exempt', () => {
    let app: NestFastifyApplication;
    let user: TestUser;
    beforeAll(async () => {
      app = await bootAuthApp({ ...BASE_ENV, REDIS_KEY_PREFIX: `nxt:${randomBytes(4).toString('hex')}:` });
      user = await createUser(app);
    });
    afterAll(() => app.close());

    it('refuses loopback, cloud metadata, IPv6 loopback and a name resolving to loopback at POST /sources (422 naming the rule and CRAWLER_ALLOWED_HOSTS)', async () => {
      for (const [url, why] of [
        [`${site.origin}/`, /127\.0\.0\.1 is a loopback address/],
        ['http://169.254.169.254/latest/meta-data/', /linkLocal/],
        [`http://[::1]:${site.port}/`, /loopback/],
        // A host name is resolved at submission; what it resolves to is not told.
        [`http://localhost:${site.port}/`, /localhost: the name resolves to a loopback address/],
      ] as const) {
        const res = await http(app).post('/api/v1/sources').set(bearer(user.accessToken)).send({ url });
        expect([url, res.status, res.body.code]).toEqual([url, 422, 'crawl-target-refused']);
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(res.body.detail).toMatch(why);
        expect(res.body).toMatchObject({
          setting: 'CRAWLER_ALLOWED_HOSTS',
          rule: expect.stringMatching(/loopback, private, link-local/),
        });
        if (url.includes('localhost')) expect(JSON.stringify(res.body)).not.toMatch(/127\.0\.0\.1|::1/);
      }
      expect((await http(app).get('/api/v1/sources').set(bearer(user.accessToken))).body).toEqual([]);
      expect(site.hits.size).toBe(0);
    });

    it('fails the job with the reason when the start page is refused later (DNS answered a public address at submission)', async () => {
      // The name passed the submission check, then resolves to loopback when the crawler connects.
      const spy = jest.spyOn(app.get(CrawlTargetCheck), 'resolve').mockResolvedValue(['93.184.216.34']);
      try {
        for (const respectRobots of [true, false]) {
          const src = await submit(app, user, { url: `http://localhost:${site.port}/`, respectRobots });
          const job = await waitForJob(app, user, src.job.id);
          // Was: completed, 0/0/0, lastError null, the start page "skipped: robots".
          expect([respectRobots, job.status]).toEqual([respectRobots, 'failed']);
          expect(job.lastError).toMatch(/Refused to connect to localhost: the name resolves to a loopback address/);
          expect(job.lastError).toMatch(/CRAWLER_ALLOWED_HOSTS/);
          expect(job.lastError).not.toMatch(/127\.0\.0\.1|::1/);
          expect(job.counters.indexed).toBe(0);
        }
      } finally {
        spy.mockRestore();
      }
      expect(site.hits.size).toBe(0);
    });
  });

  describe('with only 127.0.0.1 exempt (CRAWLER_ALLOWED_HOSTS)', () => {
    let app: NestFastifyApplication;
    let user: TestUser;
    beforeAll(async () => {
      // `localhost` as an internal host name an operator opened (its errors must not show its address).
      app = await bootAuthApp({
        ...BASE_ENV,
        CRAWLER_ALLOWED_HOSTS: '127.0.0.1,localhost',
        REDIS_KEY_PREFIX: `nxt:${randomBytes(4).toString('hex')}:`,
      });
      user = await createUser(app);
    });
    afterAll(() => app.close());

    it('re-checks every redirect hop: a redirect to a blocked address is refused', async () => {
      for (const [target, why] of [
        [`http://[::1]:${site.port}/a`, /loopback/],
        ['http://169.254.169.254/latest/meta-data/', /linkLocal/],
      ] as const) {
        await crawlFails(app, user, `${site.origin}/redirect-to/${encodeURIComponent(target)}`, why);
      }
      expect([...site.hits.keys()].filter((k) => k.startsWith('/redirect-to/'))).toHaveLength(2);
      expect(site.hits.get('/a')).toBeUndefined();
    });

    it('does not tell what an internal host name resolves to in crawl errors', async () => {
      const closed = createServer();
      await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
      const port = (closed.address() as AddressInfo).port;
      await new Promise((r) => closed.close(r));
      const src = await submit(app, user, { url: `http://localhost:${port}/`, respectRobots: false });
      const job = await waitForJob(app, user, src.job.id);
      expect(job.status).toBe('failed');
      expect(job.lastError).toMatch(/ECONNREFUSED.*\(address hidden\)/);
      expect(job.lastError!.replace(`localhost:${port}`, '')).not.toMatch(/127\.0\.0\.1|::1/);
    });

    it('crawls the exempt host normally', async () => {
      const src = await submit(app, user, { url: `${site.origin}/b`, maxDepth: 0 });
      const job = await waitForJob(app, user, src.job.id);
      expect(job).toMatchObject({ status: 'completed', counters: expect.objectContaining({ indexed: 1 }) });
    });
  });
});
