import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { Counter } from 'prom-client';
import { embeddingsConfig, EmbeddingsConfig } from '../../../config/namespaces';
import { ChunkEmbeddingsRepository, ChunkToEmbed } from './chunk-embeddings.repository';
import { EmbeddingsClient } from './embeddings.client';
import { CHUNKS_EMBEDDED } from './embeddings.metrics';

export interface EmbeddingPass {
  embedded: number;
  /** Why chunks were left without a vector (they stay full-text only); null when all got one. */
  problem: string | null;
}

/** The text a chunk is embedded as: where it sits in its page says what it is about. */
export const embeddingText = (c: ChunkToEmbed) =>
  [c.pageTitle, c.headingPath.join(' › '), c.text].filter(Boolean).join('\n');

/**
 * The crawl's embedding step: after the pages are indexed, every chunk of the source without a
 * vector of the current model is embedded, batch by batch, within EMBEDDINGS_JOB_BUDGET_SECONDS.
 * It never throws: a failed or unfinished pass leaves those chunks full-text only, is logged and
 * counted, and the next crawl of the source picks them up (unchanged pages keep their vectors).
 */
@Injectable()
export class ChunkEmbedder {
  private readonly logger = new Logger(ChunkEmbedder.name);
  private unavailableLogged = false;

  constructor(
    @Inject(embeddingsConfig.KEY) private readonly cfg: EmbeddingsConfig,
    private readonly client: EmbeddingsClient,
    private readonly vectors: ChunkEmbeddingsRepository,
    @InjectMetric(CHUNKS_EMBEDDED) private readonly counted: Counter<string>,
  ) {}

  /**
   * Null when semantic retrieval is off or pgvector is missing (health says so; not a job's
   * problem). `deadline` (epoch ms): the pass also ends before it, so embedding can never make
   * the job overrun INGESTION_JOB_TIMEOUT_SECONDS and fail.
   */
  async embedSource(
    jobId: string,
    sourceId: string,
    signal: AbortSignal,
    deadline = Infinity,
  ): Promise<EmbeddingPass | null> {
    if (!this.client.configured) return null;
    try {
      const support = await this.vectors.support();
      if (!support.available) {
        if (!this.unavailableLogged)
          this.logger.warn(`semantic retrieval unavailable, chunks stay full-text only: ${support.reason}`);
        this.unavailableLogged = true;
        return null;
      }
    } catch (err) {
      return this.failed(jobId, 0, `could not check pgvector: ${(err as Error).message}`);
    }
    const left = Math.min(this.cfg.jobBudgetMs, deadline - Date.now());
    const limit =
      left < this.cfg.jobBudgetMs
        ? 'the job timeout (INGESTION_JOB_TIMEOUT_SECONDS)'
        : `EMBEDDINGS_JOB_BUDGET_SECONDS (${this.cfg.jobBudgetMs / 1000} s)`;
    if (left <= 0) return this.failed(jobId, 0, `no time left before ${limit}`);
    const budget = AbortSignal.timeout(Math.ceil(left));
    const stop = AbortSignal.any([signal, budget]);
    const model = this.client.modelKey;
    let embedded = 0;
    let batch: ChunkToEmbed[] = [];
    try {
      while (!stop.aborted) {
        batch = await this.vectors.missing(sourceId, model, this.cfg.batchSize);
        if (!batch.length) break;
        const vectors = await this.client.embed(batch.map(embeddingText), { signal: stop });
        const stored = await this.vectors.store(
          sourceId,
          model,
          batch.map((c, i) => ({ chunkId: c.id, embedding: vectors[i] })),
        );
        embedded += stored;
        this.counted.inc({ outcome: 'embedded' }, stored);
        batch = [];
      }
    } catch (err) {
      if (!stop.aborted) return this.failed(jobId, embedded, (err as Error).message, batch.length);
    }
    if (budget.aborted) return this.failed(jobId, embedded, `stopped at ${limit}`, batch.length);
    if (embedded) this.logger.log(`crawl ${jobId}: ${embedded} chunk(s) embedded`);
    return { embedded, problem: null };
  }

  private failed(jobId: string, embedded: number, why: string, lost = 0): EmbeddingPass {
    this.counted.inc({ outcome: 'failed' }, lost);
    const problem = `embeddings: ${embedded} chunk(s) embedded, the rest stay full-text only until the next crawl: ${why}`;
    this.logger.warn(`crawl ${jobId}: ${problem}`);
    return { embedded, problem };
  }
}
