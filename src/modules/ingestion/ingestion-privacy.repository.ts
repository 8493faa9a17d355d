import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface ExportedPageRow {
  sourceId: string;
  url: string;
  title: string | null;
  status: string;
  lang: string | null;
  fetchedAt: Date | null;
  text: string | null;
}

export interface ExportedChunkRow {
  sourceId: string;
  url: string;
  position: number;
  headingPath: string[];
  text: string;
}

/** The pages and chunks of a user's sources, as the data export shows them. */
@Injectable()
export class IngestionPrivacyRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  pagesOf(sourceIds: string[]): Promise<ExportedPageRow[]> {
    return this.ds.query(
      `SELECT source_id AS "sourceId", url, title, status, lang, fetched_at AS "fetchedAt", text FROM pages WHERE source_id = ANY($1) ORDER BY url`,
      [sourceIds],
    );
  }

  chunksOf(sourceIds: string[]): Promise<ExportedChunkRow[]> {
    return this.ds.query(
      `SELECT source_id AS "sourceId", url, position, heading_path AS "headingPath", text FROM chunks WHERE source_id = ANY($1) ORDER BY url, position`,
      [sourceIds],
    );
  }
}
