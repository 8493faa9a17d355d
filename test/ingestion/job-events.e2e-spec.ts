import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { AccessTokenService } from '../../src/modules/auth/tokens/access-token.service';
import { IngestionJobsRepository } from '../../src/modules/ingestion/jobs.repository';
import { bearer, bootAuthApp, createUser, http, TestUser } from '../support/auth';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Stream {
  status: number;
  body: unknown;
  /** Raw text received so far. */
  text: () => string;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  abort: () => void;
}

/**
 * Found by an outside probe: job progress streams were unbounded per user, each read Postgres
 * every 500 ms, and kept streaming after the token expired or the account was disabled.
 */
describe('ingestion job progress streams (SSE)', () => {
  let app: NestFastifyApplication;
  let baseUrl: string;
  let admin: TestUser;
  let user: TestUser;
  const open: Stream[] = [];
  const sql = (q: string, p: unknown[] = []) => app.get(DataSource).query(q, p);

  async function stream(token: string, jobId: string): Promise<Stream> {
    const ctl = new AbortController();
    const res = await fetch(`${baseUrl}/api/v1/ingestion-jobs/${jobId}/events`, {
      headers: bearer(token),
      signal: ctl.signal,
    });
    if (res.status !== 200)
      return {
        status: res.status,
        body: await res.json(),
        text: () => '',
        ended: Promise.resolve(),
        abort: () => undefined,
      };
    let text = '';
    const reader = res.body!.getReader();
    const ended = (async () => {
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          text += Buffer.from(value).toString('utf8');
        }
      } catch {
        // aborted by the test
      }
    })();
    const s: Stream = { status: 200, body: null, text: () => text, ended, abort: () => ctl.abort() };
    open.push(s);
    return s;
  }

  /** A running job of `u` that no worker will touch (it is not queued). */
  async function runningJob(u: TestUser): Promise<string> {
    const [src] = await sql(
      `INSERT INTO sources (user_id, url, domain, max_pages, status) VALUES ($1, 'https://example.test/', 'example.test', 5, 'running') RETURNING id`,
      [u.id],
    );
    const [job] = await sql(
      `INSERT INTO ingestion_jobs (source_id, user_id, status, max_pages, started_at) VALUES ($1, $2, 'running', 5, now()) RETURNING id`,
      [src.id, u.id],
    );
    return job.id;
  }

  const within = (p: Promise<void>, ms: number) => Promise.race([p.then(() => true), sleep(ms).then(() => false)]);

  beforeAll(async () => {
    app = await bootAuthApp({ INGESTION_EVENTS_MAX_STREAMS_PER_USER: '3', INGESTION_EVENTS_RECHECK_SECONDS: '1' });
    await app.listen(0, '127.0.0.1');
    baseUrl = await app.getUrl();
    admin = await createUser(app, { admin: true });
    user = await createUser(app);
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    for (const s of open.splice(0)) s.abort();
    await sleep(100);
  });
  afterAll(() => app?.close());

  it('caps open streams per user with a 429 problem, and frees the slot when a stream closes', async () => {
    const jobId = await runningJob(user);
    const streams = await Promise.all([1, 2, 3].map(() => stream(user.accessToken, jobId)));
    expect(streams.map((s) => s.status)).toEqual([200, 200, 200]);
    const over = await stream(user.accessToken, jobId);
    expect(over.status).toBe(429);
    expect(over.body).toMatchObject({ status: 429, code: 'too-many-streams' });
    // Another user's streams are counted on their own.
    const other = await createUser(app);
    expect((await stream(other.accessToken, await runningJob(other))).status).toBe(200);
    streams[0].abort();
    await sleep(200);
    expect((await stream(user.accessToken, jobId)).status).toBe(200);
  });

  it('N streams of one job share one database read per tick', async () => {
    const jobId = await runningJob(user);
    const repo = app.get(IngestionJobsRepository);
    const find = jest.spyOn(repo, 'find');
    const findOwned = jest.spyOn(repo, 'findOwned');
    const streams = await Promise.all([1, 2, 3].map(() => stream(user.accessToken, jobId)));
    expect(streams.every((s) => s.status === 200)).toBe(true);
    await sleep(2100);
    // One ownership check per stream at open, then ~4 shared reads (500 ms ticks) in 2.1 s; one
    // read per stream per tick would be 12 or more.
    const reads =
      find.mock.calls.filter(([id]) => id === jobId).length +
      findOwned.mock.calls.filter(([id]) => id === jobId).length;
    expect(findOwned.mock.calls.filter(([id]) => id === jobId)).toHaveLength(3);
    expect(reads).toBeLessThanOrEqual(3 + 5);
    // Progress still reaches every stream, and the end too.
    await sql(`UPDATE ingestion_jobs SET status = 'completed', finished_at = now() WHERE id = $1`, [jobId]);
    for (const s of streams) {
      expect(await within(s.ended, 3000)).toBe(true);
      expect(s.text()).toMatch(/event: progress\n/);
      expect(s.text()).toMatch(/event: end\ndata: .*"status":"completed"/);
    }
  });

  it('ends the stream once the account is disabled (re-checked every INGESTION_EVENTS_RECHECK_SECONDS)', async () => {
    const victim = await createUser(app);
    const s = await stream(victim.accessToken, await runningJob(victim));
    expect(s.status).toBe(200);
    await sleep(300);
    await http(app)
      .patch(`/api/v1/admin/users/${victim.id}`)
      .set(bearer(admin.accessToken))
      .send({ disabled: true })
      .expect(200);
    expect(await within(s.ended, 4000)).toBe(true);
    expect(s.text()).toMatch(/event: closed\ndata: .*"code":"credentials-invalid"/);
  });

  it("ends the stream when the access token's exp passes", async () => {
    // A token of this session that expires in 2 s (the service reads its TTL from its config).
    const tokens = app.get(AccessTokenService);
    const cfg = (tokens as unknown as { cfg: { accessTokenTtlSeconds: number } }).cfg;
    const sid = JSON.parse(Buffer.from(user.accessToken.split('.')[1], 'base64url').toString()).sid as string;
    const ttl = cfg.accessTokenTtlSeconds;
    cfg.accessTokenTtlSeconds = 2;
    let short: string;
    try {
      short = tokens.sign(user.id, sid);
    } finally {
      cfg.accessTokenTtlSeconds = ttl;
    }
    const s = await stream(short, await runningJob(user));
    expect(s.status).toBe(200);
    expect(await within(s.ended, 5000)).toBe(true);
    expect(s.text()).toMatch(/event: closed\ndata: .*"code":"credentials-expired"/);
  });
});
