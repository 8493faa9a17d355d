import { Injectable, OnModuleInit } from '@nestjs/common';
import { PrivacyRegistry } from '../../common/privacy/privacy-registry';
import { IngestionPrivacyRepository } from './ingestion-privacy.repository';
import { IngestionJobsRepository } from './jobs.repository';
import { SourcesRepository } from './sources.repository';
import { toJobView, toSourceView } from './ingestion.service';

/** Sources, jobs, pages and chunks in the user's export; erasure deletes the sources (the rest cascades). */
@Injectable()
export class IngestionPrivacyService implements OnModuleInit {
  constructor(
    private readonly registry: PrivacyRegistry,
    private readonly sources: SourcesRepository,
    private readonly jobs: IngestionJobsRepository,
    private readonly exported: IngestionPrivacyRepository,
  ) {}

  onModuleInit(): void {
    this.registry.register({
      name: 'ingestion',
      export: async (userId) => {
        const sources = await this.sources.listForUser(userId, 100000);
        const ids = sources.map((s) => s.id);
        const pages = ids.length ? await this.exported.pagesOf(ids) : [];
        const chunks = ids.length ? await this.exported.chunksOf(ids) : [];
        return {
          sources: sources.map(toSourceView),
          jobs: (await this.jobs.allForUser(userId)).map(toJobView),
          pages,
          chunks,
        };
      },
      erase: (userId, m) => this.sources.deleteForUser(userId, m),
    });
  }
}
