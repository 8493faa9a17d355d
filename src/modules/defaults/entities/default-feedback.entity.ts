import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One accepted/rejected observation with the feature values as they were at that moment, so
 * training learns from what predict saw, not from today's counters.
 */
@Entity('default_feedback')
@Index('IDX_default_feedback_created_at', ['createdAt'])
@Index('IDX_default_feedback_key', ['key'])
@Index('IDX_default_feedback_actor_id', ['actorId'])
export class DefaultFeedbackEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 255 })
  key: string;

  @Column({ type: 'varchar', length: 4096, default: '' })
  context: string;

  @Column({ type: 'jsonb' })
  value: unknown;

  @Column({ type: 'boolean' })
  accepted: boolean;

  @Column({ name: 'f_usage', type: 'double precision' })
  usage: number;

  @Column({ name: 'f_success', type: 'double precision' })
  success: number;

  @Column({ name: 'f_similarity', type: 'double precision' })
  similarity: number;

  @Column({ name: 'f_recency', type: 'double precision' })
  recency: number;

  /** The stored row whose counters were updated (null when the value is not stored). */
  @Column({ name: 'default_value_id', type: 'uuid', nullable: true })
  defaultValueId: string | null;

  /** Who reported it; set to null when the user is erased. */
  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
