import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { PageEntity } from './page.entity';
import { SourceEntity } from './source.entity';

/**
 * A retrieval unit. `tsv` is written by the repository in SQL (title weight A, heading path B,
 * body C, with the chunk's text search configuration, see `lang`); its GIN index is created by the
 * migration and left alone by TypeORM (synchronize: false) because TypeORM cannot express GIN.
 */
@Entity('chunks')
@Index('UQ_chunks_page_position', ['pageId', 'position'], { unique: true })
@Index('IDX_chunks_source_id', ['sourceId'])
export class ChunkEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'source_id', type: 'uuid' })
  sourceId: string;

  @ManyToOne(() => SourceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'source_id' })
  source?: SourceEntity;

  @Column({ name: 'page_id', type: 'uuid' })
  pageId: string;

  @ManyToOne(() => PageEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'page_id' })
  page?: PageEntity;

  @Column({ type: 'int' })
  position: number;

  @Column({ type: 'text' })
  url: string;

  @Column({ name: 'page_title', type: 'text', default: '' })
  pageTitle: string;

  @Column({ name: 'heading_path', type: 'text', array: true, default: () => "'{}'" })
  headingPath: string[];

  @Column({ type: 'text' })
  text: string;

  @Column({ name: 'start_offset', type: 'int' })
  startOffset: number;

  @Column({ name: 'end_offset', type: 'int' })
  endOffset: number;

  /** The chunk's own language (section `lang`, or detected where the page has no `lang`); its tsvector uses ts_config. */
  @Column({ type: 'varchar', length: 35, nullable: true })
  lang: string | null;

  @Column({ name: 'ts_config', type: 'varchar', length: 32 })
  tsConfig: string;

  @Index('IDX_chunks_tsv', { synchronize: false })
  @Column({ type: 'tsvector', select: false })
  tsv: string;
}
