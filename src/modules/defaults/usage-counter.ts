import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { AppShutdown } from '../../common/lifecycle/shutdown';
import { Scheduler } from '../../common/lifecycle/scheduler';
import { defaultsConfig, DefaultsConfig } from '../../config/namespaces';
import { DefaultsRepository } from './defaults.repository';

/**
 * Usage counts without a Postgres write per read: each resolve adds 1 to an in-process map, and
 * every DEFAULTS_USAGE_FLUSH_SECONDS (and at shutdown, once the HTTP server has drained) the
 * instance adds its map to Postgres in one UPDATE. Redis is deliberately not involved: counts
 * kept in a shared Redis hash vanished with a Redis restart (test/chaos/redis-outage), while an
 * instance's own map survives any Redis outage. A crash of the instance loses at most one
 * interval of its counts; a failed flush keeps them for the next attempt.
 */
@Injectable()
export class UsageCounter implements OnModuleInit {
  private readonly logger = new Logger('DefaultsUsage');
  private pending = new Map<string, number>();
  private flushing?: Promise<void>;

  constructor(
    @Inject(defaultsConfig.KEY) private readonly cfg: DefaultsConfig,
    private readonly repo: DefaultsRepository,
    private readonly scheduler: Scheduler,
    shutdown: AppShutdown,
  ) {
    // The flush stage comes after the HTTP drain (no request counts after it) and before
    // TypeORM closes its pool.
    shutdown.onStop('flush', 'defaults usage', () => this.flush());
  }

  onModuleInit(): void {
    this.scheduler.every('defaults-usage-flush', this.cfg.usageFlushSeconds * 1000, () => this.flush());
  }

  /** Synchronous and free: a read never waits for, or fails because of, counting. */
  record(rowId: string): void {
    this.pending.set(rowId, (this.pending.get(rowId) ?? 0) + 1);
  }

  /** Writes the counts collected so far to Postgres (also callable from tests). */
  flush(): Promise<void> {
    this.flushing ??= this.doFlush().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async doFlush(): Promise<void> {
    if (!this.pending.size) return;
    const counts = this.pending;
    this.pending = new Map();
    try {
      await this.repo.addUsage(counts);
    } catch (err) {
      // Keep the counts for the next attempt rather than dropping them.
      for (const [id, n] of counts) this.pending.set(id, (this.pending.get(id) ?? 0) + n);
      this.logger.warn(`usage flush to Postgres failed, retrying next interval: ${(err as Error).message}`);
    }
  }
}
