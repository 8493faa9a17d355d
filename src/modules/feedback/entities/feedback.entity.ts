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

export const FEEDBACK_TYPES = ['bug', 'feature', 'comment'] as const;
export type FeedbackType = (typeof FEEDBACK_TYPES)[number];
export const FEEDBACK_STATUSES = ['new', 'triaged', 'closed'] as const;
export type FeedbackStatus = (typeof FEEDBACK_STATUSES)[number];
export type FeedbackMetadata = Record<string, string | number | boolean>;

/** One piece of feedback, text stored exactly as received (minus control characters). */
@Entity('feedback')
@Index('IDX_feedback_created_at', ['createdAt', 'id'])
@Index('IDX_feedback_user_id', ['userId'])
export class FeedbackEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 16 })
  type: FeedbackType;

  @Column({ type: 'text' })
  message: string;

  @Column({ type: 'smallint', nullable: true })
  rating: number | null;

  @Column({ type: 'varchar', length: 254, nullable: true })
  contact: string | null;

  @Column({ name: 'app_version', type: 'varchar', length: 100, nullable: true })
  appVersion: string | null;

  @Column({ type: 'jsonb', nullable: true })
  metadata: FeedbackMetadata | null;

  @Column({ type: 'varchar', length: 16, default: 'new' })
  status: FeedbackStatus;

  /** The submitting user (API key owner or logged-in user); null for anonymous feedback. */
  @Column({ name: 'user_id', type: 'uuid', nullable: true })
  userId: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;

  @Column({ name: 'api_key_id', type: 'uuid', nullable: true })
  apiKeyId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
