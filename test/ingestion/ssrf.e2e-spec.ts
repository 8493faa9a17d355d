import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { bootAuthApp, createUser, TestUser } from '../support/auth';
import { FixtureSite } from './fixture-site';
import { submit, waitForJob } from './helpers';

const BASE_ENV = { CRAWLER_POLITENESS_DELAY_MS: '0', CRAWLER_CONNECT_TIMEOUT_MS: '1000', CRAWLER_HEADERS_TIMEOUT_MS: '1000' };

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

    it('refuses loopback, cloud metadata, IPv6 loopback and a name resolving to loopback, without connecting', async () => {
      await crawlFails(app, user, `${site.origin}/`, /loopback/);
      await crawlFails(app, user, 'http://169.254.169.254/latest/meta-data/', /linkLocal/);
      await crawlFails(app, user, `http://[::1]:${site.port}/`, /loopback/);
      // A host name is checked at connect time, on the address it resolved to.
      await crawlFails(app, user, `http://localhost:${site.port}/`, /loopback/);
      expect(site.hits.size).toBe(0);
    });
  });

  describe('with only 127.0.0.1 exempt (CRAWLER_ALLOWED_HOSTS)', () => {
    let app: NestFastifyApplication;
    let user: TestUser;
    beforeAll(async () => {
      app = await bootAuthApp({ ...BASE_ENV, CRAWLER_ALLOWED_HOSTS: '127.0.0.1', REDIS_KEY_PREFIX: `nxt:${randomBytes(4).toString('hex')}:` });
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

    it('crawls the exempt host normally', async () => {
      const src = await submit(app, user, { url: `${site.origin}/b` , maxDepth: 0 });
      const job = await waitForJob(app, user, src.job.id);
      expect(job).toMatchObject({ status: 'completed', counters: expect.objectContaining({ indexed: 1 }) });
    });
  });
});
