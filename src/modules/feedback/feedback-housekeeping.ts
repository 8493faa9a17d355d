import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Scheduler } from '../../common/lifecycle/scheduler';
import { feedbackConfig, FeedbackConfig } from '../../config/namespaces';
import { FeedbackRepository } from './feedback.repository';

const EVERY_MS = 3600_000;

/** Deletes expired Idempotency-Key records hourly (worker processes only). */
@Injectable()
export class FeedbackHousekeeping implements OnApplicationBootstrap {
  constructor(
    private readonly repo: FeedbackRepository,
    @Inject(feedbackConfig.KEY) private readonly cfg: FeedbackConfig,
    private readonly scheduler: Scheduler,
  ) {}

  onApplicationBootstrap(): void {
    this.scheduler.every('idempotency-key-purge', EVERY_MS, () => this.purge());
  }

  purge(): Promise<number> {
    return this.repo.purgeExpiredIdempotencyKeys(this.cfg.idempotencyTtlSeconds);
  }
}
