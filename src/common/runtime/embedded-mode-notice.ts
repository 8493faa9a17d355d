import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { resolve } from 'node:path';
import { appConfig, AppConfig, databaseConfig, DatabaseConfig } from '../../config/namespaces';

/** Says at boot, once and plainly, which components are embedded and what that implies. */
@Injectable()
export class EmbeddedModeNotice implements OnApplicationBootstrap {
  private readonly logger = new Logger('EmbeddedMode');

  constructor(
    @Inject(appConfig.KEY) private readonly app: AppConfig,
    @Inject(databaseConfig.KEY) private readonly db: DatabaseConfig,
  ) {}

  onApplicationBootstrap(): void {
    const { mode } = this.app;
    if (!mode.singleInstance) return;
    const parts = [];
    if (mode.database === 'pglite')
      parts.push(
        `PostgreSQL is embedded (PGlite in this process, data in ${resolve(this.db.embeddedDataDir)}, pool of 1)`,
      );
    if (mode.redis === 'in-memory')
      parts.push(
        'Redis is replaced by process memory (cache, rate limits, login limiter, counters; background jobs run in this process and queued ones are lost on restart)',
      );
    this.logger.warn(
      `${parts.join('; ')}. This mode is for ONE instance only: do not start a second one against the same data; set DATABASE_URL and REDIS_URL for production.`,
    );
  }
}
