import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { feedbackConfig, FeedbackConfig } from '../../config/namespaces';
import { FeedbackRepository } from './feedback.repository';

const EVERY_MS = 3600_000;

/** Deletes expired Idempotency-Key records hourly (worker processes only). */
@Injectable()
export class FeedbackHousekeeping implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('FeedbackHousekeeping');
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly repo: FeedbackRepository,
    @Inject(feedbackConfig.KEY) private readonly cfg: FeedbackConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.purge().catch((err: Error) => this.logger.warn(`idempotency key purge failed: ${err.message}`));
    }, EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  purge(): Promise<number> {
    return this.repo.purgeExpiredIdempotencyKeys(this.cfg.idempotencyTtlSeconds);
  }
}
