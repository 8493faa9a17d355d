import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { OutboxEvent, OutboxEventName, OutboxEvents } from '../../common/events/domain-events';
import { currentRequestId, outsideRequest } from '../../common/logging/request-context';
import { OutboxEventEntity } from './entities/outbox-event.entity';

/** Rows per INSERT in addMany. */
const MAX_ROWS_PER_INSERT = 500;

/**
 * Writes outbox rows. Callers pass the EntityManager of the transaction that makes the change,
 * so the event exists if and only if the change does (every domain event is written this way);
 * the relay delivers it later, whether or not Redis is up right now. Names and payloads are
 * typed by common/events/domain-events. The row records the id of the request being served (or of the
 * job, which carries its request's id), so deliveries can send it on.
 */
@Injectable()
export class OutboxService {
  private readonly listeners = new Set<() => void>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async add<K extends OutboxEventName>(
    type: K,
    data: OutboxEvents[K],
    manager: EntityManager = this.dataSource.manager,
    targetEndpointId: string | null = null,
  ): Promise<string> {
    const row = await manager.save(
      OutboxEventEntity,
      manager.create(OutboxEventEntity, {
        eventType: type,
        data,
        targetEndpointId,
        requestId: currentRequestId() ?? null,
      }),
    );
    return row.id;
  }

  /**
   * Many events in few multi-row INSERTs (a defaults batch raises one event per item), in the
   * caller's transaction. One INSERT per event held a connection for seconds on a 1000-item
   * batch (found by test/chaos/sigterm); MAX_ROWS_PER_INSERT keeps each statement's parameters
   * well under Postgres' limit.
   */
  async addMany(events: OutboxEvent[], manager: EntityManager = this.dataSource.manager): Promise<void> {
    for (let i = 0; i < events.length; i += MAX_ROWS_PER_INSERT) {
      await manager.insert(
        OutboxEventEntity,
        events
          .slice(i, i + MAX_ROWS_PER_INSERT)
          .map((e) => ({ eventType: e.type, data: e.data, targetEndpointId: null, requestId: e.requestId ?? null })),
      );
    }
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
