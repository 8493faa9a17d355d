import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { currentRequestId } from '../../common/logging/request-context';
import { OutboxService } from './outbox.service';

/** Rows per INSERT; a defaults batch of DEFAULTS_BATCH_MAX items becomes a few statements. */
const MAX_ROWS_PER_INSERT = 500;

/**
 * Events raised by other modules (ingestion, defaults) through EventEmitter2. They arrive after
 * the emitter's own transaction, so the outbox row is written right away but NOT atomically with
 * the change: a crash between the two loses the event. feedback.received does not come through
 * here; the feedback module writes its outbox row inside its insert transaction.
 *
 * Events raised in the same tick are written together, in one INSERT: a defaults batch of 1000
 * items emits 1000 events at once, and one INSERT per event took every pooled connection for
 * seconds, until the pool's connect timeout failed (and so lost) hundreds of them and starved
 * the requests being served (found by test/chaos/sigterm).
 */
@Injectable()
export class DomainEventsListener implements OnModuleDestroy {
  private readonly logger = new Logger('WebhookEvents');
  private queued: { type: string; data: unknown; requestId: string | null; done: () => void }[] = [];
  private flushing?: Promise<void>;

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

  /** Events queued before shutdown are written before the database pool closes. */
  async onModuleDestroy(): Promise<void> {
    while (this.queued.length || this.flushing) await (this.flushing ?? this.flush());
  }

  /** Resolves once the event is recorded (or its failure logged); never rejects. */
  private write(type: string, data: unknown): Promise<void> {
    return new Promise<void>((done) => {
      // The request (or job) that raised the event, captured now: the insert runs a tick later.
      this.queued.push({ type, data: data ?? {}, requestId: currentRequestId() ?? null, done });
      if (!this.flushing) this.flushing = new Promise((r) => setImmediate(r)).then(() => this.flush());
    });
  }

  private async flush(): Promise<void> {
    try {
      while (this.queued.length) {
        const batch = this.queued.splice(0, MAX_ROWS_PER_INSERT);
        try {
          await this.outbox.addMany(batch);
          this.outbox.notify();
        } catch (err) {
          // An emitter must never fail because a webhook could not be recorded; say so loudly.
          const types = [...new Set(batch.map((e) => e.type))].join(', ');
          this.logger.error(`could not record ${batch.length} event(s) (${types}) for webhooks: ${(err as Error).message}`);
        } finally {
          for (const e of batch) e.done();
        }
      }
    } finally {
      this.flushing = undefined;
    }
  }
}
