import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';

/** Postgres bigint arrives as a string; counters stay far below 2^53. */
export const bigintNumber = { to: (v: number) => v, from: (v: string | null) => (v === null ? 0 : Number(v)) };

/** One default value for (key, canonical context); context "" is the key's global default. */
@Entity('default_values')
@Unique('UQ_default_values_key_context', ['key', 'context'])
@Index('IDX_default_values_key', ['key'])
@Index('IDX_default_values_context', ['context'])
@Index('IDX_default_values_confidence', ['confidence'])
@Check('CHK_default_values_confidence', 'confidence >= 0 AND confidence <= 1')
export class DefaultValueEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 255 })
  key: string;

  @Column({ type: 'varchar', length: 4096, default: '' })
  context: string;

  @Column({ type: 'jsonb' })
  value: unknown;

  @Column({ type: 'double precision', default: 1 })
  confidence: number;

  @Column({ name: 'usage_count', type: 'bigint', default: 0, transformer: bigintNumber })
  usageCount: number;

  @Column({ name: 'success_count', type: 'bigint', default: 0, transformer: bigintNumber })
  successCount: number;

  @Column({ name: 'failure_count', type: 'bigint', default: 0, transformer: bigintNumber })
  failureCount: number;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  /** Optimistic lock: the ETag; PUT with a stale If-Match answers 412. */
  @VersionColumn({ type: 'integer', default: 1 })
  version: number;
}
