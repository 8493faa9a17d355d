import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { WebhookEndpointEntity } from './webhook-endpoint.entity';

export const DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * One message to one endpoint. Its id is the `webhook-id` (constant across retries and
 * redeliveries); `body` is fixed at creation so every attempt sends the same bytes.
 */
@Entity('webhook_deliveries')
@Index('UQ_webhook_deliveries_event_endpoint', ['eventId', 'endpointId'], { unique: true })
@Index('IDX_webhook_deliveries_endpoint', ['endpointId', 'createdAt'])
@Index('IDX_webhook_deliveries_due', ['nextAttemptAt'], { where: "status = 'pending' AND enqueued_at IS NULL" })
export class WebhookDeliveryEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'endpoint_id', type: 'uuid' })
  endpointId: string;

  @ManyToOne(() => WebhookEndpointEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'endpoint_id' })
  endpoint?: WebhookEndpointEntity;

  @Column({ name: 'event_id', type: 'uuid' })
  eventId: string;

  @Column({ name: 'event_type', type: 'varchar', length: 100 })
  eventType: string;

  @Column({ type: 'text' })
  body: string;

  /** Copied from the outbox event: sent as X-Request-Id so the receiver can quote it. */
  @Column({ name: 'request_id', type: 'varchar', length: 128, nullable: true })
  requestId: string | null;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status: DeliveryStatus;

  /** Position in WEBHOOK_RETRY_SCHEDULE of the next attempt (reset by a redelivery). */
  @Column({ name: 'schedule_index', type: 'int', default: 0 })
  scheduleIndex: number;

  /** Attempts ever made, across redeliveries. */
  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz' })
  nextAttemptAt: Date;

  /** Set when the next attempt was put on the queue; null means the relay must enqueue it. */
  @Column({ name: 'enqueued_at', type: 'timestamptz', nullable: true })
  enqueuedAt: Date | null;

  @Column({ name: 'last_status_code', type: 'int', nullable: true })
  lastStatusCode: number | null;

  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true })
  lastError: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt: Date | null;
}
