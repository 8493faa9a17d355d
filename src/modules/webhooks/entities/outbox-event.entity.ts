import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The transactional outbox: an event written with the change that caused it. The relay turns
 * unrelayed rows into deliveries (one per subscribed endpoint) and marks them relayed.
 */
@Entity('webhook_outbox')
@Index('IDX_webhook_outbox_unrelayed', ['createdAt'], { where: 'relayed_at IS NULL' })
export class OutboxEventEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'event_type', type: 'varchar', length: 100 })
  eventType: string;

  @Column({ type: 'jsonb' })
  data: unknown;

  /** Set for a ping: only this endpoint receives the event, whatever it subscribes to. */
  @Column({ name: 'target_endpoint_id', type: 'uuid', nullable: true })
  targetEndpointId: string | null;

  /** X-Request-Id of the request that caused the event; sent with every delivery of it. */
  @Column({ name: 'request_id', type: 'varchar', length: 128, nullable: true })
  requestId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'relayed_at', type: 'timestamptz', nullable: true })
  relayedAt: Date | null;
}
