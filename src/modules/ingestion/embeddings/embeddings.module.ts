import { Module } from '@nestjs/common';
import { ChunkEmbedder } from './chunk-embedder';
import { ChunkEmbeddingsRepository } from './chunk-embeddings.repository';
import { EmbeddingsClient } from './embeddings.client';
import { EMBEDDINGS_METRICS } from './embeddings.metrics';
import { SemanticStatus } from './semantic-status';

/**
 * Optional semantic retrieval's building blocks: the embeddings endpoint client, the pgvector
 * store, the crawl's embedding step and the health report. Used by ingestion (crawl), ask
 * (question time) and health. See docs/ask.md "Semantic retrieval".
 */
@Module({
  providers: [...EMBEDDINGS_METRICS, EmbeddingsClient, ChunkEmbeddingsRepository, ChunkEmbedder, SemanticStatus],
  exports: [EmbeddingsClient, ChunkEmbeddingsRepository, ChunkEmbedder, SemanticStatus, ...EMBEDDINGS_METRICS],
})
export class EmbeddingsModule {}
