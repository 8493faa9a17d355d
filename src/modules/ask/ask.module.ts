import { Module } from '@nestjs/common';
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
import { RetrievalService } from './retrieval.service';

/** Question answering over the ingestion index. See docs/ask.md. */
@Module({
  imports: [IngestionModule],
  controllers: [AskController, AskUsageController],
  providers: [
    ...ASK_METRICS,
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
