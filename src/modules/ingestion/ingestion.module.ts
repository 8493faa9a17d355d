import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { QueueModule } from '../../common/queue/queue.module';
import { workerProviders } from '../../common/queue/worker-role';
import { CrawlRunner } from './crawl/crawl-runner';
import { CrawlTargetCheck } from './crawl/crawl-target';
import { CrawlWorker } from './crawl/crawl.worker';
import { Fetcher } from './crawl/fetcher';
import { EmbeddingsModule } from './embeddings/embeddings.module';
import { ChunkEntity } from './entities/chunk.entity';
import { IngestionJobEntity } from './entities/ingestion-job.entity';
import { PageEntity } from './entities/page.entity';
import { SourceEntity } from './entities/source.entity';
import { ChunkIndexRepository } from './index/chunk-index.repository';
import { ChunkIndexService } from './index/chunk-index.service';
import { TermStats } from './index/term-stats';
import { IngestionPrivacyRepository } from './ingestion-privacy.repository';
import { IngestionPrivacyService } from './ingestion-privacy.service';
import { INGESTION_QUEUE } from './ingestion.constants';
import { INGESTION_METRICS } from './ingestion.metrics';
import { IngestionService } from './ingestion.service';
import { IngestionJobsController } from './jobs.controller';
import { IngestionJobsRepository } from './jobs.repository';
import { JobEndings } from './job-endings';
import { JobProgressHub } from './job-progress.hub';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { PagesRepository } from './pages.repository';
import { SourcesController } from './sources.controller';
import { SourcesRepository } from './sources.repository';

/**
 * Sources → crawl jobs (BullMQ, or in-process without Redis) → pages → chunks with a weighted tsvector. API processes
 * enqueue; worker processes (APP_ROLE worker or all) crawl. See docs/ingestion.md.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([SourceEntity, IngestionJobEntity, PageEntity, ChunkEntity]),
    QueueModule.registerQueue(INGESTION_QUEUE),
    WebhooksModule,
    EmbeddingsModule,
  ],
  controllers: [SourcesController, IngestionJobsController],
  providers: [
    ...INGESTION_METRICS,
    SourcesRepository,
    IngestionJobsRepository,
    JobEndings,
    JobProgressHub,
    PagesRepository,
    ChunkIndexRepository,
    TermStats,
    ChunkIndexService,
    IngestionService,
    IngestionPrivacyRepository,
    IngestionPrivacyService,
    Fetcher,
    CrawlTargetCheck,
    CrawlRunner,
    ...workerProviders(CrawlWorker),
  ],
  exports: [PagesRepository, SourcesRepository, ChunkIndexService],
})
export class IngestionModule {}
