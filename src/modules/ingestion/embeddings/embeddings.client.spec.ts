import { createServer } from 'node:net';
import { cosine, FakeEmbeddings } from '../../../../test/support/fake-embeddings';
import { EmbeddingsConfig } from '../../../config/namespaces';
import { EmbeddingsClient, EmbeddingsError } from './embeddings.client';

const config = (over: Partial<EmbeddingsConfig> = {}): EmbeddingsConfig => ({
  url: '',
  apiKey: '',
  model: 'fake-model',
  dimensions: 0,
  batchSize: 2,
  timeoutMs: 500,
  maxRetries: 2,
  jobBudgetMs: 10000,
  queryTimeoutMs: 300,
  minSimilarity: 0.5,
  rrfK: 60,
  ...over,
});

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as { port: number };
  await new Promise((r) => s.close(r));
  return port;
}

describe('EmbeddingsClient (against a deterministic embeddings server on 127.0.0.1)', () => {
  let server: FakeEmbeddings;
  let clients: EmbeddingsClient[] = [];
  const client = (over: Partial<EmbeddingsConfig> = {}) => {
    const c = new EmbeddingsClient(config({ url: `${server.baseUrl}/v1/embeddings`, ...over }));
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    server = await new FakeEmbeddings().start();
  });
  beforeEach(() => server.reset('ok'));
  afterEach(async () => {
    await Promise.all(clients.map((c) => c.onModuleDestroy()));
    clients = [];
  });
  afterAll(() => server.stop());

  it('sends texts in batches of EMBEDDINGS_BATCH_SIZE and returns one vector per text, in input order', async () => {
    const texts = ['buy a car', 'water the garden', 'bake bread', 'purchase an automobile', 'sort a list'];
    const vectors = await client({ apiKey: 'sk-emb' }).embed(texts);
    expect(server.requests.map((r) => r.body.input)).toEqual([texts.slice(0, 2), texts.slice(2, 4), texts.slice(4)]);
    expect(server.requests[0].headers.authorization).toBe('Bearer sk-emb');
    expect(server.requests[0].body.model).toBe('fake-model');
    // The server answers in reverse order: the client puts them back by index.
    expect(vectors).toEqual(texts.map((t) => FakeEmbeddings.vector(t)));
    // The test server's synonyms make a paraphrase the nearest text.
    expect(cosine(vectors[3], vectors[0])).toBeGreaterThan(0.9);
    expect(Math.abs(cosine(vectors[3], vectors[1]))).toBeLessThan(0.3);
  });

  it('asks for EMBEDDINGS_DIMENSIONS and refuses vectors of another length', async () => {
    const ok = await client({ dimensions: 32 }).embed(['one']);
    expect(server.requests[0].body.dimensions).toBe(32);
    expect(ok[0]).toHaveLength(32);
    server.forcedDimensions = 48;
    await expect(client({ dimensions: 64 }).embed(['one'])).rejects.toThrow(/not 64 finite numbers/);
  });

  it('retries a 503 and then succeeds', async () => {
    server.reset('fail-once');
    const vectors = await client().embed(['retry me']);
    expect(vectors).toHaveLength(1);
    expect(server.requests).toHaveLength(2);
  });

  it('gives up after EMBEDDINGS_MAX_RETRIES retries, and records the failure for health', async () => {
    server.reset('always-503');
    const c = client({ maxRetries: 1 });
    const err = await c.embed(['never']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EmbeddingsError);
    expect((err as EmbeddingsError).message).toMatch(/answered 503/);
    expect(server.requests).toHaveLength(2);
    expect(c.state.lastError?.message).toMatch(/503/);
  });

  it('does not retry a 400 nor a response with the wrong number of vectors', async () => {
    server.reset('bad-request');
    await expect(client().embed(['x'])).rejects.toMatchObject({
      retryable: false,
      message: expect.stringMatching(/400/),
    });
    expect(server.requests).toHaveLength(1);
    server.reset('wrong-count');
    await expect(client().embed(['x', 'y'])).rejects.toThrow(/1 vectors for 2 inputs/);
    expect(server.requests).toHaveLength(1);
  });

  it('times a slow request out and retries it (bounded), then fails', async () => {
    server.reset('slow');
    const started = Date.now();
    await expect(client({ timeoutMs: 200, maxRetries: 1 }).embed(['slow'])).rejects.toThrow(/no answer within 200 ms/);
    expect(server.requests).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(1400);
  });

  it('fails with a retryable error when nothing listens, without throwing anything else', async () => {
    const port = await closedPort();
    const c = new EmbeddingsClient(config({ url: `http://127.0.0.1:${port}/v1/embeddings`, maxRetries: 1 }));
    clients.push(c);
    await expect(c.embed(['x'])).rejects.toMatchObject({
      retryable: true,
      message: expect.stringMatching(/unreachable/),
    });
  });

  it("stops at once when the caller's signal aborts (a cancelled crawl)", async () => {
    server.reset('slow');
    const abort = new AbortController();
    setTimeout(() => abort.abort(new Error('cancelled')), 100);
    const started = Date.now();
    await expect(client({ timeoutMs: 5000 }).embed(['x'], { signal: abort.signal })).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(server.requests).toHaveLength(1);
  });

  it('keys vectors by model and dimensions', () => {
    expect(client({ model: 'm', dimensions: 0 }).modelKey).toBe('m');
    expect(client({ model: 'm', dimensions: 512 }).modelKey).toBe('m:512');
    expect(client({ model: '' }).modelKey).toBe('default');
  });
});
