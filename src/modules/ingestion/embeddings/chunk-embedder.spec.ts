import { Counter, Registry } from 'prom-client';
import { FakeEmbeddings } from '../../../../test/support/fake-embeddings';
import { EmbeddingsConfig } from '../../../config/namespaces';
import { ChunkEmbedder, embeddingText } from './chunk-embedder';
import { ChunkEmbeddingsRepository, ChunkToEmbed, VectorSupport } from './chunk-embeddings.repository';
import { EmbeddingsClient } from './embeddings.client';

const config = (over: Partial<EmbeddingsConfig>): EmbeddingsConfig => ({
  url: '',
  apiKey: '',
  model: 'm',
  dimensions: 0,
  batchSize: 3,
  timeoutMs: 300,
  maxRetries: 1,
  jobBudgetMs: 10000,
  queryTimeoutMs: 300,
  minSimilarity: 0.5,
  rrfK: 60,
  ...over,
});

/** The pgvector store in memory: chunks without a vector until `store` gives them one. */
class MemoryVectors {
  readonly stored = new Map<string, number[]>();
  supported: VectorSupport = { available: true };
  /** Called after each stored batch. */
  onStore = () => undefined as void;
  constructor(readonly chunks: ChunkToEmbed[]) {}
  async support() {
    return this.supported;
  }
  async missing(_source: string, _model: string, limit: number) {
    return this.chunks.filter((c) => !this.stored.has(c.id)).slice(0, limit);
  }
  async store(_source: string, _model: string, rows: { chunkId: string; embedding: number[] }[]) {
    for (const r of rows) this.stored.set(r.chunkId, r.embedding);
    this.onStore();
    return rows.length;
  }
}

const chunks = (n: number): ChunkToEmbed[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `c${i}`,
    pageTitle: 'Cars',
    headingPath: ['Buying'],
    text: `chunk number ${i} about buying a car`,
  }));

describe('ChunkEmbedder (the crawl embedding step)', () => {
  let server: FakeEmbeddings;
  let made: EmbeddingsClient[] = [];
  const registry = new Registry();
  const counter = new Counter({
    name: 'test_chunks_embedded_total',
    help: 'x',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const embedder = (vectors: MemoryVectors, over: Partial<EmbeddingsConfig> = {}) => {
    const cfg = config({ url: `${server.baseUrl}/v1/embeddings`, ...over });
    const client = new EmbeddingsClient(cfg);
    made.push(client);
    return new ChunkEmbedder(cfg, client, vectors as unknown as ChunkEmbeddingsRepository, counter);
  };
  const signal = () => new AbortController().signal;

  beforeAll(async () => {
    server = await new FakeEmbeddings().start();
  });
  beforeEach(() => {
    server.reset('ok');
    counter.reset();
  });
  afterEach(async () => {
    await Promise.all(made.map((c) => c.onModuleDestroy()));
    made = [];
  });
  afterAll(() => server.stop());

  it('embeds every chunk without a vector, batch by batch, with its title and headings', async () => {
    const vectors = new MemoryVectors(chunks(7));
    await expect(embedder(vectors).embedSource('job', 'src', signal())).resolves.toEqual({
      embedded: 7,
      problem: null,
    });
    expect(server.requests.map((r) => r.body.input.length)).toEqual([3, 3, 1]);
    expect(server.requests[0].body.input[0]).toBe('Cars\nBuying\nchunk number 0 about buying a car');
    expect(vectors.stored.get('c4')).toEqual(FakeEmbeddings.vector(embeddingText(vectors.chunks[4])));
    expect((await counter.get()).values.find((v) => v.labels.outcome === 'embedded')?.value).toBe(7);
  });

  it('does nothing when EMBEDDINGS_BASE_URL is unset or pgvector is missing', async () => {
    const vectors = new MemoryVectors(chunks(2));
    await expect(embedder(vectors, { url: '' }).embedSource('job', 'src', signal())).resolves.toBeNull();
    vectors.supported = { available: false, reason: 'no pgvector' };
    await expect(embedder(vectors).embedSource('job', 'src', signal())).resolves.toBeNull();
    expect(server.requests).toHaveLength(0);
    expect(vectors.stored.size).toBe(0);
  });

  it('never throws when the endpoint fails: it keeps what was embedded and reports the rest', async () => {
    const vectors = new MemoryVectors(chunks(5));
    // The first batch goes through, then the server breaks down for good.
    vectors.onStore = () => void (server.behaviour = 'always-503');
    const pass = await embedder(vectors).embedSource('job', 'src', signal());
    expect(pass).toEqual({
      embedded: 3,
      problem: expect.stringMatching(/^embeddings: 3 chunk\(s\) embedded, the rest stay full-text only .*503/),
    });
    // One good request, then a batch tried 1 + EMBEDDINGS_MAX_RETRIES times.
    expect(server.requests).toHaveLength(3);
    expect((await counter.get()).values.find((v) => v.labels.outcome === 'failed')?.value).toBe(2);
  });

  it('stops at EMBEDDINGS_JOB_BUDGET_SECONDS and says so', async () => {
    server.reset('slow');
    const vectors = new MemoryVectors(chunks(4));
    const started = Date.now();
    const pass = await embedder(vectors, { jobBudgetMs: 300, timeoutMs: 5000 }).embedSource('job', 'src', signal());
    expect(Date.now() - started).toBeLessThan(1200);
    expect(pass).toEqual({ embedded: 0, problem: expect.stringMatching(/stopped at EMBEDDINGS_JOB_BUDGET_SECONDS/) });
  });

  it("ends before the job's deadline when that comes first, and does not start without time left", async () => {
    server.reset('slow');
    const vectors = new MemoryVectors(chunks(4));
    const e = embedder(vectors, { jobBudgetMs: 60000, timeoutMs: 5000 });
    const started = Date.now();
    const pass = await e.embedSource('job', 'src', signal(), Date.now() + 300);
    expect(Date.now() - started).toBeLessThan(1200);
    expect(pass?.problem).toMatch(/stopped at the job timeout \(INGESTION_JOB_TIMEOUT_SECONDS\)/);
    server.reset('ok');
    const late = await e.embedSource('job', 'src', signal(), Date.now() - 1);
    expect(late?.problem).toMatch(/no time left before the job timeout/);
    expect(server.requests).toHaveLength(0);
  });

  it('reports a database failure (pgvector check) instead of throwing', async () => {
    const broken = {
      support: async () => Promise.reject(new Error('connection refused')),
    } as unknown as ChunkEmbeddingsRepository;
    const cfg = config({ url: `${server.baseUrl}/v1/embeddings` });
    const client = new EmbeddingsClient(cfg);
    made.push(client);
    const pass = await new ChunkEmbedder(cfg, client, broken, counter).embedSource('job', 'src', signal());
    expect(pass?.problem).toMatch(/could not check pgvector: connection refused/);
  });
});
