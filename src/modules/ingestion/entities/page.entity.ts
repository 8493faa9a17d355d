import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { SourceEntity } from './source.entity';

export type PageStatus = 'pending' | 'indexed' | 'unchanged' | 'skipped' | 'failed';
/** Where the page is in the current crawl: the frontier lives in this table so a crash loses nothing. */
export type VisitState = 'queued' | 'fetching' | 'done';

/**
 * One page of a source, keyed by its normalised URL (unique per source, so re-discovery and
 * re-runs upsert instead of duplicating). Holds the extracted text once; chunks point into it.
 */
@Entity('pages')
@Index('UQ_pages_source_url', ['sourceId', 'url'], { unique: true })
@Index('IDX_pages_frontier', ['visitJobId', 'visitState'])
@Index('IDX_pages_source_hash', ['sourceId', 'contentHash'])
export class PageEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'source_id', type: 'uuid' })
  sourceId: string;

  @ManyToOne(() => SourceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'source_id' })
  source?: SourceEntity;

  @Column({ type: 'text' })
  url: string;

  @Column({ type: 'int' })
  depth: number;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status: PageStatus;

  @Column({ name: 'visit_job_id', type: 'uuid', nullable: true })
  visitJobId: string | null;

  @Column({ name: 'visit_state', type: 'varchar', length: 16, default: 'queued' })
  visitState: VisitState;

  @Column({ name: 'http_status', type: 'int', nullable: true })
  httpStatus: number | null;

  @Column({ name: 'skip_reason', type: 'varchar', length: 32, nullable: true })
  skipReason: string | null;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  @Column({ type: 'text', nullable: true })
  title: string | null;

  @Column({ type: 'varchar', length: 35, nullable: true })
  lang: string | null;

  /** Postgres text search configuration of the page's main language (its chunks may differ, see chunkConfigs). */
  @Column({ name: 'ts_config', type: 'varchar', length: 32, default: 'simple' })
  tsConfig: string;

  /** Every configuration the page's chunks use (a page can mix languages); retrieval searches these. */
  @Column({ name: 'chunk_configs', type: 'text', array: true, default: () => "'{}'" })
  chunkConfigs: string[];

  @Column({ name: 'content_hash', type: 'char', length: 64, nullable: true })
  contentHash: string | null;

  @Column({ type: 'text', nullable: true })
  etag: string | null;

  @Column({ name: 'last_modified', type: 'text', nullable: true })
  lastModified: string | null;

  @Column({ type: 'text', nullable: true, select: false })
  text: string | null;

  @Column({ name: 'fetched_at', type: 'timestamptz', nullable: true })
  fetchedAt: Date | null;

  @Column({ name: 'discovered_at', type: 'timestamptz', default: () => 'now()' })
  discoveredAt: Date;
}
