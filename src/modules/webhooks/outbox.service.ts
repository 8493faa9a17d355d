import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { OutboxEventEntity } from './entities/outbox-event.entity';

/**
 * Writes outbox rows. Callers pass the EntityManager of the transaction that makes the change,
 * so the event exists if and only if the change does; the relay delivers it later, whether or
 * not Redis is up right now.
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
      manager.create(OutboxEventEntity, { eventType: type, data: data ?? {}, targetEndpointId }),
    );
    return row.id;
  }

  /** Many events in one multi-row INSERT (a defaults batch raises one event per item). */
  async addMany(events: { type: string; data: unknown }[], manager: EntityManager = this.dataSource.manager): Promise<void> {
    if (!events.length) return;
    await manager.insert(
      OutboxEventEntity,
      events.map((e) => ({ eventType: e.type, data: e.data ?? {}, targetEndpointId: null })),
    );
  }

  /** Called after a commit so the relay can run now instead of at its next tick. */
  notify(): void {
    for (const l of this.listeners) l();
  }

  onWritten(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
