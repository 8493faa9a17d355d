import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { AppShutdown } from '../../../common/lifecycle/shutdown';
import { Scheduler } from '../../../common/lifecycle/scheduler';
import { authConfig, AuthConfig } from '../../../config/namespaces';
import { ApiKeysRepository } from './api-keys.repository';

/**
 * Collects "key X was used at T" in memory and writes them in one UPDATE every
 * API_KEY_LAST_USED_FLUSH_SECONDS (and at shutdown), so authenticating a request never writes
 * to the database. last_used_at is therefore accurate to the flush interval.
 */
@Injectable()
export class ApiKeyUsageTracker implements OnModuleInit {
  private readonly logger = new Logger('ApiKeyUsage');
  private pending = new Map<string, Date>();

  constructor(
    private readonly keys: ApiKeysRepository,
    @Inject(authConfig.KEY) private readonly cfg: AuthConfig,
    private readonly scheduler: Scheduler,
    shutdown: AppShutdown,
  ) {
    shutdown.onStop('flush', 'API key usage', () => this.flush());
  }

  onModuleInit(): void {
    this.scheduler.every('api-key-usage-flush', this.cfg.apiKeyFlushSeconds * 1000, () => this.flush());
  }

  touch(keyId: string): void {
    this.pending.set(keyId, new Date());
  }

  async flush(): Promise<void> {
    if (!this.pending.size) return;
    const batch = this.pending;
    this.pending = new Map();
    try {
      await this.keys.touchMany([...batch].map(([id, at]) => ({ id, at })));
    } catch (err) {
      // Keep the newest time per key for the next attempt; losing one is harmless.
      for (const [id, at] of batch) if (!this.pending.has(id)) this.pending.set(id, at);
      this.logger.warn(`could not record API key usage: ${(err as Error).message}`);
    }
  }
}
