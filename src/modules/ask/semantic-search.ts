import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { Counter } from 'prom-client';
import { askConfig, AskConfig, embeddingsConfig, EmbeddingsConfig } from '../../config/namespaces';
import { ChunkEmbeddingsRepository, NeighbourRow } from '../ingestion/embeddings/chunk-embeddings.repository';
import { EmbeddingsClient } from '../ingestion/embeddings/embeddings.client';
import { QUESTION_EMBEDDINGS } from '../ingestion/embeddings/embeddings.metrics';
import type { Passage } from './retrieval.service';
import { reciprocalRankFusion } from './rrf';

/**
 * Question-time half of semantic retrieval: the question is embedded and its nearest chunks
 * (pgvector, cosine) are merged with the full-text ranking by reciprocal rank fusion. Any
 * problem — endpoint down or slow, no pgvector — leaves the full-text ranking as it was.
 */
@Injectable()
export class SemanticSearch {
  private readonly logger = new Logger(SemanticSearch.name);

  constructor(
    @Inject(embeddingsConfig.KEY) private readonly cfg: EmbeddingsConfig,
    @Inject(askConfig.KEY) private readonly ask: AskConfig,
    private readonly client: EmbeddingsClient,
    private readonly vectors: ChunkEmbeddingsRepository,
    @InjectMetric(QUESTION_EMBEDDINGS) private readonly counted: Counter<string>,
  ) {}

  /** EMBEDDINGS_BASE_URL is set. When it is not, retrieval never calls `fuse` (same path as before). */
  get configured(): boolean {
    return this.client.configured;
  }

  /**
   * The full-text ranking (best first) fused with the question's vector neighbours. Passages
   * found only by vector get coverage 0 (they were not among the full-text candidates), the
   * question's terms of their text search configuration (`termsFor`), and their similarity,
   * which lets a close paraphrase answer (see EMBEDDINGS_MIN_SIMILARITY_PERCENT).
   */
  async fuse(
    sourceIds: string[],
    question: string,
    ranked: Passage[],
    termsFor: (tsConfig: string) => string[],
  ): Promise<Passage[]> {
    const neighbours = await this.neighbours(sourceIds, question);
    if (!neighbours.length) return ranked;
    const byId = new Map(ranked.map((p) => [p.chunkId, p]));
    for (const n of neighbours) {
      const known = byId.get(n.id);
      if (known) known.similarity = Number(n.similarity);
      else byId.set(n.id, fromNeighbour(n, termsFor(n.ts_config)));
    }
    return reciprocalRankFusion([ranked.map((p) => p.chunkId), neighbours.map((n) => n.id)], this.cfg.rrfK).map(
      ({ id, score }) => ({ ...byId.get(id)!, score }),
    );
  }

  private async neighbours(sourceIds: string[], question: string): Promise<NeighbourRow[]> {
    try {
      const support = await this.vectors.support();
      if (!support.available) return [];
      const [vector] = await this.client.embed([question], { retries: 0, timeoutMs: this.cfg.queryTimeoutMs });
      this.counted.inc({ outcome: 'ok' });
      return await this.vectors.nearest(sourceIds, this.client.modelKey, vector, this.ask.candidates);
    } catch (err) {
      this.counted.inc({ outcome: 'failed' });
      this.logger.warn(`question answered from full-text alone: ${(err as Error).message}`);
      return [];
    }
  }
}

function fromNeighbour(n: NeighbourRow, terms: string[]): Passage {
  return {
    chunkId: n.id,
    pageId: n.page_id,
    url: n.url,
    title: n.page_title,
    headingPath: n.heading_path,
    text: n.text,
    snippet: '',
    highlights: [],
    score: 0,
    coverage: 0,
    similarity: Number(n.similarity),
    terms,
  };
}
