import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { PrivacyContributor, UserDataContributor } from '../../common/privacy/privacy-registry';
import { IngestionPrivacyRepository } from './ingestion-privacy.repository';
import { IngestionJobsRepository } from './jobs.repository';
import { SourcesRepository } from './sources.repository';
import { toJobView, toSourceView } from './ingestion.service';

/** Sources, jobs, pages and chunks in the user's export; erasure deletes the sources (the rest cascades). */
@PrivacyContributor()
@Injectable()
export class IngestionPrivacyService implements UserDataContributor {
  readonly name = 'ingestion';

  constructor(
    private readonly sources: SourcesRepository,
    private readonly jobs: IngestionJobsRepository,
    private readonly exported: IngestionPrivacyRepository,
  ) {}

  async export(userId: string) {
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
  }

  erase(userId: string, manager: EntityManager): Promise<void> {
    return this.sources.deleteForUser(userId, manager);
  }
}
