import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { UserEntity } from '../../auth/users/user.entity';
import { JobStatus } from '../job-status';

/** A site a user asked to ingest; the crawl never leaves `domain` (subdomains only if asked). */
@Entity('sources')
@Index('IDX_sources_user_id', ['userId'])
export class SourceEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;

  @Column({ type: 'text' })
  url: string;

  @Column({ type: 'varchar', length: 253 })
  domain: string;

  @Column({ name: 'include_subdomains', type: 'boolean', default: false })
  includeSubdomains: boolean;

  @Column({ name: 'max_pages', type: 'int' })
  maxPages: number;

  @Column({ name: 'max_depth', type: 'int', nullable: true })
  maxDepth: number | null;

  @Column({ name: 'include_paths', type: 'text', array: true, default: () => "'{}'" })
  includePaths: string[];

  @Column({ name: 'exclude_paths', type: 'text', array: true, default: () => "'{}'" })
  excludePaths: string[];

  @Column({ name: 'respect_robots', type: 'boolean', default: true })
  respectRobots: boolean;

  @Column({ name: 'use_sitemap', type: 'boolean', default: false })
  useSitemap: boolean;

  @Column({ type: 'varchar', length: 16, default: 'queued' })
  status: JobStatus;

  @Column({ name: 'last_job_id', type: 'uuid', nullable: true })
  lastJobId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
