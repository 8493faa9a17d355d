import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { PrivacyContributor, UserDataContributor } from '../../common/privacy/privacy-registry';
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
    @InjectDataSource() private readonly ds: DataSource,
  ) {}

  async export(userId: string) {
    const sources = await this.sources.listForUser(userId, 100000);
    const ids = sources.map((s) => s.id);
    const pages = ids.length
      ? await this.ds.query(
          `SELECT source_id AS "sourceId", url, title, status, lang, fetched_at AS "fetchedAt", text FROM pages WHERE source_id = ANY($1) ORDER BY url`,
          [ids],
        )
      : [];
    const chunks = ids.length
      ? await this.ds.query(
          `SELECT source_id AS "sourceId", url, position, heading_path AS "headingPath", text FROM chunks WHERE source_id = ANY($1) ORDER BY url, position`,
          [ids],
        )
      : [];
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
