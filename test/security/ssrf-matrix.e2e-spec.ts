import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { bearer, bootAuthApp, createUser, http, TestUser } from '../support/auth';
import { waitFor } from '../support/redis-server';
import { recordReliability } from '../support/reliability-report';
import { isolateWebhooks } from '../webhooks/receiver';

/**
 * SSRF matrix for the crawler and the webhook sender, with the guard active. The fixture tests
 * elsewhere open the guard (CRAWLER_ALLOW_PRIVATE_NETWORKS=true, or 127.0.0.1 in *_ALLOWED_HOSTS);
 * here nothing is open except 127.0.0.2, which plays a public server in the redirect cases, while
 * the "internal" service listens on every local address (`::`, dual stack) and counts every hit.
 * Each target must be refused (at submission, or at connect time) and the internal service must
 * see nothing.
 */
const PUBLIC_LOOKALIKE = '127.0.0.2';

class CountingServer {
  hits = 0;
  private server?: Server;
  port = 0;
  constructor(
    private readonly handler: (path: string) => { status: number; location?: string } = () => ({ status: 200 }),
  ) {}
  async start(host: string): Promise<this> {
    this.server = createServer((req, res) => {
      this.hits++;
      const { status, location } = this.handler(req.url ?? '/');
      res
        .writeHead(status, { 'content-type': 'text/html', ...(location ? { location } : {}) })
        .end('<html><body><p>internal secret</p></body></html>');
    });
    await new Promise<void>((r) => this.server!.listen(0, host, r));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }
  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((r) => this.server?.close(r));
  }
}

/** Every way to write "this machine" or a private/metadata address in a URL. */
function targets(port: number): string[] {
  return [
    `http://127.0.0.1:${port}/`,
    `http://127.1:${port}/`,
    `http://2130706433:${port}/`,
    `http://0x7f.1:${port}/`,
    `http://0x7f000001:${port}/`,
    `http://017700000001:${port}/`,
    `http://0177.0.0.1:${port}/`,
    `http://0.0.0.0:${port}/`,
    `http://0:${port}/`,
    `http://[::1]:${port}/`,
    `http://[::]:${port}/`,
    `http://[::ffff:127.0.0.1]:${port}/`,
    `http://[::ffff:7f00:1]:${port}/`,
    `http://[0:0:0:0:0:ffff:127.0.0.1]:${port}/`,
    `http://[::7f00:1]:${port}/`,
    `http://[::127.0.0.1]:${port}/`,
    `http://[64:ff9b::7f00:1]:${port}/`,
    `http://localhost:${port}/`,
    `http://LOCALHOST:${port}/`,
    `http://localhost.:${port}/`,
    `http://user:pass@127.0.0.1:${port}/`,
    'http://169.254.169.254/latest/meta-data/',
    'http://[::ffff:169.254.169.254]/latest/meta-data/',
    'http://[fd00:ec2::254]/latest/meta-data/',
    'http://10.0.0.1/',
    'http://172.16.0.1/',
    'http://192.168.1.1/',
    'http://100.64.0.1/',
    'http://[fe80::1]/',
    'http://[fc00::1]/',
    'http://224.0.0.1/',
  ];
}

const CRAWL_ENV = {
  CRAWLER_POLITENESS_DELAY_MS: '0',
  CRAWLER_CONNECT_TIMEOUT_MS: '1000',
  CRAWLER_HEADERS_TIMEOUT_MS: '1000',
  CRAWLER_ALLOWED_HOSTS: PUBLIC_LOOKALIKE,
  WEBHOOK_ALLOWED_HOSTS: PUBLIC_LOOKALIKE,
  WEBHOOK_RETRY_SCHEDULE: '0',
  WEBHOOK_RELAY_INTERVAL_MS: '100',
  WEBHOOK_TIMEOUT_MS: '1000',
};

