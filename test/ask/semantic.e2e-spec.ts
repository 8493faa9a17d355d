import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { bearer, bootAuthApp, createUser, http, TestUser } from '../support/auth';
import { FakeEmbeddings } from '../support/fake-embeddings';
import { CRAWL_TEST_ENV, submit, waitForJob } from '../ingestion/helpers';
import { SemanticSite } from './semantic-site';

/**
 * Semantic retrieval configured on a PostgreSQL without pgvector (Debian's PostgreSQL 15 here):
 * the migration left the schema alone, /health/detailed says the mode is unavailable and why,
 * nothing is sent for embedding, and questions are answered by full-text search as before.
 */
describe('semantic retrieval on PostgreSQL without pgvector', () => {
  let app: NestFastifyApplication;
  let site: SemanticSite;
  let embeddings: FakeEmbeddings;
  let user: TestUser;
  let admin: TestUser;

  beforeAll(async () => {
    site = await new SemanticSite().start();
    embeddings = await new FakeEmbeddings().start();
    app = await bootAuthApp({
      ...CRAWL_TEST_ENV,
      EMBEDDINGS_BASE_URL: embeddings.baseUrl,
      EMBEDDINGS_MODEL: 'fake-model',
    });
    user = await createUser(app);
    admin = await createUser(app, { admin: true });
  });
  afterAll(async () => {
    await app?.close();
    await embeddings?.stop();
    await site?.stop();
  });

  it('has no pgvector here, and the migration created neither the extension nor chunk_embeddings', async () => {
    const [row] = await app
      .get(DataSource)
      .query(
        `SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector') AS packaged, to_regclass('chunk_embeddings') IS NOT NULL AS table`,
      );
    expect(row).toEqual({ packaged: false, table: false });
  });

  it('/health/detailed reports semantic retrieval unavailable, with the reason, and full-text as the mode', async () => {
    const res = await http(app).get('/api/v1/health/detailed').set(bearer(admin.accessToken)).expect(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.retrieval).toEqual({
      modes: ['full-text'],
      semantic: {
        status: 'unavailable',
        model: 'fake-model',
        reason: expect.stringMatching(/no pgvector extension.*retrieval stays full-text/),
      },
    });
  });

  it('crawls without embedding anything and answers questions by full-text search', async () => {
    embeddings.reset();
    const src = await submit(app, user, { url: `${site.origin}/`, maxPages: 10 });
    const job = await waitForJob(app, user, src.job.id);
    expect(job).toMatchObject({ status: 'completed', lastError: null });
    expect(job.counters.indexed).toBe(4);
    const lexical = await http(app)
      .post('/api/v1/ask')
      .set(bearer(user.accessToken))
      .send({ question: SemanticSite.LEXICAL })
      .expect(200);
    expect(lexical.body.citations[0].url).toBe(`${site.origin}/bread`);
    expect(lexical.body.answer).toMatch(/dough rise.*\[1\]/);
    const paraphrase = await http(app)
      .post('/api/v1/ask')
      .set(bearer(user.accessToken))
      .send({ question: SemanticSite.PARAPHRASE })
      .expect(200);
    expect(paraphrase.body.citations).toEqual([]);
    expect(embeddings.requests).toHaveLength(0);
  });

  it('says "off" when EMBEDDINGS_BASE_URL is not set', async () => {
    const plain = await bootAuthApp(CRAWL_TEST_ENV);
    try {
      const res = await http(plain).get('/api/v1/health/detailed').set(bearer(admin.accessToken)).expect(200);
      expect(res.body.retrieval).toEqual({
        modes: ['full-text'],
        semantic: { status: 'off', reason: 'EMBEDDINGS_BASE_URL is not set (pgvector not available on this database)' },
      });
    } finally {
      await plain.close();
    }
  });
});
