import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { OutboxEventEntity } from './entities/outbox-event.entity';
import { WebhookAttemptEntity } from './entities/webhook-attempt.entity';
import { WebhookDeliveryEntity } from './entities/webhook-delivery.entity';
import { WebhookEndpointEntity } from './entities/webhook-endpoint.entity';
import { Transactions } from '../../database/transactions';

/** Data access for endpoints, deliveries and attempts (one aggregate: an endpoint's traffic). */
@Injectable()
export class WebhooksRepository {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly tx: Transactions,
  ) {}

  get manager(): EntityManager {
    return this.ds.manager;
  }

  transaction<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.tx.run(fn);
  }

  createEndpoint(data: Partial<WebhookEndpointEntity>): Promise<WebhookEndpointEntity> {
    return this.ds.manager.save(WebhookEndpointEntity, this.ds.manager.create(WebhookEndpointEntity, data));
  }

  findEndpoint(id: string): Promise<WebhookEndpointEntity | null> {
    return this.ds.manager.findOne(WebhookEndpointEntity, { where: { id } });
  }

  listEndpoints(page: number, limit: number): Promise<[WebhookEndpointEntity[], number]> {
    return this.ds.manager.findAndCount(WebhookEndpointEntity, {
      order: { createdAt: 'DESC' },
      skip: (page - 1) * limit,
      take: limit,
    });
  }

  async updateEndpoint(
    id: string,
    patch: Partial<WebhookEndpointEntity>,
    m: EntityManager = this.ds.manager,
  ): Promise<void> {
    await m.update(WebhookEndpointEntity, { id }, patch);
  }

  async deleteEndpoint(id: string): Promise<boolean> {
    return ((await this.ds.manager.delete(WebhookEndpointEntity, { id })).affected ?? 0) > 0;
  }

  enabledEndpoints(m: EntityManager): Promise<WebhookEndpointEntity[]> {
    return m.find(WebhookEndpointEntity, { where: { enabled: true } });
  }

  /** Unrelayed outbox rows, locked; other relays (other processes) skip them instead of waiting. */
  lockUnrelayed(m: EntityManager, limit: number): Promise<OutboxEventEntity[]> {
    return m
      .createQueryBuilder(OutboxEventEntity, 'o')
      .where('o.relayed_at IS NULL')
      .orderBy('o.created_at', 'ASC')
      .limit(limit)
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .getMany();
  }

  async markRelayed(m: EntityManager, ids: string[]): Promise<void> {
    if (ids.length) await m.query(`UPDATE webhook_outbox SET relayed_at = now() WHERE id = ANY($1::uuid[])`, [ids]);
  }

  /** Idempotent: a (event, endpoint) pair already delivered or pending is left alone. */
  async insertDeliveries(
    m: EntityManager,
    rows: Pick<WebhookDeliveryEntity, 'endpointId' | 'eventId' | 'eventType' | 'body' | 'requestId'>[],
    firstDelaySeconds: number,
  ): Promise<void> {
    if (!rows.length) return;
    const at = new Date(Date.now() + firstDelaySeconds * 1000);
    await m
      .createQueryBuilder()
      .insert()
      .into(WebhookDeliveryEntity)
      .values(rows.map((r) => ({ ...r, nextAttemptAt: at })))
      .orIgnore()
      .execute();
  }

  /** Deliveries whose next attempt is not on the queue yet, locked for this relay pass. */
  lockUnenqueued(
    m: EntityManager,
    limit: number,
  ): Promise<{ id: string; attempts: number; nextAttemptAt: Date; requestId: string | null }[]> {
    return m.query(
      `SELECT id, attempts, next_attempt_at AS "nextAttemptAt", request_id AS "requestId" FROM webhook_deliveries
        WHERE status = 'pending' AND enqueued_at IS NULL ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
  }

  /**
   * A queued attempt long overdue was lost with Redis's data (a restart without persistence):
   * hand it back to the relay. A still-queued duplicate is dropped by the processor.
   */
  async requeueStale(m: EntityManager, staleSeconds: number): Promise<void> {
    await m.query(
      `UPDATE webhook_deliveries SET enqueued_at = NULL
        WHERE status = 'pending' AND enqueued_at IS NOT NULL AND next_attempt_at < now() - make_interval(secs => $1)`,
      [staleSeconds],
    );
  }

  async markEnqueued(m: EntityManager, ids: string[]): Promise<void> {
    if (ids.length)
      await m.query(`UPDATE webhook_deliveries SET enqueued_at = now() WHERE id = ANY($1::uuid[])`, [ids]);
  }

  findDelivery(id: string): Promise<WebhookDeliveryEntity | null> {
    return this.ds.manager.findOne(WebhookDeliveryEntity, { where: { id } });
  }

  async updateDelivery(
    id: string,
    patch: Partial<WebhookDeliveryEntity>,
    m: EntityManager = this.ds.manager,
  ): Promise<void> {
    await m.update(WebhookDeliveryEntity, { id }, patch);
  }

  async recordAttempt(
    a: Omit<WebhookAttemptEntity, 'id' | 'createdAt' | 'delivery'>,
    m: EntityManager = this.ds.manager,
  ): Promise<void> {
    await m.insert(WebhookAttemptEntity, a);
  }

  listDeliveries(endpointId: string, page: number, limit: number): Promise<[WebhookDeliveryEntity[], number]> {
    return this.ds.manager.findAndCount(WebhookDeliveryEntity, {
      where: { endpointId },
      order: { createdAt: 'DESC' },
      skip: (page - 1) * limit,
      take: limit,
    });
  }

  attemptsFor(deliveryIds: string[]): Promise<WebhookAttemptEntity[]> {
    if (!deliveryIds.length) return Promise.resolve([]);
    return this.ds.manager
      .createQueryBuilder(WebhookAttemptEntity, 'a')
      .where('a.delivery_id IN (:...ids)', { ids: deliveryIds })
      .orderBy('a.attempt_no', 'ASC')
      .getMany();
  }

  /** Housekeeping: old relayed events, finished deliveries (attempts cascade). Returns rows deleted. */
  async purgeOlderThan(days: number): Promise<number> {
    const [, outbox]: [unknown[], number] = await this.ds.query(
      `DELETE FROM webhook_outbox WHERE relayed_at IS NOT NULL AND relayed_at < now() - make_interval(days => $1)`,
      [days],
    );
    const [, deliveries]: [unknown[], number] = await this.ds.query(
      `DELETE FROM webhook_deliveries WHERE status <> 'pending' AND completed_at < now() - make_interval(days => $1)`,
      [days],
    );
    return Number(outbox ?? 0) + Number(deliveries ?? 0);
  }

  /** Seconds since the oldest unrelayed outbox row was written (0 when none). */
  async outboxLagSeconds(): Promise<number> {
    const [row]: { lag: number | null }[] = await this.ds.query(
      `SELECT EXTRACT(EPOCH FROM now() - min(created_at))::float AS lag FROM webhook_outbox WHERE relayed_at IS NULL`,
    );
    return Number(row?.lag ?? 0) || 0;
  }
}
