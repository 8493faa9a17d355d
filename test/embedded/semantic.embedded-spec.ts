import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { SemanticSite } from '../ask/semantic-site';
import { bearer, bootAuthApp, createUser, http, login, TestUser } from '../support/auth';
import { FakeEmbeddings } from '../support/fake-embeddings';
import { CRAWL_TEST_ENV, submit, waitForJob } from '../ingestion/helpers';

/**
 * Semantic retrieval in embedded mode, where PGlite has pgvector: chunks are embedded by the
 * crawl (against a deterministic embeddings server on 127.0.0.1), a paraphrase sharing no word
 * with the page is found only thanks to the vectors, and a dead endpoint fails neither the crawl
 * nor the question.
 */
describe('semantic retrieval (embedded mode: PGlite with pgvector)', () => {
  let app: NestFastifyApplication;
  let site: SemanticSite;
  let embeddings: FakeEmbeddings;
  let ds: DataSource;
  let user: TestUser;
  let sourceId: string;
  const EMBEDDINGS_ENV = {
    EMBEDDINGS_MODEL: 'fake-model',
    EMBEDDINGS_BATCH_SIZE: '2',
    EMBEDDINGS_MAX_RETRIES: '1',
    EMBEDDINGS_TIMEOUT_MS: '1000',
    EMBEDDINGS_QUERY_TIMEOUT_MS: '500',
  };
  const ask = (a: NestFastifyApplication, u: { accessToken: string }, question: string) =>
    http(a).post('/api/v1/ask').set(bearer(u.accessToken)).send({ question });
  const vectorsOf = async (source: string) =>
    (await ds.query(`SELECT count(*)::int AS n FROM chunk_embeddings WHERE source_id = $1`, [source]))[0].n as number;
  const chunksOf = async (source: string) =>
    (await ds.query(`SELECT count(*)::int AS n FROM chunks WHERE source_id = $1`, [source]))[0].n as number;

  beforeAll(async () => {
    site = await new SemanticSite().start();
    embeddings = await new FakeEmbeddings().start();
    app = await bootAuthApp({ ...CRAWL_TEST_ENV, ...EMBEDDINGS_ENV, EMBEDDINGS_BASE_URL: embeddings.baseUrl });
    ds = app.get(DataSource);
    user = await createUser(app);
    // The first file of the run initialises PGlite and applies every migration: slow on a busy machine.
  }, 240_000);
  afterAll(async () => {
    await app?.close();
    await embeddings?.stop();
    await site?.stop();
  });

  it('the migration created pgvector and chunk_embeddings, and /health/detailed says semantic retrieval is on', async () => {
    const [{ table, ext }] = await ds.query(
      `SELECT to_regclass('chunk_embeddings') IS NOT NULL AS table, EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'vector') AS ext`,
    );
    expect([table, ext]).toEqual([true, true]);
    const admin = await createUser(app, { admin: true });
    const res = await http(app).get('/api/v1/health/detailed').set(bearer(admin.accessToken)).expect(200);
    expect(res.body.retrieval).toMatchObject({
      modes: ['full-text', 'semantic'],
      semantic: { status: 'on', model: 'fake-model', reason: expect.stringMatching(/reciprocal rank fusion/) },
    });
  });

  it('the crawl embeds every chunk, in batches of EMBEDDINGS_BATCH_SIZE', async () => {
    embeddings.reset();
    const src = await submit(app, user, { url: `${site.origin}/`, maxPages: 10 });
    sourceId = src.id;
    const job = await waitForJob(app, user, src.job.id);
    expect(job).toMatchObject({ status: 'completed', lastError: null });
    expect(job.counters.indexed).toBe(4);
    const chunks = await chunksOf(sourceId);
    expect(chunks).toBeGreaterThanOrEqual(4);
    expect(await vectorsOf(sourceId)).toBe(chunks);
    expect(embeddings.requests.length).toBeGreaterThanOrEqual(2);
    expect(embeddings.requests.every((r) => r.body.input.length <= 2 && r.body.model === 'fake-model')).toBe(true);
    expect(embeddings.inputs.some((t) => t.startsWith('Getting a car\n'))).toBe(true);
  });

  it('finds the page a paraphrase means although it shares no word with it — only with embeddings', async () => {
    embeddings.reset();
    const res = await ask(app, user, SemanticSite.PARAPHRASE).expect(200);
    expect(res.body.citations.length).toBeGreaterThan(0);
    expect(res.body.citations[0].url).toBe(`${site.origin}/car`);
    expect(res.body.answer).toMatch(/buy the car.*\[1\]/);
    expect(embeddings.inputs).toEqual([SemanticSite.PARAPHRASE]);

    // The same index and user through an app without EMBEDDINGS_BASE_URL: full-text alone finds nothing.
    const plain = await bootAuthApp(CRAWL_TEST_ENV);
    try {
      const tokens = await login(plain, user.email);
      const without = await ask(plain, tokens, SemanticSite.PARAPHRASE).expect(200);
      expect(without.body.citations).toEqual([]);
      // A question full-text can answer gets the same first citation either way (fusion keeps it first).
      const lexical = await ask(plain, tokens, SemanticSite.LEXICAL).expect(200);
      const fused = await ask(app, user, SemanticSite.LEXICAL).expect(200);
      expect(lexical.body.citations[0].url).toBe(`${site.origin}/bread`);
      expect(fused.body.citations[0].url).toBe(`${site.origin}/bread`);
    } finally {
      await plain.close();
    }
  });

  it('with the embeddings server down the crawl still completes (full-text only, said on the job) and questions are answered', async () => {
    await embeddings.stop();
    const other = await createUser(app);
    const src = await submit(app, other, { url: `${site.origin}/`, maxPages: 10 });
    const job = await waitForJob(app, other, src.job.id);
    expect(job.status).toBe('completed');
    expect(job.counters.indexed).toBe(4);
    expect(job.lastError).toMatch(/^embeddings: 0 chunk\(s\) embedded, the rest stay full-text only .*unreachable/);
    expect(await vectorsOf(src.id)).toBe(0);
    expect(await chunksOf(src.id)).toBeGreaterThanOrEqual(4);

    const lexical = await ask(app, other, SemanticSite.LEXICAL).expect(200);
    expect(lexical.body.citations[0].url).toBe(`${site.origin}/bread`);
    expect(lexical.body.answer).toMatch(/dough rise/);
    // The question cannot be embedded either: full-text alone answers (nothing here), no error.
    const paraphrase = await ask(app, user, SemanticSite.PARAPHRASE).expect(200);
    expect(paraphrase.body.citations).toEqual([]);

    const admin = await createUser(app, { admin: true });
    const health = await http(app).get('/api/v1/health/detailed').set(bearer(admin.accessToken)).expect(200);
    expect(health.body.retrieval.semantic).toMatchObject({
      status: 'on',
      endpoint: { lastError: { message: expect.stringMatching(/unreachable/) } },
    });
  });
});
