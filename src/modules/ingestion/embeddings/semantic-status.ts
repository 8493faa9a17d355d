import { Inject, Injectable } from '@nestjs/common';
import { embeddingsConfig, EmbeddingsConfig } from '../../../config/namespaces';
import { ChunkEmbeddingsRepository } from './chunk-embeddings.repository';
import { EmbeddingsClient, EndpointState } from './embeddings.client';

export interface SemanticReport {
  /** on: questions are also matched by vector; off: not configured; unavailable: configured, but this database has no pgvector. */
  status: 'on' | 'off' | 'unavailable';
  reason: string;
  model?: string;
  endpoint?: EndpointState;
}

/** What /health/detailed says of semantic retrieval, and why. */
@Injectable()
export class SemanticStatus {
  constructor(
    @Inject(embeddingsConfig.KEY) private readonly cfg: EmbeddingsConfig,
    private readonly client: EmbeddingsClient,
    private readonly vectors: ChunkEmbeddingsRepository,
  ) {}

  async report(): Promise<{ modes: string[]; semantic: SemanticReport }> {
    const semantic = await this.semantic();
    return { modes: semantic.status === 'on' ? ['full-text', 'semantic'] : ['full-text'], semantic };
  }

  private async semantic(): Promise<SemanticReport> {
    if (!this.client.configured) {
      const pgvector = await this.vectors.probe().then(
        (p) => (p.installed || p.packaged ? 'available' : 'not available'),
        () => 'unknown',
      );
      return { status: 'off', reason: `EMBEDDINGS_BASE_URL is not set (pgvector ${pgvector} on this database)` };
    }
    const support = await this.vectors
      .support()
      .catch((err: Error) => ({ available: false as const, reason: `could not check pgvector: ${err.message}` }));
    if (!support.available)
      return {
        status: 'unavailable',
        reason: `${support.reason}; retrieval stays full-text`,
        model: this.client.modelKey,
      };
    const host = new URL(this.cfg.url).host;
    return {
      status: 'on',
      reason: `chunks and questions are embedded by ${host} and merged with full-text by reciprocal rank fusion (k=${this.cfg.rrfK})`,
      model: this.client.modelKey,
      endpoint: { ...this.client.state },
    };
  }
}
