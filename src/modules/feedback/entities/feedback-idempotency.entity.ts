import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * An Idempotency-Key already used by a client. Written in the same transaction as the feedback
 * row, under the (client, key) primary key, so two concurrent requests with one key cannot both
 * store: the second blocks on the first's uncommitted row, then finds it.
 */
@Entity('feedback_idempotency_keys')
export class FeedbackIdempotencyEntity {
  /** The rate-limit identity (apikey:<id>, user:<id> or ip:<addr>): keys are scoped per client. */
  @PrimaryColumn({ name: 'client_key', type: 'varchar', length: 200 })
  clientKey: string;

  @PrimaryColumn({ name: 'idempotency_key', type: 'varchar', length: 255 })
  idempotencyKey: string;

  @Column({ name: 'feedback_id', type: 'uuid', nullable: true })
  feedbackId: string | null;

  @Column({ name: 'response_status', type: 'smallint' })
  responseStatus: number;

  @Column({ name: 'response_body', type: 'jsonb' })
  responseBody: unknown;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
