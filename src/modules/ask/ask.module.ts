import { Module } from '@nestjs/common';
import { EmbeddingsModule } from '../ingestion/embeddings/embeddings.module';
import { IngestionModule } from '../ingestion/ingestion.module';
import { AskUsageController } from './usage/ask-usage.controller';
import { AskUsageRepository } from './usage/ask-usage.repository';
import { AskUsagePrivacy } from './usage/ask-usage-privacy';
import { AskUsageService } from './usage/ask-usage.service';
import { AskController } from './ask.controller';
import { ASK_METRICS } from './ask.metrics';
import { AskService } from './ask.service';
import { ExtractiveProvider } from './providers/extractive.provider';
import { OpenAiCompatibleProvider } from './providers/openai-compatible.provider';
import { QueryExpansion } from './expansion/query-expansion';
import { RetrievalService } from './retrieval.service';
import { SemanticSearch } from './semantic-search';

/** Question answering over the ingestion index. See docs/ask.md. */
@Module({
  imports: [IngestionModule, EmbeddingsModule],
  controllers: [AskController, AskUsageController],
  providers: [
    ...ASK_METRICS,
    SemanticSearch,
    QueryExpansion,
    RetrievalService,
    ExtractiveProvider,
    OpenAiCompatibleProvider,
    AskUsageRepository,
    AskUsageService,
    AskUsagePrivacy,
    AskService,
  ],
})
export class AskModule {}
