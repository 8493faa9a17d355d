import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { JobStatus } from '../job-status';
import { SourceEntity } from './source.entity';

/** One crawl of a source. Counters are plain columns so workers can bump them atomically. */
@Entity('ingestion_jobs')
@Index('IDX_ingestion_jobs_source_id', ['sourceId'])
@Index('IDX_ingestion_jobs_status', ['status'])
export class IngestionJobEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'source_id', type: 'uuid' })
  sourceId: string;

  @ManyToOne(() => SourceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'source_id' })
  source?: SourceEntity;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ type: 'varchar', length: 16, default: 'queued' })
  status: JobStatus;

  @Column({ name: 'max_pages', type: 'int' })
  maxPages: number;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ type: 'int', default: 0 })
  discovered: number;

  /** Pages given a fetch slot; never exceeds max_pages (claimed in the same statement). */
  @Column({ type: 'int', default: 0 })
  fetched: number;

  @Column({ type: 'int', default: 0 })
  indexed: number;

  @Column({ type: 'int', default: 0 })
  unchanged: number;

  @Column({ name: 'skipped_robots', type: 'int', default: 0 })
  skippedRobots: number;

  @Column({ name: 'skipped_duplicate', type: 'int', default: 0 })
  skippedDuplicate: number;

  @Column({ name: 'skipped_type', type: 'int', default: 0 })
  skippedType: number;

  @Column({ name: 'skipped_size', type: 'int', default: 0 })
  skippedSize: number;

  @Column({ name: 'skipped_depth', type: 'int', default: 0 })
  skippedDepth: number;

  @Column({ name: 'skipped_error', type: 'int', default: 0 })
  skippedError: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
