import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { IngestionJobEnded } from '../../common/events/domain-events';
import { OutboxService } from '../webhooks/outbox.service';
import { IngestionJobEntity } from './entities/ingestion-job.entity';
import { IngestionJobsRepository } from './jobs.repository';

/**
 * Ends a job and records its `ingestion.completed` / `ingestion.failed` webhook event in the
 * same transaction (transactional outbox): a process killed right after the commit still has
 * the event, and a failed commit leaves neither. In-process listeners hear of it after commit.
 */
@Injectable()
export class JobEndings {
  constructor(
    private readonly jobs: IngestionJobsRepository,
    private readonly outbox: OutboxService,
    private readonly events: EventEmitter2,
  ) {}

  /**
   * The ended job, or null when it had already ended (first writer wins). `payloadOf` builds
   * the event data from the ended row.
   */
  async finish(
    jobId: string,
    status: 'completed' | 'failed',
    error: string | null,
    payloadOf: (job: IngestionJobEntity) => IngestionJobEnded,
  ): Promise<IngestionJobEntity | null> {
    const type = status === 'completed' ? 'ingestion.completed' : 'ingestion.failed';
    let ended: { job: IngestionJobEntity; data: IngestionJobEnded } | undefined;
    await this.jobs.finish(jobId, status, error, async (m, job) => {
      const data = payloadOf(job);
      await this.outbox.add(type, data, m);
      ended = { job, data };
    });
    if (!ended) return null;
    this.outbox.notify();
    this.events.emit(type, ended.data);
    return ended.job;
  }
}