describe('SSRF matrix (guard active, crawler and webhooks)', () => {
  let app: NestFastifyApplication;
  let user: TestUser;
  let admin: TestUser;
  let internal: CountingServer;
  let lookalike: CountingServer;
  const figures = { crawlRefused: 0, crawlRedirectsRefused: 0, webhookRefused: 0, webhookRedirectsRefused: 0 };

  beforeAll(async () => {
    internal = await new CountingServer().start('::');
    // The "public" server redirects wherever /to/<encoded url> says.
    lookalike = await new CountingServer((path) => {
      const m = /^\/to\/(.+)$/.exec(path);
      return m ? { status: 302, location: decodeURIComponent(m[1]) } : { status: 200 };
    }).start(PUBLIC_LOOKALIKE);
    app = await bootAuthApp({ ...CRAWL_ENV, REDIS_KEY_PREFIX: `nxt:${randomBytes(4).toString('hex')}:` });
    await isolateWebhooks(app.get(DataSource));
    user = await createUser(app);
    admin = await createUser(app, { admin: true });
  });
  afterAll(async () => {
    await app?.get(DataSource).query(`DELETE FROM webhook_endpoints`);
    await app?.close();
    await internal?.stop();
    await lookalike?.stop();
  });

  async function crawl(
    url: string,
  ): Promise<{ submitted: number; code?: string; setting?: string; status?: string; lastError?: string | null }> {
    const res = await http(app)
      .post('/api/v1/sources')
      .set(bearer(user.accessToken))
      .send({ url, maxPages: 2, respectRobots: false });
    if (res.status !== 202) return { submitted: res.status, code: res.body.code, setting: res.body.setting };
    const job = await waitFor(
      async () => (await http(app).get(`/api/v1/ingestion-jobs/${res.body.job.id}`).set(bearer(user.accessToken))).body,
      (j) => ['completed', 'failed', 'cancelled'].includes(j.status),
      30000,
    );
    return { submitted: 202, status: job.status, lastError: job.lastError };
  }

  it('the crawler refuses every private form of a start URL at submission (422), and nothing reaches the internal service', async () => {
    const results = await Promise.all(targets(internal.port).map(async (url) => [url, await crawl(url)] as const));
    for (const [url, r] of results) {
      // Refused before any job exists, with the rule's code and the setting that would allow it.
      expect([url, r]).toEqual([
        url,
        { submitted: 422, code: 'crawl-target-refused', setting: 'CRAWLER_ALLOWED_HOSTS' },
      ]);
      figures.crawlRefused++;
    }
    expect(internal.hits).toBe(0);
  }, 120_000);

  it('the crawler refuses a redirect from a public-looking server to any private form', async () => {
    const before = lookalike.hits;
    const results = await Promise.all(
      targets(internal.port).map(
        async (target) =>
          [
            target,
            await crawl(`http://${PUBLIC_LOOKALIKE}:${lookalike.port}/to/${encodeURIComponent(target)}`),
          ] as const,
      ),
    );
    for (const [target, r] of results) {
      // Refused by the guard, or (for a host name) already by the crawl's domain scope.
      const refused =
        r.status === 'failed' && /Refused to connect|refused|redirects off the domain/i.test(r.lastError ?? '');
      expect([target, refused, r]).toEqual([target, true, r]);
      figures.crawlRedirectsRefused++;
    }
    // The public-looking server was reached (the test is real), the internal one never.
    expect(lookalike.hits - before).toBeGreaterThanOrEqual(results.length);
    expect(internal.hits).toBe(0);
  }, 120_000);

  async function deliveries(endpointId: string) {
    return (await http(app).get(`/api/v1/webhooks/${endpointId}/deliveries`).set(bearer(admin.accessToken))).body;
  }

  it('webhooks refuse every private IP literal when the endpoint is created, and names resolving to loopback when sending', async () => {
    for (const url of targets(internal.port)) {
      const res = await http(app)
        .post('/api/v1/webhooks')
        .set(bearer(admin.accessToken))
        .send({ url, events: ['*'] });
      if (res.status === 400) {
        // The SSRF guard, or already the DTO's URL check (odd IPv4 spellings).
        expect([url, ['egress-refused', 'validation-failed'].includes(res.body.code)]).toEqual([url, true]);
        figures.webhookRefused++;
        continue;
      }
      // Only host names get this far: they are resolved and refused when the socket connects.
      expect([url, res.status, /localhost/i.test(url)]).toEqual([url, 201, true]);
      const id = res.body.endpoint.id;
      await http(app).post(`/api/v1/webhooks/${id}/test`).set(bearer(admin.accessToken)).expect(202);
      const page = await waitFor(
        () => deliveries(id),
        (p) => p.items?.[0]?.status === 'failed',
        20000,
      );
      expect([url, page.items[0].attemptLog[0].error]).toEqual([
        url,
        expect.stringMatching(/Refused to connect.*loopback/),
      ]);
      figures.webhookRefused++;
      await http(app).delete(`/api/v1/webhooks/${id}`).set(bearer(admin.accessToken)).expect(204);
    }
    expect(internal.hits).toBe(0);
  }, 120_000);

  it('webhooks never follow a redirect from an allowed server to a private address', async () => {
    const before = lookalike.hits;
    for (const target of [
      `http://127.0.0.1:${internal.port}/`,
      `http://localhost:${internal.port}/`,
      'http://169.254.169.254/latest/meta-data/',
    ]) {
      const res = await http(app)
        .post('/api/v1/webhooks')
        .set(bearer(admin.accessToken))
        .send({ url: `http://${PUBLIC_LOOKALIKE}:${lookalike.port}/to/${encodeURIComponent(target)}`, events: ['*'] })
        .expect(201);
      const id = res.body.endpoint.id;
      await http(app).post(`/api/v1/webhooks/${id}/test`).set(bearer(admin.accessToken)).expect(202);
      const page = await waitFor(
        () => deliveries(id),
        (p) => p.items?.[0]?.status === 'failed',
        20000,
      );
      expect(page.items[0].attemptLog[0].error).toMatch(/redirect .* not followed/);
      figures.webhookRedirectsRefused++;
      await http(app).delete(`/api/v1/webhooks/${id}`).set(bearer(admin.accessToken)).expect(204);
    }
    expect(lookalike.hits - before).toBeGreaterThanOrEqual(3);
    expect(internal.hits).toBe(0);
  }, 120_000);

  afterAll(() => {
    const total = Object.values(figures).reduce((a, b) => a + b, 0);
    if (total === 0) return;
    recordReliability({
      scenario: 'security/ssrf-matrix',
      checks:
        'crawler and webhooks with the SSRF guard on: loopback/private/link-local/metadata in IPv4, IPv6, mapped/compatible, decimal/octal/hex forms, names resolving to loopback, redirects from an allowed server',
      figure: `crawler ${figures.crawlRefused} start URLs + ${figures.crawlRedirectsRefused} redirects refused; webhooks ${figures.webhookRefused} URLs + ${figures.webhookRedirectsRefused} redirects refused; 0 hits on the internal service`,
    });
  });
});
