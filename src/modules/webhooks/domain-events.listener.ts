import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { OutboxService } from './outbox.service';

/**
 * Events raised by other modules (ingestion, defaults) through EventEmitter2. They arrive after
 * the emitter's own transaction, so the outbox row is written right away but NOT atomically with
 * the change: a crash between the two loses the event. feedback.received does not come through
 * here; the feedback module writes its outbox row inside its insert transaction.
 */
@Injectable()
export class DomainEventsListener {
  private readonly logger = new Logger('WebhookEvents');

  constructor(private readonly outbox: OutboxService) {}

  @OnEvent('ingestion.completed', { async: true, promisify: true })
  ingestionCompleted(payload: unknown): Promise<void> {
    return this.write('ingestion.completed', payload);
  }

  @OnEvent('ingestion.failed', { async: true, promisify: true })
  ingestionFailed(payload: unknown): Promise<void> {
    return this.write('ingestion.failed', payload);
  }

  @OnEvent('defaults.changed', { async: true, promisify: true })
  defaultsChanged(payload: unknown): Promise<void> {
    return this.write('defaults.changed', payload);
  }

  private async write(type: string, payload: unknown): Promise<void> {
    try {
      await this.outbox.add(type, payload ?? {});
      this.outbox.notify();
    } catch (err) {
      // An emitter must never fail because a webhook could not be recorded; say so loudly.
      this.logger.error(`could not record ${type} for webhooks: ${(err as Error).message}`);
    }
  }
}
