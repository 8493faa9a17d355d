import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { currentRequestId, outsideRequest } from '../../common/logging/request-context';
import { OutboxEventEntity } from './entities/outbox-event.entity';

/**
 * Writes outbox rows. Callers pass the EntityManager of the transaction that makes the change,
 * so the event exists if and only if the change does; the relay delivers it later, whether or
 * not Redis is up right now. The row records the id of the request being served (or of the
 * job, which carries its request's id), so deliveries can send it on.
 */
@Injectable()
export class OutboxService {
  private readonly listeners = new Set<() => void>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async add(
    type: string,
    data: unknown,
    manager: EntityManager = this.dataSource.manager,
    targetEndpointId: string | null = null,
  ): Promise<string> {
    const row = await manager.save(
      OutboxEventEntity,
      manager.create(OutboxEventEntity, {
        eventType: type,
        data: data ?? {},
        targetEndpointId,
        requestId: currentRequestId() ?? null,
      }),
    );
    return row.id;
  }

  /**
   * Many events in one multi-row INSERT (a defaults batch raises one event per item). Each
   * event carries the request id current when it was raised (the insert may run later).
   */
  async addMany(events: { type: string; data: unknown; requestId?: string | null }[], manager: EntityManager = this.dataSource.manager): Promise<void> {
    if (!events.length) return;
    await manager.insert(
      OutboxEventEntity,
      events.map((e) => ({ eventType: e.type, data: e.data ?? {}, targetEndpointId: null, requestId: e.requestId ?? null })),
    );
  }

  /**
   * Called after a commit so the relay can run now instead of at its next tick. The pass runs
   * outside the caller's request: it moves everyone's events, not this request's.
   */
  notify(): void {
    outsideRequest(() => {
      for (const l of this.listeners) l();
    });
  }

  onWritten(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
